import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Pool } from 'pg';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/actor';
import type { ReviewStatus } from '../domain/report/contracts';
import { isGone, unavailable, updateOnce, updateRejection, withinDeadline } from './temporal-calls';

/**
 * What the inspection and QSR routes share: start a reviewed-report workflow
 * (update-with-start, so 201 means "in the read model"), read it, and send it
 * the SPM's Updates.
 */

export interface ReviewServiceDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  requestDeadlineMs?: number;
}

export interface ReviewedKind<S extends { id: string; status: ReviewStatus }> {
  /** "inspection", "QSR": how errors name it. */
  noun: string;
  workflowType: string;
  workflowId(id: string): string;
  started: UpdateDefinition<S, []>;
  read(pool: Pool, id: string): Promise<{ state: S; workflowId: string } | undefined>;
}

export async function startReviewed<S extends { id: string; status: ReviewStatus }, I>(
  deps: ReviewServiceDeps,
  kind: ReviewedKind<S>,
  id: string,
  input: I,
): Promise<S> {
  try {
    return (await withinDeadline(deps, () =>
      deps.client.workflow.executeUpdateWithStart(kind.started, {
        startWorkflowOperation: new WithStartWorkflowOperation(kind.workflowType, {
          workflowId: kind.workflowId(id),
          taskQueue: deps.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      }),
    )) as S;
  } catch (err) {
    const stored = await kind.read(deps.pool, id);
    if (stored) return stored.state;
    throw unavailable(`the ${kind.noun} was not confirmed in time; retry with the same Idempotency-Key`, err);
  }
}

/** The read model; a run not yet projected is not listed anywhere, so it is simply not found. */
export async function readReviewed<S extends { id: string; status: ReviewStatus }>(deps: ReviewServiceDeps, kind: ReviewedKind<S>, id: string): Promise<S> {
  const stored = await kind.read(deps.pool, id);
  if (!stored) throw new NotFoundError(kind.noun, id);
  return stored.state;
}

export async function updateReviewed<S extends { id: string; status: ReviewStatus }>(
  deps: ReviewServiceDeps,
  kind: ReviewedKind<S>,
  id: string,
  update: { name: string },
  action: string,
  body: unknown,
  actor: Actor,
  key?: string,
): Promise<S> {
  const stored = await kind.read(deps.pool, id);
  if (!stored) throw new NotFoundError(kind.noun, id);
  return updateOnce(deps.pool, { kind: kind.noun, resourceId: id, action: update.name, body, key, caller: actor.id }, async (updateId) => {
    try {
      return (await withinDeadline(deps, () =>
        deps.client.workflow.getHandle(stored.workflowId).executeUpdate(update.name, { args: [{ body, actor }], updateId }),
      )) as S;
    } catch (err) {
      const rejection = updateRejection(err);
      if (rejection) throw rejection;
      if (isGone(err)) {
        const latest = (await kind.read(deps.pool, id))?.state ?? stored.state;
        throw new InvalidTransitionError(`cannot ${action} a ${kind.noun} that is ${latest.status}`, {
          action,
          status: latest.status,
          allowedFrom: ['AWAITING_REVIEW'],
        });
      }
      throw unavailable(`could not ${action} ${kind.noun} ${id}`, err);
    }
  });
}

export function refuseInFlight(noun: string, period: string, ids: string[]): void {
  if (ids.length > 0) throw new ConflictError(`${noun} ${ids.join(', ')} of ${period} is still running or awaiting review; approve or send it back first`);
}
