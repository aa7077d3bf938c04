import { currentUpdateInfo } from '@temporalio/workflow';
import { IDEMPOTENT_UPDATE_PREFIX } from '../domain/update-ids';

/** A run remembers this many: far more than a client retries over. */
const CARRIED = 1_000;

/**
 * The Idempotency-Key Updates a workflow has applied, across continue-as-new: Temporal
 * answers a repeated Update id from the same run itself, but a retry that reaches the
 * next run would be applied again. Called from a validator or the start of a handler.
 */
export function appliedUpdates(carried: readonly string[] = []) {
  const ids = new Set(carried);
  const current = () => currentUpdateInfo()?.id;
  return {
    /** This Update was applied by an earlier run: answer, do not apply. */
    seenBefore(): boolean {
      const id = current();
      return id !== undefined && ids.has(id);
    },
    remember(): void {
      const id = current();
      if (id?.startsWith(IDEMPOTENT_UPDATE_PREFIX)) ids.add(id);
    },
    carry(): string[] {
      return [...ids].slice(-CARRIED);
    },
  };
}
