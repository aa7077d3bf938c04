import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError, type Client } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { claimUpdateKey, type UpdateRequest } from '../db/idempotency.repo';
import { ConflictError, InvalidTransitionError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';

/**
 * What every service does between HTTP and Temporal: answer within a deadline,
 * recognise a workflow that is gone, and turn an Update's typed failure back
 * into Butler's typed error (which api/errors.ts maps to a status).
 */

/** An HTTP caller gets an answer within this time even if Temporal is stuck; the work carries on, and a retry finds it. */
export const REQUEST_DEADLINE_MS = 15_000;

/**
 * How long a request that may be answered 202 waits for the worker's confirmation (a check run, a
 * workflow's first task) before it answers with what Temporal durably holds. Under a saturated
 * worker those tasks queue for longer than a caller should be kept waiting (issue 18: 200 lines at once).
 */
export const CONFIRM_WITHIN_MS = 5_000;

/** The least a start is given to reach Temporal, however little of CONFIRM_WITHIN_MS the check left. */
const START_FLOOR_MS = 1_000;

/** The instant a request that may be answered 202 stops waiting for the worker: one budget for its check and its start. */
export function confirmBy(deps: { confirmWithinMs?: number }): number {
  return Date.now() + (deps.confirmWithinMs ?? CONFIRM_WITHIN_MS);
}

export interface TemporalCallDeps {
  client: Client;
  requestDeadlineMs?: number;
  /** CONFIRM_WITHIN_MS unless set (tests). */
  confirmWithinMs?: number;
}

export function withinDeadline<T>(deps: TemporalCallDeps, fn: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + (deps.requestDeadlineMs ?? REQUEST_DEADLINE_MS), fn);
}

export function isGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  // Updates to a closed run come back as gRPC NOT_FOUND ("workflow execution already completed").
  return isGrpcServiceError(err) && err.code === 5;
}

/** The typed error an Update's failure stands for, or undefined when it is not one of ours. */
export function updateRejection(err: unknown): Error | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const failure = err.cause;
  const details = failure.details?.[0];
  switch (failure.type) {
    case 'InvalidTransition':
      return new InvalidTransitionError(failure.message, details as InvalidTransitionError['details']);
    case 'Validation':
      return new ValidationError(details as ValidationError['issues']);
    case 'Conflict':
      return new ConflictError(failure.message);
    default:
      return undefined;
  }
}

/**
 * Sends an Update of an existing resource honouring the request's Idempotency-Key (see
 * `claimUpdateKey`). `send` gets the Update id to use: derived from the key, so a retry
 * after a timeout is Temporal's same Update and applies once; undefined without a key.
 * A refused request (400, 404, 409) or an Update that failed keeps no key; a timeout keeps it
 * for the retry.
 */
export async function updateOnce<T>(
  pool: Pool,
  request: Omit<UpdateRequest, 'key'> & { key: string | undefined },
  send: (updateId: string | undefined) => Promise<T>,
): Promise<T> {
  const { key } = request;
  if (key === undefined) return send(undefined);
  const claim = await claimUpdateKey(pool, { ...request, key });
  if (claim.response !== null && claim.response !== undefined) return claim.response as T;
  try {
    return (await claim.record(await send(claim.updateId))) as T;
  } catch (err) {
    // A refusal, or an Update that ran and failed, is a final answer that changed nothing: the key is
    // free again. Only an unknown outcome (a timeout, Temporal unreachable) keeps it for the retry.
    if (isRefusal(err) || ranAndFailed(err)) await claim.release();
    throw err;
  }
}

/** A final refusal of the request (400, 404, 409): retrying it unchanged gets the same answer. */
export function isRefusal(err: unknown): boolean {
  return err instanceof ValidationError || err instanceof NotFoundError || err instanceof InvalidTransitionError || err instanceof ConflictError;
}

function ranAndFailed(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError || (err instanceof Error && err.cause instanceof WorkflowUpdateFailedError);
}

