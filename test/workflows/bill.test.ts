import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findingsOf, insertBill } from '../../db/bills.repo';
import { seedDefaults } from '../../db/seed';
import type { Actor } from '../../domain/actor';
import type { BillLine, BillState, BillWorkflowInput } from '../../domain/billing/contracts';
import { receiveBill } from '../../domain/billing/lifecycle';
import { dayOfIsoDate, isoDateOfDay } from '../../domain/calendar/local-time';
import { seoulDateOf } from '../../domain/calendar/seoul';
import { startTestWorker, type TestWorker } from '../../runtime/embedded-worker';
import { billStateQuery, billUpdates, billWorkflowId } from '../../workflows/billing/messages';
import type { billWorkflow } from '../../workflows/billing/workflow';
import { seedLines } from '../../db/line-seed';
import { freshDatabase } from '../support/db';
import { eventually } from '../support/eventually';
import { createTimeSkippingEnv } from '../support/time-skipping';

/**
 * The bill workflow on the time-skipping server with the real activities and PostgreSQL:
 * reminders of the payment at D-7 and D-1 (and overdue) until it is paid, a dispute's
 * follow-ups every few days until the carrier settles it, and the run's end.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPM: Actor = { id: 'spm.kim', role: 'spm' };

let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let worker: TestWorker;

beforeAll(async () => {
  [env, db] = await Promise.all([createTimeSkippingEnv(), freshDatabase()]);
  await seedDefaults(db.pool);
  worker = await startTestWorker({ connection: env.nativeConnection, pool: db.pool });
});
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await db?.drop();
});

let serial = 0;
/** A bill of `carrier` due `dueInDays` after the test server's today, with one line over its contract (one finding). */
async function startBill(carrier: string, dueInDays: number): Promise<{ id: string; handle: WorkflowHandle<typeof billWorkflow> }> {
  serial++;
  const today = seoulDateOf(await env.currentTimeMs());
  const month = `2030-${String(serial).padStart(2, '0')}`;
  const dn = `021234${String(serial).padStart(4, '0')}`;
  await seedLines(db.pool, [{ id: `LN-9${String(serial).padStart(5, '0')}`, dn, carrier, monthlyFee: 30_000, activatedAt: '2029-01-05T10:00:00+09:00' }]);
  const lines: BillLine[] = [{ row: 2, number: dn, baseFee: 33_000, usageFee: 1_200, addOnFee: 0, discount: 0, total: 34_200 }];
  const input: BillWorkflowInput = {
    id: `BILL-9${String(serial).padStart(5, '0')}`,
    carrier,
    month,
    dueDate: isoDateOfDay(dayOfIsoDate(today) + dueInDays),
    fileName: null,
    sha256: `sha-${serial}-${Date.now()}`,
    lines: 1,
    totalKrw: 34_200,
    profileVersion: 1,
    requestedBy: SPM,
    requestedAt: new Date(await env.currentTimeMs()).toISOString(),
  };
  await insertBill(db.pool, receiveBill(input), lines);
  const handle = await env.client.workflow.start<typeof billWorkflow>('billWorkflow', {
    workflowId: billWorkflowId(input.id),
    taskQueue: worker.taskQueue,
    args: [input],
  });
  const reviewing = await eventually(
    () => handle.query(billStateQuery),
    (s) => s.status === 'AWAITING_REVIEW',
  );
  expect(reviewing.status).toBe('AWAITING_REVIEW');
  return { id: input.id, handle };
}

async function noticeKinds(billId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ key: string }>(`SELECT key FROM notifications WHERE about = $1 ORDER BY created_at, key`, [billId]);
  return rows.map((r) => r.key.slice(billId.length + 1));
}

test('the SPM is reminded at D-7 and D-1 until the bill is paid; paid, the run ends', async () => {
  const { id, handle } = await startBill('KT', 10);
  const reviewed = await handle.query(billStateQuery);
  expect(reviewed.findings).toMatchObject({ count: 1, amountAtStake: 3_000, byKind: { 'base-fee-mismatch': { count: 1, amountAtStake: 3_000 } } });

  await env.sleep(3 * DAY + 12 * HOUR);
  expect((await handle.query(billStateQuery)).reminders.map((r) => r.kind)).toEqual(['D-7']);
  const approved = await handle.executeUpdate(billUpdates.approve, { args: [{ body: { comment: '정상 청구' }, actor: SPM }] });
  expect(approved).toMatchObject({ status: 'APPROVED', approval: { amountKrw: 34_200 } });

  await env.sleep(6 * DAY);
  expect((await handle.query(billStateQuery)).reminders.map((r) => r.kind)).toEqual(['D-7', 'D-1']);
  const paid = await handle.executeUpdate(billUpdates.pay, { args: [{ body: { paidOn: approved.dueDate, amountKrw: 34_200 }, actor: SPM }] });
  expect(paid.status).toBe('PAID');

  const final: BillState = await handle.result();
  expect(final.reminders.map((r) => r.kind)).toEqual(['D-7', 'D-1']);
  const notices = await eventually(
    () => noticeKinds(id),
    (k) => k.includes('payment:D-1'),
  );
  expect(notices).toEqual(['review', 'payment:D-7', 'payment:D-1']);
});

