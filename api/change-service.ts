import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { findChange, nextChangeId, overlappingHolds } from '../db/changes.repo';
import { idForRequest } from '../db/idempotency.repo';
import { listLines } from '../db/lines.repo';
import { LIVE_LINE_STATUSES } from '../domain/line/contracts';
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  type ChangeActionRequest,
  type ChangeRequest,
  type ChangeState,
  type ChangeTiming,
  type ChangeWorkflowInput,
} from '../domain/change/contracts';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../domain/errors';
import type { Actor } from '../domain/actor';
import type { changeRequestWorkflow } from '../workflows/change/workflow';
import { changeStateQuery, changeSubmittedUpdate, changeUpdates, changeWorkflowId } from '../workflows/change/messages';
import { isGone, sendUpdate, unavailable, withinDeadline } from './temporal-calls';
import { refuseWhatCannotWork } from './preflight';

/** What the change routes do, between HTTP and Temporal/PostgreSQL. */

export interface ChangeServiceDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  changeTiming: ChangeTiming;
  now?: () => Date;
  requestDeadlineMs?: number;
}

export async function submitChange(deps: ChangeServiceDeps, request: ChangeRequest, actor: Actor, key?: string): Promise<ChangeState> {
  const now = (deps.now ?? (() => new Date()))();
  if (Date.parse(request.window.end) <= now.getTime()) {
    throw new ValidationError([{ path: 'window.end', message: 'the window has already ended' }]);
  }
  // Refused before the Idempotency-Key is stored (allocate runs for a new request only): a 409 or 404 keeps nothing.
  // A target the PBX or CTI does not have (or a new DN or IP taken there) is refused here, not ROLLED_BACK or FAILED later.
  const { id } = await idForRequest(deps.pool, 'change', request, key, async () => {
    const overlapping = await overlappingHolds(deps.pool, request.target, request.window);
    if (overlapping.length > 0) {
      throw new ConflictError(`the window overlaps approved change ${overlapping.join(', ')} on ${request.target}`, {
        problems: [{ path: 'window', code: 'taken', message: `overlaps approved change ${overlapping.join(', ')} on ${request.target}` }],
      });
    }
    if (request.type === 'dn-change') {
      const { newDn } = request.params;
      const holder = (await listLines(deps.pool, { dn: newDn, limit: 200, offset: 0 })).items.find((l) => LIVE_LINE_STATUSES.includes(l.status));
      if (holder) {
        throw new ConflictError(`DN ${newDn} is already held by line ${holder.id} (${holder.status})`, {
          problems: [{ path: 'params.newDn', code: 'taken', message: `held by line ${holder.id} (${holder.status})` }],
        });
      }
    }
    await refuseWhatCannotWork(deps, { kind: 'change', request });
    return nextChangeId(deps.pool);
  });
  const input: ChangeWorkflowInput = { ...request, id, requestedBy: actor, requestedAt: now.toISOString(), timing: deps.changeTiming };
  try {
    return await withinDeadline(deps, () =>
      deps.client.workflow.executeUpdateWithStart(changeSubmittedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof changeRequestWorkflow>('changeRequestWorkflow', {
          workflowId: changeWorkflowId(id),
          taskQueue: deps.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      }),
    );
  } catch (err) {
    const stored = await findChange(deps.pool, id);
    if (stored) return stored;
    throw unavailable('the change request was not confirmed in time; retry with the same Idempotency-Key', err);
  }
}

export async function actOnChange<A extends ChangeAction>(
  deps: ChangeServiceDeps,
  id: string,
  action: A,
  body: ChangeActionRequest<A>['body'],
  actor: Actor,
  key?: string,
): Promise<ChangeState> {
  const handle = deps.client.workflow.getHandle(changeWorkflowId(id));
  return sendUpdate(
    deps,
    { kind: 'change', resourceId: id, action, body, key, caller: actor.id },
    (updateId) =>
      handle.executeUpdate(changeUpdates[action] as (typeof changeUpdates)['approve'], { args: [{ body, actor } as ChangeActionRequest<'approve'>], updateId }),
    async () => {
      const stored = await findChange(deps.pool, id);
      if (!stored) return new NotFoundError('change', id);
      return new InvalidTransitionError(`cannot ${action} a change that is ${stored.status}`, {
        action,
        status: stored.status,
        allowedFrom: CHANGE_ACTIONS[action].from,
      });
    },
    `could not ${action} change ${id}`,
  );
}

export async function getChange(deps: ChangeServiceDeps, id: string): Promise<ChangeState> {
  const stored = await findChange(deps.pool, id);
  if (stored) return stored;
  try {
    return await withinDeadline(deps, () => deps.client.workflow.getHandle(changeWorkflowId(id)).query(changeStateQuery));
  } catch (err) {
    if (isGone(err)) throw new NotFoundError('change', id);
    throw unavailable(`could not read change ${id}`, err);
  }
}
