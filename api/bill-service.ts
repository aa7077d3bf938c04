import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { findBill, findBillRecord, findingsOf, insertBill, liveBillWithFile, nextBillId, releaseBillUpload } from '../db/bills.repo';
import { currentBillProfile } from '../db/billing-config.repo';
import type { Actor } from '../domain/actor';
import { readBillRows } from '../domain/billing/bill-rows';
import {
  BILL_ACTIONS,
  isRecoverable,
  type BillAction,
  type BillActionBody,
  type BillState,
  type BillUploadQuery,
  type BillWorkflowInput,
} from '../domain/billing/contracts';
import { receiveBill } from '../domain/billing/lifecycle';
import { InvalidTransitionError, NotFoundError, ValidationError, type FieldIssue } from '../domain/errors';
import type { billWorkflow } from '../workflows/billing/workflow';
import { billUpdates, billWorkflowId } from '../workflows/billing/messages';
import { decodeBillFile } from './bill-file';
import { sendUpdate, startHoldingClaim } from './temporal-calls';

/** What the bill routes do, between HTTP and Temporal/PostgreSQL. */

export interface BillServiceDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  now?: () => Date;
  requestDeadlineMs?: number;
}

/**
 * Takes a carrier's bill: read with the carrier's profile (a bad file is a 400 naming each bad row and
 * column, and nothing of it is kept), stored with its lines, and handed to its workflow. The same file
 * again (by sha256) is the bill already taken, not a second one: `created` is false.
 */
export async function uploadBill(
  deps: BillServiceDeps,
  bytes: Buffer,
  query: BillUploadQuery,
  contentType: string,
  actor: Actor,
): Promise<{ bill: BillState; created: boolean }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await liveBillWithFile(deps.pool, sha256);
  if (existing) return { bill: await startedBill(deps, existing), created: false };

  const profile = await currentBillProfile(deps.pool, query.carrier);
  if (!profile)
    throw new ValidationError([
      { path: 'query.carrier', message: `no bill profile for ${query.carrier}: an admin saves one with PUT /api/v1/bill-profiles/${query.carrier}` },
    ]);
  const { rows } = await decodeBillFile(bytes, { contentType, encoding: query.encoding });
  const read = readBillRows(rows, profile, { month: query.month });
  const dueDate = dueDateOf(query, read.dueDate);

  const input: BillWorkflowInput = {
    id: await nextBillId(deps.pool),
    carrier: query.carrier,
    month: query.month,
    dueDate,
    fileName: query.fileName ?? null,
    sha256,
    lines: read.lines.length,
    totalKrw: read.lines.reduce((sum, l) => sum + l.total, 0),
    profileVersion: profile.version,
    requestedBy: actor,
    requestedAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  const taken = await insertBill(deps.pool, receiveBill(input), read.lines);
  // The same file uploaded twice at once: the other request stored it first.
  if (taken) return { bill: await startedBill(deps, taken), created: false };
  return { bill: await startBill(deps, input), created: true };
}

function dueDateOf(query: BillUploadQuery, fromFile: string | null): string {
  const issues: FieldIssue[] = [];
  if (!query.dueDate && !fromFile) issues.push({ path: 'query.dueDate', message: 'is required: the file has no due date (납기일) column' });
  if (query.dueDate && fromFile && query.dueDate !== fromFile)
    issues.push({ path: 'query.dueDate', message: `is ${query.dueDate} but the file says ${fromFile}` });
  if (issues.length) throw new ValidationError(issues);
  return (query.dueDate ?? fromFile)!;
}

function inputOf(bill: BillState): BillWorkflowInput {
  const { id, carrier, month, dueDate, fileName, sha256, lines, totalKrw, profileVersion, requestedBy, requestedAt } = bill;
  return { id, carrier, month, dueDate, fileName, sha256, lines, totalKrw, profileVersion, requestedBy, requestedAt };
}

/**
 * A stored bill sent again: its workflow has written it (version > 0), so it runs or ran, and the
 * answer is the bill as stored, without asking Temporal (a closed run may be forgotten there, and
 * starting anew would run a paid bill again). Only an upload its workflow never took is started.
 */