test('a bill not paid by its due date: one overdue notice the day after, and the run waits for the payment', async () => {
  const { handle } = await startBill('KT', 2);
  // Taken in two days before it is due: D-7 has passed, so it goes out at once; then D-1 and the day after.
  expect((await handle.query(billStateQuery)).reminders.map((r) => r.kind)).toEqual(['D-7']);
  await env.sleep(3 * DAY + 12 * HOUR);
  const state = await handle.query(billStateQuery);
  expect(state.reminders.map((r) => r.kind)).toEqual(['D-7', 'D-1', 'overdue']);
  expect(state.status).toBe('AWAITING_REVIEW');
  await handle.executeUpdate(billUpdates.approve, { args: [{ body: {}, actor: SPM }] });
  await handle.executeUpdate(billUpdates.pay, { args: [{ body: { paidOn: seoulDateOf(await env.currentTimeMs()), amountKrw: 34_200 }, actor: SPM }] });
  const final = await handle.result();
  expect(final.status).toBe('PAID');
  expect(final.history.find((e) => e.type === 'status:PAID')?.details).toMatchObject({ late: true });
});

test('a dispute is followed up every few days until settled; the undisputed part is paid meanwhile; settled, the run ends', async () => {
  const { id, handle } = await startBill('SKB', 20);
  const [finding] = (await findingsOf(db.pool, id, { limit: 10, offset: 0 })).items;
  expect(finding).toMatchObject({ kind: 'base-fee-mismatch', amountAtStake: 3_000, disputeId: null });

  const disputed = await handle.executeUpdate(billUpdates.dispute, {
    args: [{ body: { findingIds: [finding!.id], carrierReference: 'SKB-CS-2030-0117', followUpDays: 3 }, actor: SPM, amountKrw: 3_000 }],
  });
  expect(disputed.disputes).toEqual([expect.objectContaining({ id: `${id}-D1`, status: 'OPEN', amountKrw: 3_000, followUps: 0 })]);
  expect((await findingsOf(db.pool, id, { limit: 10, offset: 0 })).items[0]!.disputeId).toBe(`${id}-D1`);
  // The same finding twice is refused before it enters history.
  await expect(
    handle.executeUpdate(billUpdates.dispute, {
      args: [{ body: { findingIds: [finding!.id], carrierReference: 'again', followUpDays: 3 }, actor: SPM, amountKrw: 3_000 }],
    }),
  ).rejects.toMatchObject({ cause: { type: 'InvalidTransition', message: expect.stringMatching(/already disputed in BILL-\d+-D1/) } });

  const approved = await handle.executeUpdate(billUpdates.approve, { args: [{ body: {}, actor: SPM }] });
  expect(approved.approval!.amountKrw).toBe(34_200 - 3_000);
  await handle.executeUpdate(billUpdates.pay, { args: [{ body: { paidOn: approved.dueDate, amountKrw: 31_200 }, actor: SPM }] });

  await env.sleep(10 * DAY);
  const waiting = await handle.query(billStateQuery);
  expect(waiting.status).toBe('PAID');
  expect(waiting.disputes[0]!.followUps).toBe(3);

  const settled = await handle.executeUpdate(billUpdates.settle, {
    args: [{ body: { disputeId: `${id}-D1`, creditKrw: 3_000, note: '차액 환급' }, actor: SPM }],
  });
  expect(settled.disputes[0]).toMatchObject({ status: 'SETTLED', followUpAt: null, settlement: { creditKrw: 3_000 } });
  const final = await handle.result();
  expect(final.history.map((e) => e.type)).toEqual(
    expect.arrayContaining(['received', 'status:AWAITING_REVIEW', 'dispute-opened', 'dispute-follow-up', 'status:APPROVED', 'status:PAID', 'dispute-settled']),
  );
  const followUps = await eventually(
    async () => (await noticeKinds(id)).filter((k) => k.includes(':follow-up:')),
    (k) => k.length >= 3,
  );
  expect(followUps).toEqual([`${id}-D1:follow-up:1`, `${id}-D1:follow-up:2`, `${id}-D1:follow-up:3`]);
});

test('withdrawing a bill is refused while a dispute is open, and ends the run once none is', async () => {
  const { id, handle } = await startBill('LGU', 30);
  const [finding] = (await findingsOf(db.pool, id, { limit: 10, offset: 0 })).items;
  await handle.executeUpdate(billUpdates.dispute, {
    args: [{ body: { findingIds: [finding!.id], carrierReference: 'LGU-77', followUpDays: 7 }, actor: SPM, amountKrw: finding!.amountAtStake }],
  });
  await expect(handle.executeUpdate(billUpdates.withdraw, { args: [{ body: { reason: '재발행 예정' }, actor: SPM }] })).rejects.toMatchObject({
    cause: { type: 'InvalidTransition', message: expect.stringMatching(/still open/) },
  });
  await handle.executeUpdate(billUpdates.settle, { args: [{ body: { disputeId: `${id}-D1`, creditKrw: 0, note: '통신사 거절' }, actor: SPM }] });
  await handle.executeUpdate(billUpdates.withdraw, { args: [{ body: { reason: '재발행 예정' }, actor: SPM }] });
  expect((await handle.result()).status).toBe('WITHDRAWN');
});
