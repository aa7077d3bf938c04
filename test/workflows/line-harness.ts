import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findLine } from '../../db/lines.repo';
import { seedDefaults } from '../../db/seed';
import type { ChangeRequest, ChangeTiming, ChangeWorkflowInput } from '../../domain/change/contracts';
import type { Actor } from '../../domain/actor';
import type { LineState, LineTiming, LineWorkflowInput, ProvisionLineRequest } from '../../domain/line/contracts';
import { changeWorkflowId } from '../../workflows/change/messages';
import type { changeRequestWorkflow } from '../../workflows/change/workflow';
import { equipmentReturnedUpdate, lineTerminationWorkflowId, lineWorkflowId, recordContractUpdate } from '../../workflows/line/messages';
import type { lineProvisioningWorkflow } from '../../workflows/line/provisioning';
import type { LineTerminationInput, lineTerminationWorkflow } from '../../workflows/line/termination';
import { freshDatabase } from '../support/db';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { startTestVendors, type TestVendors } from '../support/vendors';
import { startTestWorker, type TestWorker } from '../../runtime/embedded-worker';

/**
 * What the line and change workflow tests share: the time-skipping server, a
 * real worker with the real activities over a real Kamailio (with SIPp for
 * acceptance) and the CTI emulator, and a fresh seeded database.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const SPM: Actor = { id: 'spm.kim', role: 'spm' };
export const ENGINEER: Actor = { id: 'eng.lee', role: 'engineer' };

export const LINE_TIMING: LineTiming = {
  contractDeadlineMs: 3 * DAY,
  contractReminderMs: DAY,
  equipmentDeadlineMs: 2 * DAY,
  equipmentReminderMs: DAY,
};

export const CHANGE_TIMING: ChangeTiming = { approvalDeadlineMs: 2 * DAY, approvalReminderMs: DAY };

export const CONTRACT = { contractNo: 'KT-2026-0042', carrier: 'KT', monthlyFee: 33_000, termMonths: 36, signedAt: '2026-01-15' };

export interface LineHarness {
  env: TestWorkflowEnvironment;
  db: Awaited<ReturnType<typeof freshDatabase>>;
  vendors: TestVendors;
  worker: TestWorker;
}

export function useLineHarness(): LineHarness {
  const h = {} as LineHarness;
  beforeAll(async () => {
    [h.env, h.db, h.vendors] = await Promise.all([createTimeSkippingEnv(), freshDatabase(), startTestVendors()]);
    await seedDefaults(h.db.pool);
    h.worker = await startTestWorker({ connection: h.env.nativeConnection, pool: h.db.pool, vendors: h.vendors });
  });
  afterEach(() => h.vendors?.emulator.faults.reset());
  afterAll(async () => {
    await h.worker?.stop();
    await h.env?.teardown();
    await Promise.all([h.vendors?.stop(), h.db?.drop()]);
  });
  return h;
}

let serial = 0;
/** A DN nobody else in this run uses. */
export function freshDn(): string {
  serial += 1;
  return `3${String(process.pid % 100).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
}

export function lineId(): string {
  return `LN-${String(100_000 + Math.floor(Math.random() * 800_000))}`;
}

export async function requestLine(
  h: LineHarness,
  request: Partial<ProvisionLineRequest> = {},
  timing: LineTiming = LINE_TIMING,
): Promise<{ id: string; handle: WorkflowHandle<typeof lineProvisioningWorkflow>; input: LineWorkflowInput }> {
  const id = lineId();
  const input: LineWorkflowInput = {
    center: '상담 1센터',
    dn: freshDn(),
    displayName: '상담원',
    lineType: 'extension',
    ...request,
    id,
    requestedBy: SPM,
    requestedAt: new Date(await h.env.currentTimeMs()).toISOString(),
    timing,
  };
  const handle = await h.env.client.workflow.start<typeof lineProvisioningWorkflow>('lineProvisioningWorkflow', {
    workflowId: lineWorkflowId(id),
    taskQueue: h.worker.taskQueue,
    args: [input],
  });
  return { id, handle, input };
}

/** A line taken all the way to ACTIVE. */
export async function activeLine(h: LineHarness, request: Partial<ProvisionLineRequest> = {}): Promise<LineState> {
  const { handle } = await requestLine(h, request);
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  return handle.result();
}

export async function submitChange(
  h: LineHarness,
  change: ChangeRequest,
  timing: ChangeTiming = CHANGE_TIMING,
): Promise<{ id: string; handle: WorkflowHandle<typeof changeRequestWorkflow> }> {
  const id = `CHG-${randomBytes(3).toString('hex')}`;
  const input: ChangeWorkflowInput = { ...change, id, requestedBy: ENGINEER, requestedAt: new Date(await h.env.currentTimeMs()).toISOString(), timing };
  const handle = await h.env.client.workflow.start<typeof changeRequestWorkflow>('changeRequestWorkflow', {
    workflowId: changeWorkflowId(id),
    taskQueue: h.worker.taskQueue,
    args: [input],
  });
  return { id, handle };
}

/** A window starting `fromNowMs` after the environment's current time, lasting `lengthMs`. */
export async function windowFromNow(h: LineHarness, fromNowMs: number, lengthMs = 2 * HOUR): Promise<{ start: string; end: string }> {
  const now = await h.env.currentTimeMs();
  return { start: new Date(now + fromNowMs).toISOString(), end: new Date(now + fromNowMs + lengthMs).toISOString() };
}

export function historyTypes(state: { history: Array<{ type: string }> }): string[] {
  return state.history.map((e) => e.type);
}

export async function notificationKinds(h: LineHarness, about: string): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ kind: string }>(`SELECT kind FROM notifications WHERE about = $1 ORDER BY created_at, key`, [about]);
  return rows.map((r) => r.kind);
}

/**
 * The line (as the inventory holds it now) terminated at once: an effective date already past,
 * the equipment returned; the termination's end state.
 */
export async function terminatedLine(h: LineHarness, line: LineState, reason = '해지'): Promise<LineState> {
  const input: LineTerminationInput = {
    line: (await findLine(h.db.pool, line.id))!,
    request: { reason, effectiveDate: '2026-11-30' },
    effectiveDate: '2026-11-30',
    requestedBy: SPM,
    requestedAt: new Date(await h.env.currentTimeMs()).toISOString(),
    timing: LINE_TIMING,
  };
  const handle = await h.env.client.workflow.start<typeof lineTerminationWorkflow>('lineTerminationWorkflow', {
    workflowId: lineTerminationWorkflowId(line.id),
    taskQueue: h.worker.taskQueue,
    args: [input],
  });
  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: {}, actor: ENGINEER }] });
  return handle.result();
}
