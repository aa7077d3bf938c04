import { verifyAuditChain } from '../../db/audit.repo';
import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { seedDefaults } from '../../db/seed';
import type { InspectionState } from '../../domain/inspection/contracts';
import { loadConfig, type Config } from '../../runtime/config';
import {
  AUDIT_ANCHOR_SCHEDULE_ID,
  BILLING_REPORT_SCHEDULE_ID,
  ensureSchedules,
  INSPECTION_SCHEDULE_ID,
  QSR_SCHEDULE_ID,
  SCHEDULE_IDS,
} from '../../runtime/schedules';
import { inspectionStateQuery } from '../../workflows/inspection/messages';
import { registerNamespace } from '../api/harness';
import { freshDatabase } from '../support/db';
import { installTestRuntime, startTestWorker, testAuditSigner, uniqueTaskQueue, type TestWorker } from '../../runtime/embedded-worker';

/**
 * Butler's Temporal Schedules (runtime/schedules.ts) on the run's dev server (the
 * time-skipping test server has no Schedules), in a namespace of this file's own,
 * with a real worker on the configured task queue so a triggered run really runs.
 */

const TASK_QUEUE = uniqueTaskQueue('schedules');
const config = (env: Record<string, string> = {}): Config => loadConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, ...env });
const SEOUL_MS = 9 * 3_600_000;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: TestWorker;
const started: string[] = [];

beforeAll(async () => {
  installTestRuntime();
  const address = process.env.BUTLER_TEST_TEMPORAL_ADDRESS!;
  db = await freshDatabase();
  await seedDefaults(db.pool);
  connection = await Connection.connect({ address });
  const namespace = await registerNamespace(connection);
  client = new Client({ connection, namespace });
  nativeConnection = await NativeConnection.connect({ address });
  worker = await startTestWorker({ connection: nativeConnection, namespace, taskQueue: TASK_QUEUE, pool: db.pool });
});

afterAll(async () => {
  for (const id of SCHEDULE_IDS)
    await client?.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  for (const workflowId of started)
    await client?.workflow
      .getHandle(workflowId)
      .terminate('schedules test done')
      .catch(() => undefined);
  await worker?.stop();
  await nativeConnection?.close();
  await connection?.close();
  await db?.drop();
});

const describeSchedule = (id: string) => client.schedule.getHandle(id).describe();
const range = <T>(value: T) => [{ start: value, end: value, step: 1 }];

/** The next instant after `now` that is day `day`, `hour`:`minute` in Seoul, in one of `months` (1–12). */
function nextSeoul(now: Date, day: number, hour: number, minute: number, months: number[]): Date {
  const local = new Date(now.getTime() + SEOUL_MS);
  for (let i = 0; i < 24; i++) {
    const y = local.getUTCFullYear() + Math.floor((local.getUTCMonth() + i) / 12);
    const m = (local.getUTCMonth() + i) % 12;
    const at = new Date(Date.UTC(y, m, day, hour, minute) - SEOUL_MS);
    if (months.includes(m + 1) && at > now) return at;
  }
  throw new Error('no next time within two years');
}

