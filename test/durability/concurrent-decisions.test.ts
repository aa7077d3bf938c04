import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { currentSlaSnapshot } from '../../db/sla.repo';
import { seedDefaults } from '../../db/seed';
import type { Actor } from '../../domain/actor';
import type { QsrState } from '../../domain/qsr/contracts';
import { changeStateQuery, changeSubmittedUpdate, changeUpdates, changeWorkflowId } from '../../workflows/change/messages';
import { incidentPublishReportUpdate, incidentRcaUpdate, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { qsrApproveUpdate, qsrProposalsUpdate, qsrReturnUpdate, qsrStateQuery, qsrWorkflowId } from '../../workflows/qsr/messages';
import { qsrWorkflow } from '../../workflows/qsr/workflow';
import { freshDatabase } from '../support/db';
import { startTestVendors, type TestVendors } from '../support/vendors';
import { installTestRuntime, startTestWorker, uniqueTaskQueue, type TestWorker } from '../../runtime/embedded-worker';
import { readUntil } from '../support/worker-processes';

/**
 * Two decisions that reach a workflow in the same workflow task: Updates queued while no
 * worker ran arrive together when one starts. Each pair below must end with one decision
 * taken and the other refused, never both "accepted". Real dev server, real activities.
 */

const spm: Actor = { id: 'spm.kim', role: 'spm' };
const engineer: Actor = { id: 'eng.lee', role: 'engineer' };
const taskQueue = uniqueTaskQueue('decisions');
let db: Awaited<ReturnType<typeof freshDatabase>>;
let vendors: TestVendors;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let worker: TestWorker | undefined;

beforeAll(async () => {
  installTestRuntime();
  [db, vendors] = await Promise.all([freshDatabase(), startTestVendors()]);
  await seedDefaults(db.pool);
  native = await NativeConnection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS });
  connection = await Connection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS });
  client = new Client({ connection });
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.stop();
  await native?.close();
  await connection?.close();
  await vendors?.stop();
  await db?.drop();
});

const startWorker = () => startTestWorker({ connection: native, pool: db.pool, vendors, taskQueue });

/**
 * Stops the worker, sends the Updates one after another (each admitted before the next is
 * sent), starts a worker, and returns how each ended: its result, or the failure it was refused with.
 */
async function queuedTogether<T>(sends: Array<() => Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  await worker?.stop();
  worker = undefined;
  const pending: Array<Promise<T>> = [];
  for (const send of sends) {
    const p = send();
    p.catch(() => undefined);
    pending.push(p);
    await new Promise((r) => setTimeout(r, 300));
  }
  worker = await startWorker();
  return Promise.allSettled(pending);
}

