import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInspectionActivities } from '../../../activities/inspection/inspection-activities';
import type { Collectors } from '../../../activities/inspection/collectors';
import { findingIncidentsOf, findingsOf, readingsOf, replaceCollected, replaceFindings } from '../../../db/inspections.repo';
import { seedDefaults } from '../../../db/seed';
import type { CollectorTarget, Finding, Reading } from '../../../domain/inspection/contracts';
import { collectionFailureFinding } from '../../../domain/inspection/rules';
import { incidentWorkflowId } from '../../../domain/incident/workflow-id';
import { registerNamespace } from '../../api/harness';
import { freshDatabase } from '../../support/db';

/**
 * openFindingIncidents against a real PostgreSQL and the Temporal dev server, with no worker: the
 * incidents' workflows are started and stay unrun, so none is in the read model. A retry of the
 * activity (Temporal retries it after a worker crash) finds each claimed and started already: it
 * starts nothing twice and answers the same.
 */

const INSPECTION = 'INS-000042';
const PERIOD = '2026-11';

const finding = (deviceId: string, severity: Finding['severity']): Finding => ({
  key: `memory-usage:${deviceId}:memory`,
  ruleId: 'memory-usage',
  center: '상담 1센터',
  system: 'REC',
  deviceId,
  metric: 'memory',
  severity,
  value: severity === 'critical' ? 0.97 : 0.85,
  threshold: severity === 'critical' ? 0.95 : 0.8,
  proposal: { ko: '메모리 증설 검토', en: 'Consider adding memory' },
});

let db: Awaited<ReturnType<typeof freshDatabase>>;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  db = await freshDatabase();
  await seedDefaults(db.pool);
  connection = await Connection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: await registerNamespace(connection) });
});

afterAll(async () => {
  await connection?.close();
  await db?.drop();
});

test('each critical finding gets one incident workflow, however often the activity runs; warnings get none', async () => {
  const target: CollectorTarget = { center: '상담 1센터', system: 'REC' };
  await replaceCollected(
    db.pool,
    INSPECTION,
    PERIOD,
    target,
    [],
    [finding('C1-REC-01', 'critical'), finding('C1-REC-02', 'critical'), finding('C1-REC-03', 'warning')],
  );
  // The same device's finding from a second collector (BACKUP reads every device of the center): one incident, not two.
  await replaceCollected(db.pool, INSPECTION, PERIOD, { center: '상담 1센터', system: 'BACKUP' }, [], [finding('C1-REC-01', 'critical')]);

  const activities = createInspectionActivities({ pool: db.pool, collectors: {} as Collectors });
  const env = () => new MockActivityEnvironment({ taskQueue: 'finding-incidents-test' }, { client });
  expect(await env().run(activities.openFindingIncidents, { inspectionId: INSPECTION, period: PERIOD })).toEqual({ incidents: 2 });
  const claimed = await findingIncidentsOf(db.pool, INSPECTION, PERIOD);
  expect(claimed.map((c) => c.findingKey)).toEqual(['memory-usage:C1-REC-01:memory', 'memory-usage:C1-REC-02:memory']);

  // Retried: the claims stand, the workflows are there (not yet in the read model), nothing new is started.
  expect(await env().run(activities.openFindingIncidents, { inspectionId: INSPECTION, period: PERIOD })).toEqual({ incidents: 2 });
  expect(await findingIncidentsOf(db.pool, INSPECTION, PERIOD)).toEqual(claimed);
  for (const { incidentId } of claimed) {
    const described = await client.workflow.getHandle(incidentWorkflowId(incidentId)).describe();
    expect({ type: described.type, status: described.status.name, taskQueue: described.taskQueue }).toEqual({
      type: 'incidentWorkflow',
      status: 'RUNNING',
      taskQueue: 'finding-incidents-test',
    });
  }
  // Visibility may lag a start by a moment: read until it lists the two, then no third may be there.
  const listed = async () => {
    const ids: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = 'incidentWorkflow'` })) ids.push(w.workflowId);
    return ids.sort();
  };
  let runs = await listed();
  for (const deadline = Date.now() + 10_000; runs.length < claimed.length && Date.now() < deadline; runs = await listed()) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(runs).toEqual(claimed.map((c) => incidentWorkflowId(c.incidentId)).sort());
});

test('a collector given up keeps its recorded failure: an abandoned attempt of it that commits late writes nothing', async () => {
  const inspectionId = 'INS-000043';
  const target: CollectorTarget = { center: '상담 2센터', system: 'NET' };
  const failure = collectionFailureFinding(target, null, 'all 3 attempts timed out');
  const reading: Reading = {
    deviceId: 'C2-NET-01',
    center: target.center,
    system: 'NET',
    metric: 'cpu',
    value: 97,
    capacity: 100,
    unit: 'percent',
    collectedAt: '2026-11-30T15:00:00.000Z',
    measuredBy: 'test',
    source: 'vendor',
  };
  // Before it was given up, an attempt's rows are replaced by the next attempt's, as a retry does.
  await replaceCollected(db.pool, inspectionId, PERIOD, target, [reading], [{ ...finding('C2-NET-01', 'critical'), center: target.center, system: 'NET' }]);
  await replaceCollected(db.pool, inspectionId, PERIOD, target, [reading], []);
  expect(await findingsOf(db.pool, inspectionId)).toEqual([]);
  expect(await readingsOf(db.pool, inspectionId)).toHaveLength(1);

  await replaceFindings(db.pool, inspectionId, target, [failure]);
  await replaceCollected(
    db.pool,
    inspectionId,
    PERIOD,
    target,
    [{ ...reading, value: 12 }],
    [{ ...finding('C2-NET-01', 'critical'), center: target.center, system: 'NET' }],
  );
  expect(await findingsOf(db.pool, inspectionId)).toEqual([failure]);
  expect((await readingsOf(db.pool, inspectionId)).map((r) => r.value)).toEqual([97]);
});