/** The month before now in Seoul, as YYYY-MM. */
function seoulPreviousMonth(now: Date): string {
  const local = new Date(now.getTime() + SEOUL_MS);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function expectCalendar(d: ScheduleDescription, c: { day: number; hour: number; minute: number; months?: string[]; comment: string }): void {
  expect(d.spec.calendars).toEqual([
    {
      second: range(0),
      minute: range(c.minute),
      hour: range(c.hour),
      dayOfMonth: range(c.day),
      month: c.months ? c.months.map(range).flat() : [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
      year: [],
      dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
      comment: c.comment,
    },
  ]);
  expect(d.spec.timezone).toBe('Asia/Seoul');
}

describe('ensureSchedules', () => {
  it('creates the schedules: the inspection on the 1st at 02:00, the QSR in Jan/Apr/Jul/Oct, the line cost analysis on the 20th, Asia/Seoul, with the catch-up window', async () => {
    const defaults = config();
    expect(defaults.schedules).toMatchObject({ timeZone: 'Asia/Seoul', catchupDays: 7, inspection: { dayOfMonth: 1, hour: 2, minute: 0 } });
    const outcomes = await ensureSchedules(client, defaults);
    expect(outcomes.map((o) => [o.scheduleId, o.outcome])).toEqual([
      [INSPECTION_SCHEDULE_ID, 'created'],
      [QSR_SCHEDULE_ID, 'created'],
      [BILLING_REPORT_SCHEDULE_ID, 'created'],
      [AUDIT_ANCHOR_SCHEDULE_ID, 'created'],
    ]);

    const inspection = await describeSchedule(INSPECTION_SCHEDULE_ID);
    expectCalendar(inspection, { day: 1, hour: 2, minute: 0, comment: 'monthly inspection of the previous month' });
    expect(inspection.policies).toMatchObject({ catchupWindow: 7 * 86_400_000, overlap: 'ALLOW_ALL' });
    expect(inspection.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'inspectionWorkflow',
      taskQueue: TASK_QUEUE,
      workflowId: 'inspection-scheduled',
    });
    expect(inspection.action.type === 'startWorkflow' && inspection.action.args).toEqual([{ requestedBy: { id: 'schedule', role: 'system' } }]);
    expect(inspection.state.paused).toBe(false);
    // The server reads the calendar in Seoul time: the next run is the next 1st, 02:00 KST.
    expect(inspection.info.nextActionTimes[0]).toEqual(nextSeoul(new Date(), 1, 2, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

    const qsr = await describeSchedule(QSR_SCHEDULE_ID);
    const { dayOfMonth, hour, minute } = defaults.schedules.qsr;
    expectCalendar(qsr, { day: dayOfMonth, hour, minute, months: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], comment: 'QSR of the previous quarter' });
    expect(qsr.policies).toMatchObject({ catchupWindow: 7 * 86_400_000, overlap: 'ALLOW_ALL' });
    expect(qsr.action).toMatchObject({ type: 'startWorkflow', workflowType: 'qsrWorkflow', taskQueue: TASK_QUEUE, workflowId: 'qsr-scheduled' });
    expect(qsr.info.nextActionTimes[0]).toEqual(nextSeoul(new Date(), dayOfMonth, hour, minute, [1, 4, 7, 10]));

    const billing = await describeSchedule(BILLING_REPORT_SCHEDULE_ID);
    expectCalendar(billing, { day: 20, hour: 4, minute: 0, comment: 'line cost analysis of the previous month' });
    expect(billing.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'billingReportWorkflow',
      taskQueue: TASK_QUEUE,
      workflowId: 'billing-report-scheduled',
    });
    expect(billing.info.nextActionTimes[0]).toEqual(nextSeoul(new Date(), 20, 4, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

    // The audit chain's anchor: every day at 00:10 Seoul; a missed day is signed once, late.
    const anchor = await describeSchedule(AUDIT_ANCHOR_SCHEDULE_ID);
    expect(anchor.spec.calendars?.[0]).toMatchObject({ hour: range(0), minute: range(10), comment: "the audit chain's daily anchor, mailed to the auditors" });
    expect(anchor.policies).toMatchObject({ catchupWindow: 86_400_000, overlap: 'ALLOW_ALL' });
    expect(anchor.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'auditAnchorWorkflow',
      taskQueue: TASK_QUEUE,
      workflowId: 'audit-anchor-scheduled',
    });
    const nextAnchor = anchor.info.nextActionTimes[0]!.getTime();
    expect(nextAnchor - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(new Date(nextAnchor + 9 * 3_600_000).toISOString().slice(11, 16)).toBe('00:10');
  });

  it('a second call (a restart) reports "updated", changes nothing and leaves one schedule of each', async () => {
    const before = await Promise.all(SCHEDULE_IDS.map(describeSchedule));
    const outcomes = await ensureSchedules(client, config());
    expect(outcomes.map((o) => [o.scheduleId, o.outcome])).toEqual([
      [INSPECTION_SCHEDULE_ID, 'updated'],
      [QSR_SCHEDULE_ID, 'updated'],
      [BILLING_REPORT_SCHEDULE_ID, 'updated'],
      [AUDIT_ANCHOR_SCHEDULE_ID, 'updated'],
    ]);
    const after = await Promise.all(SCHEDULE_IDS.map(describeSchedule));
    for (const [b, a] of before.map((d, i) => [d, after[i]!] as const)) {
      expect(a.spec).toEqual(b.spec);
      expect(a.action).toEqual(b.action);
      expect(a.policies).toEqual(b.policies);
      expect(a.state).toEqual(b.state);
    }

    // The list comes from visibility, which may lag a moment behind.
    const deadline = Date.now() + 15_000;
    let ids: string[] = [];
    do {
      ids = [];
      for await (const s of client.schedule.list()) ids.push(s.scheduleId);
      if (ids.length === SCHEDULE_IDS.length) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    expect(ids.sort()).toEqual([...SCHEDULE_IDS].sort());
  });

  it('a changed setting (INSPECTION_SCHEDULE_DAY=3, 04:30, 10 days of catch-up) updates the schedule in place', async () => {
    const changed = config({ INSPECTION_SCHEDULE_DAY: '3', INSPECTION_SCHEDULE_TIME: '04:30', SCHEDULE_CATCHUP_DAYS: '10' });
    const outcomes = await ensureSchedules(client, changed);
    expect(outcomes.map((o) => o.outcome)).toEqual(['updated', 'updated', 'updated', 'updated']);
    expect(outcomes[0]!.describe).toContain('"dayOfMonth":3');

    const inspection = await describeSchedule(INSPECTION_SCHEDULE_ID);
    expectCalendar(inspection, { day: 3, hour: 4, minute: 30, comment: 'monthly inspection of the previous month' });
    expect(inspection.policies.catchupWindow).toBe(10 * 86_400_000);
    expect(inspection.info.nextActionTimes[0]).toEqual(nextSeoul(new Date(), 3, 4, 30, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    // The QSR keeps its calendar; only the shared catch-up window moved.
    const qsr = await describeSchedule(QSR_SCHEDULE_ID);
    expect(qsr.spec.calendars?.[0]).toMatchObject({ dayOfMonth: range(changed.schedules.qsr.dayOfMonth), hour: range(changed.schedules.qsr.hour) });
    expect(qsr.policies.catchupWindow).toBe(10 * 86_400_000);
  });

  it('a bad setting is refused by loadConfig before any schedule changes', () => {
    expect(() => config({ INSPECTION_SCHEDULE_DAY: '31' })).toThrow(/INSPECTION_SCHEDULE_DAY/);
    expect(() => config({ INSPECTION_SCHEDULE_TIME: '24:00' })).toThrow(/INSPECTION_SCHEDULE_TIME/);
  });
});

describe('a triggered inspection schedule', () => {
  it('starts an inspectionWorkflow on the configured queue that inspects the month before now (Seoul)', async () => {
    const handle = client.schedule.getHandle(INSPECTION_SCHEDULE_ID);
    const before = new Date();
    await handle.trigger();

    // The run names itself (INS-…) and is in the read model as soon as it has planned its collectors.
    const deadline = Date.now() + 30_000;
    let row: { id: string; workflow_id: string; period: string; state: InspectionState } | undefined;
    while (!row && Date.now() < deadline) {
      const { rows } = await db.pool.query('SELECT id, workflow_id, period, state FROM inspections');
      row = rows[0];
      if (!row) await new Promise((r) => setTimeout(r, 200));
    }
    expect(row).toBeDefined();
    started.push(row!.workflow_id);
    expect(row!.workflow_id).toMatch(/^inspection-scheduled-/);
    expect(row!.id).toMatch(/^INS-\d{6}$/);
    expect(row!.period).toBe(seoulPreviousMonth(before));
    expect(row!.state.requestedBy).toEqual({ id: 'schedule', role: 'system' });

    // With no devices registered it has nothing to collect: it renders its (empty) report and waits for review.
    const run = client.workflow.getHandle(row!.workflow_id);
    const reviewDeadline = Date.now() + 30_000;
    while ((await run.query(inspectionStateQuery)).status === 'RUNNING' && Date.now() < reviewDeadline) await new Promise((r) => setTimeout(r, 200));
    const description = await run.describe();
    expect(description).toMatchObject({ type: 'inspectionWorkflow', taskQueue: TASK_QUEUE });
    const state = await run.query(inspectionStateQuery);
    expect(state).toMatchObject({ id: row!.id, period: seoulPreviousMonth(before), status: 'AWAITING_REVIEW', centers: [], progress: { done: 0, total: 0 } });

    const schedule = await handle.describe();
    expect(schedule.info.recentActions.map((a) => a.action.workflow.workflowId)).toContain(row!.workflow_id);

    await run.terminate('schedules test: the triggered run is not needed further');
    expect((await run.describe()).status.name).toBe('TERMINATED');
  });

  it('a triggered line cost analysis schedule reports the month before now (Seoul) and waits for review', async () => {
    const before = new Date();
    await client.schedule.getHandle(BILLING_REPORT_SCHEDULE_ID).trigger();
    const deadline = Date.now() + 30_000;
    let row: { id: string; workflow_id: string; month: string; status: string } | undefined;
    while (Date.now() < deadline) {
      const { rows } = await db.pool.query(`SELECT id, workflow_id, month, status FROM billing_reports`);
      row = rows[0];
      if (row && row.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(row).toMatchObject({
      workflow_id: expect.stringMatching(/^billing-report-scheduled-/),
      id: expect.stringMatching(/^BR-\d{6}$/),
      month: seoulPreviousMonth(before),
      status: 'AWAITING_REVIEW',
    });
    started.push(row!.workflow_id);
    await client.workflow.getHandle(row!.workflow_id).terminate('schedules test: the triggered run is not needed further');
  });

  it('a triggered audit anchor schedule signs the chain head and the anchor holds against the audit key', async () => {
    await client.schedule.getHandle(AUDIT_ANCHOR_SCHEDULE_ID).trigger();
    const deadline = Date.now() + 30_000;
    let rows: { reason: string; requested_by: string; anchor: { no: number; keyId: string } }[] = [];
    while (rows.length === 0 && Date.now() < deadline) {
      rows = (await db.pool.query(`SELECT reason, requested_by, anchor FROM audit_anchors WHERE requested_by = 'schedule'`)).rows;
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows).toEqual([{ reason: 'daily anchor', requested_by: 'schedule', anchor: expect.objectContaining({ keyId: testAuditSigner().keyId }) }]);
    // The inspection run above printed an anchor in its report: both hold, the schedule's is the latest.
    expect(await verifyAuditChain(db.pool, testAuditSigner().publicKey)).toMatchObject({ ok: true, anchors: { checked: 2, latest: { no: 2 } } });
  });

  it('deleting the schedules removes them', async () => {
    for (const id of SCHEDULE_IDS) {
      await client.schedule.getHandle(id).delete();
      await expect(describeSchedule(id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    }
  });
});