function refusal(result: PromiseSettledResult<unknown>): string | undefined {
  if (result.status === 'fulfilled') return undefined;
  const err = result.reason as unknown;
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

/** A change request whose first workflow task has run: its handlers are set, so queued Updates arrive in order. */
async function submitChange(id: string) {
  const now = Date.now();
  const handle = await client.workflow.start('changeRequestWorkflow', {
    taskQueue,
    workflowId: changeWorkflowId(id),
    args: [
      {
        id,
        type: 'skillset',
        target: `agent.${id}@center1.example`,
        params: { skills: [{ name: '영어', proficiency: 5 }] },
        window: { start: new Date(now + 86_400_000).toISOString(), end: new Date(now + 90_000_000).toISOString() },
        reason: '영어 상담 투입',
        requestedBy: engineer,
        requestedAt: new Date(now).toISOString(),
        timing: { approvalDeadlineMs: 86_400_000, approvalReminderMs: 43_200_000 },
      },
    ],
  });
  await handle.executeUpdate(changeSubmittedUpdate);
  return handle as WorkflowHandle;
}

const approveBy = (handle: WorkflowHandle) => () => handle.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer' }, actor: spm }] });

const holdsOf = async (changeId: string) => (await db.pool.query('SELECT change_id FROM change_window_holds WHERE change_id = $1', [changeId])).rows.length;

test('a change approved twice at once by the same party records one approval', async () => {
  const handle = await submitChange('CHG-dd0001');
  const [first, second] = await queuedTogether([approveBy(handle), approveBy(handle)]);
  expect([refusal(first), refusal(second)].sort()).toEqual(['InvalidTransition', undefined].sort());
  const state = await handle.query(changeStateQuery);
  expect(state.status).toBe('SCHEDULED');
  expect(state.approvals).toHaveLength(1);
  expect(state.history.filter((e) => e.type === 'approved')).toHaveLength(1);
  expect(await holdsOf('CHG-dd0001')).toBe(1);
  await handle.executeUpdate(changeUpdates.cancel, { args: [{ body: { reason: 'test finished' }, actor: spm }] });
});

test('a final approval and a cancellation at once: the change is cancelled, the approval refused, the window free', async () => {
  const handle = await submitChange('CHG-dd0002');
  const [approval, cancellation] = await queuedTogether([
    approveBy(handle),
    () => handle.executeUpdate(changeUpdates.cancel, { args: [{ body: { reason: '고객 요청 철회' }, actor: spm }] }),
  ]);
  expect(refusal(cancellation)).toBeUndefined();
  expect(refusal(approval)).toBe('InvalidTransition');
  const state = await handle.result();
  expect(state.status).toBe('CANCELLED');
  expect(state.approvals).toEqual([]);
  expect(await holdsOf('CHG-dd0002')).toBe(0);
});

test('a QSR approved and sent back at once: one decision is taken, the other refused', async () => {
  const handle = await client.workflow.start(qsrWorkflow, {
    taskQueue,
    workflowId: qsrWorkflowId('QSR-dd0001'),
    args: [{ id: 'QSR-dd0001', quarter: '2026-Q3', requestedBy: spm }],
  });
  await readUntil(
    () => handle.query(qsrStateQuery),
    (s: QsrState) => s.status === 'AWAITING_REVIEW',
    60_000,
  );
  await handle.executeUpdate(qsrProposalsUpdate, {
    args: [{ body: { proposals: [{ title: 'PRI 이중화', detail: '2센터 PRI 회선 이중화 검토' }] }, actor: spm }],
  });
  const [approval, sendBack] = await queuedTogether<QsrState>([
    () => handle.executeUpdate(qsrApproveUpdate, { args: [{ body: {}, actor: spm }] }),
    () => handle.executeUpdate(qsrReturnUpdate, { args: [{ body: { comments: '수치 재확인 필요' }, actor: spm }] }),
  ]);
  // Whichever the server handed over first is taken; the other is refused.
  const outcomes = [refusal(approval), refusal(sendBack)];
  expect([...outcomes].sort()).toEqual(['InvalidTransition', undefined].sort());
  const final = await handle.result();
  expect(final.status).toBe(outcomes[0] === undefined ? 'DELIVERED' : 'RETURNED');
  expect(final.review?.decision).toBe(outcomes[0] === undefined ? 'approved' : 'returned');
});

test('two publications of an incident report at once get two versions', async () => {
  const id = 'INC-dd0001';
  const handle = await client.workflow.start(incidentWorkflow, {
    taskQueue,
    workflowId: incidentWorkflowId(id),
    args: [
      {
        id,
        title: '녹취 서버 저장 실패',
        description: '녹취 파일 저장 실패',
        severity: 'P2',
        complexity: 'complex',
        system: 'REC',
        center: '상담 2센터',
        source: 'monitoring',
        openedBy: spm,
        openedAt: new Date().toISOString(),
        sla: (await currentSlaSnapshot(db.pool, 'P2', 'complex'))!,
      },
    ],
  });
  const act = (action: 'assign' | 'start' | 'resolve', body: Record<string, unknown>) =>
    handle.executeUpdate(incidentUpdates[action], { args: [{ action, body: body as never, actor: engineer }] });
  await act('assign', { assignee: 'choi' });
  await act('start', {});
  await act('resolve', { resolution: '스토리지 볼륨 확장' });
  await handle.executeUpdate(incidentRcaUpdate, {
    args: [
      {
        body: { cause: '볼륨 100%', actions: '볼륨 확장', prevention: [{ item: '사용률 경보', owner: '인프라 운영', dueDate: '2026-12-31' }] },
        actor: engineer,
      },
    ],
  });
  const publish = () => handle.executeUpdate(incidentPublishReportUpdate, { args: [{ body: { locale: 'ko' }, actor: spm }] });
  const results = await queuedTogether([publish, publish]);
  expect(results.map(refusal)).toEqual([undefined, undefined]);
  await handle.executeUpdate(incidentUpdates.close, { args: [{ action: 'close', body: {}, actor: spm }] });
  const final = await handle.result();
  expect(final.reports?.map((r) => r.version).sort()).toEqual([1, 2]);
  expect(new Set(final.reports?.map((r) => r.reportId)).size).toBe(2);
});