/**
 * An Update of an existing resource as every service sends it: once per Idempotency-Key
 * (`updateOnce`), within the request deadline; a rejection comes back as its typed error, a
 * workflow that is gone as what `whenGone` makes of the read model (`NotFoundError` when the
 * resource is not there; undefined: 503), anything else as 503 saying `failing`.
 */
export function sendUpdate<T>(
  deps: TemporalCallDeps & { pool: Pool },
  request: Omit<UpdateRequest, 'key'> & { key: string | undefined },
  send: (updateId: string | undefined) => Promise<T>,
  whenGone: () => Promise<Error | undefined>,
  failing: string,
): Promise<T> {
  return updateOnce(deps.pool, request, async (updateId) => {
    try {
      return await withinDeadline(deps, () => send(updateId));
    } catch (err) {
      const rejection = updateRejection(err);
      if (rejection) throw rejection;
      // A check of the request made just before sending it (within the key's claim) refused it.
      if (isRefusal(err)) throw err;
      const gone = isGone(err) ? await whenGone() : undefined;
      if (gone) throw gone;
      throw unavailable(failing, err);
    }
  });
}

/**
 * Starts the workflow of a resource whose claim (its DNs, reserved in the database) was taken just
 * before. When the start is not confirmed in time, what the read model already holds is the answer;
 * otherwise the claim is given back only when no workflow holds it, since a slow start keeps it for
 * the retry with the same Idempotency-Key.
 */
export async function startHoldingClaim<T, A = never>(
  deps: TemporalCallDeps,
  claim: {
    workflowId: string;
    start: () => Promise<T>;
    /** What the read model holds once the workflow has written it; undefined before. */
    recorded: () => Promise<T | undefined>;
    release: () => Promise<void>;
    failing: string;
    /**
     * The answer when the start is not confirmed by `by` (confirmBy) but the workflow exists: Temporal
     * holds it durably and it will run. Without it, the caller waits the whole deadline.
     */
    accepted?: { by: number; answer: () => Promise<A> };
  },
): Promise<T | A> {
  const budget = claim.accepted ? { ...deps, requestDeadlineMs: Math.max(claim.accepted.by - Date.now(), START_FLOOR_MS) } : deps;
  try {
    return await withinDeadline(budget, claim.start);
  } catch (err) {
    const recorded = await claim.recorded();
    if (recorded !== undefined) return recorded;
    const held = await workflowHeld(deps, claim.workflowId);
    if (held === 'missing') await claim.release();
    // Accepted only when Temporal said it holds the workflow; unknown (Temporal not answering) is a 503.
    else if (held === 'held' && claim.accepted) return claim.accepted.answer();
    else if (typeof held === 'object') {
      // Its workflow ended without writing what it claimed (it found its claim taken when it was late):
      // nothing will ever take the claim, and the same request cannot start it again.
      await claim.release();
      throw new ConflictError(
        `${claim.workflowId} has already ended (${held.ended}) without taking up this request; send it again with a new Idempotency-Key`,
        { cause: err },
      );
    }
    throw unavailable(claim.failing, err);
  }
}

/** Whether Temporal holds the workflow: running (it said so), ended, none (it said it has none), or unknown (it did not answer). */
async function workflowHeld(deps: TemporalCallDeps, workflowId: string): Promise<'held' | { ended: string } | 'missing' | 'unknown'> {
  try {
    const { status } = await withinDeadline(deps, () => deps.client.workflow.getHandle(workflowId).describe());
    return status.name === 'RUNNING' ? 'held' : { ended: status.name };
  } catch (err) {
    return isGone(err) ? 'missing' : 'unknown';
  }
}

/** The call ran out of time (its deadline, or the workflow's execution timeout), as opposed to failing or Temporal not answering. */
export function timedOut(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof TimeoutFailure) return true;
    // A long poll cut by the deadline may come back CANCELLED rather than DEADLINE_EXCEEDED.
    if (isGrpcServiceError(e) && (e.code === GRPC_DEADLINE_EXCEEDED || e.code === GRPC_CANCELLED)) return true;
  }
  return false;
}

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;

export function unavailable(message: string, cause: unknown): UnavailableError {
  // The cause is logged by the error handler, never shown to the caller.
  return new UnavailableError(message, { cause });
}