async function startedBill(deps: BillServiceDeps, stored: { state: BillState; version: number }): Promise<BillState> {
  return stored.version > 0 ? stored.state : startBill(deps, inputOf(stored.state));
}

/**
 * Starts the bill's workflow (a run already started is fine) and answers with the bill as stored.
 * Not confirmed in time: when no workflow holds the upload it is dropped, so a corrected file for
 * the month is not refused for it; either way the answer is 503 and the same file again starts it.
 */
async function startBill(deps: BillServiceDeps, input: BillWorkflowInput): Promise<BillState> {
  await startHoldingClaim(deps, {
    workflowId: billWorkflowId(input.id),
    start: async () => {
      try {
        await deps.client.workflow.start<typeof billWorkflow>('billWorkflow', {
          workflowId: billWorkflowId(input.id),
          taskQueue: deps.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return true;
    },
    recorded: async () => ((await findBillRecord(deps.pool, input.id))?.version ?? 0) > 0 || undefined,
    release: () => releaseBillUpload(deps.pool, input.id),
    failing: `bill ${input.id} was not confirmed taken in; upload the same file again`,
  });
  return (await findBill(deps.pool, input.id)) ?? receiveBill(input);
}

export async function getBill(deps: BillServiceDeps, id: string): Promise<BillState> {
  const bill = await findBill(deps.pool, id);
  if (!bill) throw new NotFoundError('bill', id);
  return bill;
}

/** Sends one of the SPM's actions to the bill's workflow; a dispute first reads its findings' amounts here. */
export async function actOnBill<A extends BillAction>(
  deps: BillServiceDeps,
  id: string,
  action: A,
  body: BillActionBody<A>,
  actor: Actor,
  key?: string,
): Promise<BillState> {
  const bill = await getBill(deps, id);
  const handle = deps.client.workflow.getHandle(billWorkflowId(id));
  return sendUpdate(
    deps,
    { kind: 'bill', resourceId: id, action, body, key, caller: actor.id },
    async (updateId) => {
      // Read within the key's claim: a retry of a dispute that went through gets its answer, not "already disputed".
      const amountKrw = action === 'dispute' ? await disputedAmount(deps, bill, (body as BillActionBody<'dispute'>).findingIds) : undefined;
      return handle.executeUpdate(billUpdates[action] as (typeof billUpdates)['approve'], {
        args: [{ body: body as BillActionBody<'approve'>, actor, ...(amountKrw !== undefined ? { amountKrw } : {}) }],
        updateId,
      });
    },
    async () => {
      const stored = await findBill(deps.pool, id);
      if (!stored) return new NotFoundError('bill', id);
      return new InvalidTransitionError(`cannot ${action} a bill that is ${stored.status}`, {
        action,
        status: stored.status,
        allowedFrom: BILL_ACTIONS[action].from,
      });
    },
    `could not ${action} bill ${id}`,
  );
}

/** The findings must be this bill's and not disputed yet; their amounts at stake are what the dispute claims. */
async function disputedAmount(deps: BillServiceDeps, bill: BillState, findingIds: readonly number[]): Promise<number> {
  const { items } = await findingsOf(deps.pool, bill.id, { ids: findingIds, limit: findingIds.length, offset: 0 });
  const byId = new Map(items.map((f) => [f.id, f]));
  const issues: FieldIssue[] = [];
  findingIds.forEach((fid, i) => {
    const finding = byId.get(fid);
    if (!finding) issues.push({ path: `findingIds.${i}`, message: `${bill.id} has no finding ${fid}` });
    else if (finding.disputeId) issues.push({ path: `findingIds.${i}`, message: `finding ${fid} is already disputed in ${finding.disputeId}` });
    else if (!isRecoverable(finding))
      issues.push({
        path: `findingIds.${i}`,
        message: `finding ${fid} (${finding.kind}, ${finding.amountAtStake} KRW) is nothing to claim back from the carrier`,
      });
  });
  if (issues.length) throw new ValidationError(issues);
  return items.reduce((sum, f) => sum + f.amountAtStake, 0);
}
