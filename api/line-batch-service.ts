import { WithStartWorkflowOperation } from '@temporalio/client';
import { idForRequest } from '../db/idempotency.repo';
import { batchLines, findLineBatchRecord, nextLineBatchId, nextLineIds, releaseLineBatchReservation, reserveLineBatch } from '../db/line-batches.repo';
import { liveHolders } from '../db/lines.repo';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/actor';
import {
  countByStatus,
  lineRequestOf,
  type LineBatchState,
  type LineBatchView,
  type LineBatchWorkflowInput,
  type ProvisionLineBatchRequest,
} from '../domain/line/batch';
import type { ContractRequest } from '../domain/line/contracts';
import { requestLine } from '../domain/line/lifecycle';
import { lineBatchRequestedUpdate, lineBatchWorkflowId, recordBatchContractUpdate } from '../workflows/line/messages';
import type { lineProvisioningBatchWorkflow } from '../workflows/line/batch';
import type { LineServiceDeps } from './line-service';
import { refuseWhatCannotWork } from './preflight';
import { sendUpdate, startHoldingClaim } from './temporal-calls';

/** What the batch routes do: check every line, reserve every DN at once, start the batch, show its progress. */

export async function provisionLineBatch(deps: LineServiceDeps, request: ProvisionLineBatchRequest, actor: Actor, key?: string): Promise<LineBatchView> {
  const dns = request.lines.map((l) => l.dn);
  // A DN held by a live line is refused before the Idempotency-Key is stored (allocate runs for a new request only).
  const { id } = await idForRequest(deps.pool, 'line-batch', request, key, async () => {
    const held = await liveHolders(deps.pool, dns);
    if (held.length > 0) {
      const named = held.map((h) => `DN ${h.dn} (lines.${dns.indexOf(h.dn)}.dn) is already held by line ${h.id} (${h.status})`);
      const problems = held.map((h) => ({ path: `lines.${dns.indexOf(h.dn)}.dn`, code: 'taken' as const, message: `held by line ${h.id} (${h.status})` }));
      throw new ConflictError(`${named.join('; ')}; nothing was reserved`, { problems });
    }
    // Then the PBX and the CTI, every line before any is reserved: a problem anywhere refuses the batch.
    await refuseWhatCannotWork(deps, { kind: 'batch', lines: request.lines.map((item) => lineRequestOf(request, item)) });
    return nextLineBatchId(deps.pool);
  });
  const requestedAt = (deps.now ?? (() => new Date()))().toISOString();
  const batch: LineBatchState = {
    id,
    center: request.center,
    ...(request.team ? { team: request.team } : {}),
    status: 'RUNNING',
    step: 'starting the lines',
    lines: [],
    requestedBy: actor,
    requestedAt,
    history: [],
  };
  // Every DN is claimed, with the batch, in one transaction: a 409 keeps nothing. A retry gets the first request's lines.
  const lines = await reserveLineBatch(deps.pool, batch, async (ids) => {
    const lineIds = ids ?? (await nextLineIds(deps.pool, request.lines.length));
    return request.lines.map((item, i) =>
      requestLine({ ...lineRequestOf(request, item), id: lineIds[i]!, requestedBy: actor, requestedAt, timing: deps.lineTiming }),
    );
  });
  const input: LineBatchWorkflowInput = {
    id,
    center: request.center,
    ...(request.team ? { team: request.team } : {}),
    lines: request.lines.map((item, i) => ({ ...lineRequestOf(request, item), id: lines[i]!.id })),
    ...(request.contract ? { contract: request.contract } : {}),
    requestedBy: actor,
    requestedAt,
    timing: deps.lineTiming,
  };
  return startHoldingClaim(deps, {
    workflowId: lineBatchWorkflowId(id),
    start: async () => {
      await deps.client.workflow.executeUpdateWithStart(lineBatchRequestedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof lineProvisioningBatchWorkflow>('lineProvisioningBatchWorkflow', {
          workflowId: lineBatchWorkflowId(id),
          taskQueue: deps.taskQueue,
          args: [input],
          // A retried POST (same Idempotency-Key) lands on the batch the first one started.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      });
      return getLineBatch(deps, id);
    },
    recorded: async () => {
      const stored = await findLineBatchRecord(deps.pool, id);
      // Answered only once the lines' workflows run, as the workflow's own answer is: a line's routes must find its workflow.
      return stored?.state.history.some((e) => e.type === 'lines-started') ? viewOf(deps, stored.state) : undefined;
    },
    release: () => releaseLineBatchReservation(deps.pool, id),
    failing: 'the batch was not confirmed in time; retry with the same Idempotency-Key',
  });
}

/** The batch with each line as the inventory has it now, and the counts per status. */
export async function getLineBatch(deps: LineServiceDeps, id: string): Promise<LineBatchView> {
  const stored = await findLineBatchRecord(deps.pool, id);
  if (!stored) throw new NotFoundError('line batch', id);
  return viewOf(deps, stored.state);
}

async function viewOf(deps: LineServiceDeps, batch: LineBatchState): Promise<LineBatchView> {
  const inventory = await batchLines(
    deps.pool,
    batch.lines.map((l) => l.lineId),
  );
  const lines = batch.lines.map((l) => {
    const line = inventory.get(l.lineId);
    // The batch's outcome is final; until then the line's own row tells where it is.
    const status = l.outcome ?? line?.status ?? 'PENDING_CONTRACT';
    const failure = l.failure ?? line?.failure;
    return { ...l, status, step: line?.step ?? 'starting', ...(failure ? { failure } : {}) };
  });
  return { ...batch, lines, total: lines.length, counts: countByStatus(lines.map((l) => l.status)) };
}

/** One contract for the batch: recorded on it, then handed to every line still waiting for one. */
export async function recordBatchContract(deps: LineServiceDeps, id: string, body: ContractRequest, actor: Actor, key?: string): Promise<LineBatchView> {
  const workflowId = lineBatchWorkflowId(id);
  const batch = await sendUpdate(
    deps,
    { kind: 'line batch', resourceId: id, action: 'recordContract', body, key, caller: actor.id },
    (updateId) => deps.client.workflow.getHandle(workflowId).executeUpdate(recordBatchContractUpdate, { args: [{ body, actor }], updateId }),
    async () => {
      const stored = await findLineBatchRecord(deps.pool, id);
      if (!stored) return new NotFoundError('line batch', id);
      return new InvalidTransitionError(`cannot recordContract a batch that is ${stored.state.status}`, {
        action: 'recordContract',
        status: stored.state.status,
        allowedFrom: ['RUNNING'],
      });
    },
    `could not recordContract on ${workflowId}`,
  );
  return viewOf(deps, batch);
}
