import type { AuditSigner } from '../domain/audit/seal';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { idForRequest } from '../db/idempotency.repo';
import { findLine, findLineRecord, liveHolders, nextLineId, releaseLineReservation, reserveLine } from '../db/lines.repo';
import { collectSipPassword } from '../db/sip-credentials.repo';
import { ConflictError, GoneError, InvalidTransitionError, NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/actor';
import { Accepted } from './route';
import {
  type CancelProvisioningRequest,
  type ContractRequest,
  type EquipmentReturnedRequest,
  type LineState,
  type LineStatus,
  type LineTiming,
  type LineWorkflowInput,
  type ProvisionLineRequest,
  type Settlement,
  type SipCredentials,
  TERMINATION_RUNNING_STATUSES,
  type TerminationCancelRequest,
  type TerminationRequest,
  type TerminationRetryRequest,
} from '../domain/line/contracts';
import { requestChecked, requestLine } from '../domain/line/lifecycle';
import { settle } from '../domain/line/settlement';
import { isoDateOfDay, localDayIndex, parseInstant } from '../domain/calendar/local-time';
import {
  cancelProvisioningUpdate,
  cancelTerminationUpdate,
  equipmentReturnedUpdate,
  lineRequestedUpdate,
  lineStateQuery,
  lineTerminationWorkflowId,
  lineWorkflowId,
  recordContractUpdate,
  retryTerminationUpdate,
  terminationRequestedUpdate,
} from '../workflows/line/messages';
import type { lineProvisioningWorkflow } from '../workflows/line/provisioning';
import type { LineTerminationInput, lineTerminationWorkflow } from '../workflows/line/termination';
import { confirmBy, isGone, sendUpdate, startHoldingClaim, unavailable, withinDeadline } from './temporal-calls';
import { refuseWhatCannotWork } from './preflight';
import { SEOUL_OFFSET_MINUTES } from '../domain/calendar/seoul';

/** What the line routes do, between HTTP and Temporal/PostgreSQL. */

export interface LineServiceDeps {
  pool: Pool;
  auditSigner: AuditSigner;
  client: Client;
  taskQueue: string;
  lineTiming: LineTiming;
  now?: () => Date;
  requestDeadlineMs?: number;
  confirmWithinMs?: number;
}

/**
 * A line request: 201 once it is checked against the PBX and the CTI, its DN reserved and its
 * workflow has written it; 202 (`Accepted`) once its DN is reserved and Temporal holds its workflow,
 * when the worker did not confirm both within CONFIRM_WITHIN_MS (a check it did not answer runs first in the workflow).
 */
export async function provisionLine(
  deps: LineServiceDeps,
  request: ProvisionLineRequest,
  actor: Actor,
  key?: string,
): Promise<LineState | Accepted<LineState>> {
  // A DN held by a live line, or what the PBX and the CTI say cannot work (the DN or the phone's IP
  // taken there, the agent's team or a skill missing), is refused before the Idempotency-Key is stored
  // (allocate runs for a new request only), so the 409/404 keeps nothing; reserveLine below still
  // settles a race for the DN.
  // One budget for the worker's answers: the check's and the start's.
  const by = confirmBy(deps);
  // Set by the check when this request is new (a retry with the same key starts nothing new).
  let checks = 'checked' as 'checked' | 'deferred';
  const { id, replay } = await idForRequest(deps.pool, 'line', request, key, async () => {
    const [holder] = await liveHolders(deps.pool, [request.dn]);
    if (holder) {
      throw new ConflictError(`DN ${request.dn} is already held by line ${holder.id} (${holder.status})`, {
        problems: [{ path: 'dn', code: 'taken', message: `held by line ${holder.id} (${holder.status})` }],
      });
    }
    checks = await refuseWhatCannotWork(deps, { kind: 'line', request }, { deferrableUntil: by });
    return nextLineId(deps.pool);
  });
  // A retry whose first attempt left no line (its start failed, its DN given back) was checked by
  // nobody now: its workflow, should this attempt start it, checks first.
  if (replay && !(await findLineRecord(deps.pool, id))) checks = 'deferred';
  const requestedAt = now(deps).toISOString();
  const input: LineWorkflowInput = {
    ...request,
    id,
    requestedBy: actor,
    requestedAt,
    timing: deps.lineTiming,
    ...(checks === 'deferred' ? { checks } : {}),
  };
  // The DN is claimed before anything starts: a second request for a live DN is a 409 here, not a failed workflow later.
  await reserveLine(deps.pool, requestLine(input));
  const location = `/api/v1/lines/${id}`;
  const answer = await startHoldingClaim(deps, {
    workflowId: lineWorkflowId(id),
    start: () =>
      deps.client.workflow.executeUpdateWithStart(lineRequestedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof lineProvisioningWorkflow>('lineProvisioningWorkflow', {
          workflowId: lineWorkflowId(id),
          taskQueue: deps.taskQueue,
          args: [input],
          // A retried POST (same Idempotency-Key) lands on the line the first one started.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      }),
    recorded: async () => {
      const stored = await findLineRecord(deps.pool, id);
      return stored && stored.version > 0 ? stored.state : undefined;
    },
    release: () => releaseLineReservation(deps.pool, id),
    failing: 'the line request was not confirmed in time; retry with the same Idempotency-Key',
    // Started, not run yet: the reservation is what GET answers until the workflow writes the line.
    accepted: { by, answer: async () => new Accepted((await findLineRecord(deps.pool, id))?.state ?? requestLine(input), location) },
  });
  // Written by its workflow but its deferred checks not passed yet: accepted, not confirmed.
  return answer instanceof Accepted || requestChecked(answer) ? answer : new Accepted(answer, location);
}

export async function recordContract(deps: LineServiceDeps, id: string, body: ContractRequest, actor: Actor, key?: string): Promise<LineState> {
  return update(deps, { id, action: 'recordContract', body, key, caller: actor.id }, ['PENDING_CONTRACT'], lineWorkflowId(id), (updateId) =>
    deps.client.workflow.getHandle(lineWorkflowId(id)).executeUpdate(recordContractUpdate, { args: [{ body, actor }], updateId }),
  );
}

/** Calls off a provisioning before its contract: the line becomes CANCELLED and its DN is free again. */
export async function cancelProvisioning(deps: LineServiceDeps, id: string, body: CancelProvisioningRequest, actor: Actor, key?: string): Promise<LineState> {
  return update(deps, { id, action: 'cancel', body, key, caller: actor.id }, ['PENDING_CONTRACT'], lineWorkflowId(id), (updateId) =>
    deps.client.workflow.getHandle(lineWorkflowId(id)).executeUpdate(cancelProvisioningUpdate, { args: [{ body, actor }], updateId }),
  );
}

export async function terminateLine(deps: LineServiceDeps, id: string, request: TerminationRequest, actor: Actor, key?: string): Promise<LineState> {
  const line = await findLine(deps.pool, id);
  if (!line) throw new NotFoundError('line', id);
  // A retry of an accepted termination finds it running (scheduled, under way or failed) and gets the same answer.
  if (line.status !== 'ACTIVE' && !TERMINATION_RUNNING_STATUSES.includes(line.status)) throw notAllowed('terminate', line.status, ['ACTIVE']);
  // The key is stored once the request can go ahead: a 404 or 409 above keeps nothing.
  await idForRequest(deps.pool, 'termination', { id, request }, key, async () => id);
  const requestedAt = now(deps);
  const input: LineTerminationInput = {
    line,
    request,
    effectiveDate: request.effectiveDate ?? seoulDateOf(requestedAt),
    requestedBy: actor,
    requestedAt: requestedAt.toISOString(),
    timing: deps.lineTiming,
  };
  const start = () =>
    withinDeadline(deps, () =>
      deps.client.workflow.executeUpdateWithStart(terminationRequestedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof lineTerminationWorkflow>('lineTerminationWorkflow', {
          workflowId: lineTerminationWorkflowId(id),
          taskQueue: deps.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // A line whose scheduled termination was cancelled is ACTIVE again and may be terminated anew;
          // a TERMINATED line never gets here (refused above).
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      }),
    );
  try {
    const answer = await start();
    if (answer.status !== 'ACTIVE') return answer;
    // The run found is one whose scheduled termination was just cancelled, still closing (its notices):
    // it answers ACTIVE. Once it has ended, this request starts a run of its own.
    const closing = deps.client.workflow.getHandle(lineTerminationWorkflowId(id));
    await withinDeadline(deps, () => closing.result().then(() => undefined));
    return await start();
  } catch (err) {
    if (isGone(err)) throw notAllowed('terminate', (await findLine(deps.pool, id))?.status ?? line.status, ['ACTIVE']);
    throw unavailable(`could not start the termination of ${id}`, err);
  }
}

export async function equipmentReturned(deps: LineServiceDeps, id: string, body: EquipmentReturnedRequest, actor: Actor, key?: string): Promise<LineState> {
  return update(deps, { id, action: 'equipmentReturned', body, key, caller: actor.id }, ['TERMINATING'], lineTerminationWorkflowId(id), (updateId) =>
    deps.client.workflow.getHandle(lineTerminationWorkflowId(id)).executeUpdate(equipmentReturnedUpdate, { args: [{ body, actor }], updateId }),
  );
}

/** Withdraws a termination waiting for its effective date: the line is ACTIVE again. */
export async function cancelTermination(deps: LineServiceDeps, id: string, body: TerminationCancelRequest, actor: Actor, key?: string): Promise<LineState> {
  return update(deps, { id, action: 'cancelTermination', body, key, caller: actor.id }, ['TERMINATION_SCHEDULED'], lineTerminationWorkflowId(id), (updateId) =>
    deps.client.workflow.getHandle(lineTerminationWorkflowId(id)).executeUpdate(cancelTerminationUpdate, { args: [{ body, actor }], updateId }),
  );
}

/** Reconciles and removes again what a failed termination left; answers once the line is TERMINATING again. */
export async function retryTermination(deps: LineServiceDeps, id: string, body: TerminationRetryRequest, actor: Actor, key?: string): Promise<LineState> {
  return update(deps, { id, action: 'retryTermination', body, key, caller: actor.id }, ['TERMINATION_FAILED'], lineTerminationWorkflowId(id), (updateId) =>
    deps.client.workflow.getHandle(lineTerminationWorkflowId(id)).executeUpdate(retryTerminationUpdate, { args: [{ body, actor }], updateId }),
  );
}

/**
 * What terminating the line on `effectiveDate` (today in Seoul by default) would settle: the same
 * `settle` over the same contract the termination workflow uses, so the form can show the
 * early-termination fee before anyone confirms. Nothing is recorded.
 */
export async function previewSettlement(deps: LineServiceDeps, id: string, effectiveDate?: string): Promise<Settlement> {
  const line = await findLine(deps.pool, id);
  if (!line) throw new NotFoundError('line', id);
  return settle(line.contract, effectiveDate ?? seoulDateOf(now(deps)));
}

/** The inventory first; a line not yet projected is asked of its workflow. */
export async function getLine(deps: LineServiceDeps, id: string): Promise<LineState> {
  const stored = await findLine(deps.pool, id);
  if (stored) return stored;
  try {
    return await withinDeadline(deps, () => deps.client.workflow.getHandle(lineWorkflowId(id)).query(lineStateQuery));
  } catch (err) {
    if (isGone(err)) throw new NotFoundError('line', id);
    throw unavailable(`could not read line ${id}`, err);
  }
}

/**
 * The SIP password of an ACTIVE line's extension, handed out exactly once:
 * the first call returns it (and Butler forgets it; the PBX keeps it), a later
 * one is 410 naming who collected it and when. Every call that finds a kept or
 * collected password is in the audit log.
 */
export async function collectSipCredentials(
  deps: LineServiceDeps,
  id: string,
  who: { actor: Actor; requestId: string | null; remote: string | null },
): Promise<SipCredentials> {
  const line = await findLine(deps.pool, id);
  if (!line) throw new NotFoundError('line', id);
  if (line.status !== 'ACTIVE') throw new ConflictError(`line ${id} is ${line.status}: SIP credentials are handed out once the line is ACTIVE`);
  const collected = await collectSipPassword(deps.pool, deps.auditSigner, id, who, now(deps));
  switch (collected.outcome) {
    case 'none':
      throw new ConflictError(`line ${id} has no SIP password to hand out (installed before passwords were kept for collection, or it has no extension)`);
    case 'already-collected':
      throw new GoneError(`the SIP credentials of line ${id} were already collected by ${collected.collectedBy} at ${collected.collectedAt}`, {
        collectedBy: collected.collectedBy,
        collectedAt: collected.collectedAt,
      });
    case 'collected':
      return {
        lineId: id,
        username: line.dn,
        domain: collected.domain,
        password: collected.password,
        collectedBy: who.actor.id,
        collectedAt: collected.collectedAt,
      };
  }
}

/** An Update of the line's workflow, once per Idempotency-Key (`updateOnce`), with its failures mapped. */
async function update(
  deps: LineServiceDeps,
  request: { id: string; action: string; body: unknown; key: string | undefined; caller: string },
  allowedFrom: readonly LineStatus[],
  workflowId: string,
  call: (updateId: string | undefined) => Promise<LineState>,
): Promise<LineState> {
  const { id, action } = request;
  return sendUpdate(
    deps,
    { kind: 'line', resourceId: id, action, body: request.body, key: request.key, caller: request.caller },
    call,
    async () => {
      const stored = await findLine(deps.pool, id);
      return stored ? notAllowed(action, stored.status, allowedFrom) : new NotFoundError('line', id);
    },
    `could not ${action} on ${workflowId}`,
  );
}

function notAllowed(action: string, status: LineStatus, allowedFrom: readonly LineStatus[]): InvalidTransitionError {
  return new InvalidTransitionError(`cannot ${action} a line that is ${status}`, { action, status, allowedFrom });
}

/** The day an instant falls on in Asia/Seoul (YYYY-MM-DD): a termination's effective date when the request names none. */
function seoulDateOf(instant: Date): string {
  return isoDateOfDay(localDayIndex(parseInstant(instant.toISOString()), SEOUL_OFFSET_MINUTES));
}

function now(deps: LineServiceDeps): Date {
  return (deps.now ?? (() => new Date()))();
}
