import type { Pool } from 'pg';
import type { ChangeRequest, ChangeType, Verification } from '../../domain/change/contracts';
import type { CtiClient } from '../../adapters/cti/cti-client';
import type { LineAcceptance } from '../../adapters/pbx/line-acceptance';
import type { AcceptancePlan } from '../../adapters/pbx/line-routing';
import type { IdempotencyKey, PbxClient } from '../../adapters/pbx/pbx-client';

/**
 * One handler per change type, each in its own file. The change workflow runs
 * snapshot → apply → verify, and restore when verification fails; the
 * snapshot travels through the workflow's history between those steps.
 */

export interface ChangeHandlerDeps {
  pool: Pool;
  pbx: PbxClient;
  cti: CtiClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
}

/** What may go into a workflow history: plain JSON, and never a secret (SIP passwords stay in the PBX). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
export type Snapshot = Json;

/**
 * Idempotency keys of one step (`${changeId}:apply` or `${changeId}:restore`):
 * each adapter call within the step names its own part, so no two calls share a key.
 */
export type StepKeys = (part: string) => IdempotencyKey;

export function stepKeys(changeId: string, step: 'apply' | 'restore'): StepKeys {
  return (part) => ({ key: `${changeId}:${step}:${part}` });
}

export type ChangeOf<T extends ChangeType> = Extract<ChangeRequest, { type: T }>;

export interface ChangeHandler<R extends ChangeRequest, S extends Snapshot = Snapshot> {
  /** The target as it is before the change: what restore puts back. Fails (permanently) when the target does not exist. */
  snapshot(req: R): Promise<S>;
  /** Safe to retry: what is already in the desired state is left alone. */
  apply(req: R, snapshot: S, keys: StepKeys): Promise<void>;
  /** Reads the target back through the adapter (and, for a line, tries it over SIP); a mismatch is a failed check, not an exception. */
  verify(req: R): Promise<Verification>;
  /** Puts the target back as the snapshot had it; idempotent, and safe after a partial apply. */
  restore(req: R, snapshot: S, keys: StepKeys): Promise<void>;
}
