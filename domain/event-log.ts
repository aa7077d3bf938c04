import { z } from 'zod';
import { Actor } from './actor';

/**
 * The event log of a line or a change, and the one failure type of both: what
 * happened, step by step, as the business names it. Plain functions over the
 * state; nothing here knows about Temporal or clocks.
 */

export const ProcessEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** The step as the business names it: requested, contract-recorded, installed:pbx-extension, approved… */
  type: z.string(),
  actor: Actor,
  details: z.record(z.unknown()).optional(),
});
export type ProcessEvent = z.infer<typeof ProcessEvent>;

/** Why a line or a change failed: the step, its cause and the failure's type (VendorConflict, AcceptanceFailed, ContractExpired…). */
export const StepFailure = z.object({
  step: z.string(),
  cause: z.string(),
  type: z.string(),
});
export type StepFailure = z.infer<typeof StepFailure>;

interface Logged {
  history: ProcessEvent[];
}

/** Appends one event to the history and returns it. */
export function record(state: Logged, type: string, actor: Actor, at: string, details?: Record<string, unknown>): ProcessEvent {
  const event: ProcessEvent = { seq: state.history.length + 1, at, type, actor, ...(details ? { details } : {}) };
  state.history.push(event);
  return event;
}

/** Moves the state to `status`, recording the change. */
export function moveTo<S extends Logged & { status: string; step: string }>(
  state: S,
  status: S['status'],
  step: string,
  actor: Actor,
  at: string,
  details?: Record<string, unknown>,
): void {
  const from = state.status;
  state.status = status;
  state.step = step;
  record(state, `status:${status}`, actor, at, { from, ...details });
}
