import { findIncident } from '../../db/incidents.repo';
import { savePolicy, setAutoCloseAfterSeconds, currentSlaSnapshot } from '../../db/sla.repo';
import type { IncidentState } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { incidentStateQuery, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { readUntil, useDevServerWithWorkerProcesses } from '../support/worker-processes';

/**
 * The worker process dies (SIGKILL, no goodbye) in the middle of an incident,
 * while the restore deadline passes; a new worker process picks the incident up,
 * records the breach that fell due while nobody was running, and the incident
 * finishes its lifecycle. Runs on the real dev server, in real time, with
 * second-scale SLA targets.
 */

const spm: Actor = { id: 'kim-spm', role: 'spm' };
const stack = useDevServerWithWorkerProcesses('durability');

test('an incident survives its worker being killed and finishes after a restart', async () => {
  await savePolicy(
    stack.db.pool,
    { severity: 'P1', complexity: 'complex' },
    {
      clock: '24x7',
      responseTargetSeconds: 600,
      restoreTargetSeconds: 4,
      statusReportIntervalSeconds: null,
    },
    'test',
  );
  await setAutoCloseAfterSeconds(stack.db.pool, 3, 'test');
  const sla = (await currentSlaSnapshot(stack.db.pool, 'P1', 'complex'))!;

  const first = await stack.workers.start();
  const id = 'INC-700001';
  const handle = await stack.client.workflow.start(incidentWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: incidentWorkflowId(id),
    args: [
      {
        id,
        title: '상담 2센터 CTI 서버 다운',
        description: 'CTI 서버 응답 없음',
        severity: 'P1',
        complexity: 'complex',
        system: 'CTI',
        center: '상담 2센터',
        source: 'monitoring',
        openedBy: spm,
        openedAt: new Date().toISOString(),
        sla,
      },
    ],
  });
  await handle.executeUpdate(incidentUpdates.assign, { args: [{ action: 'assign', body: { assignee: 'lee' }, actor: spm }] });
  await handle.executeUpdate(incidentUpdates.start, { args: [{ action: 'start', body: {}, actor: spm }] });

  await stack.workers.kill(first);
  // The 4 s restore target passes while no worker runs.
  await new Promise((r) => setTimeout(r, 5_000));
  const before = await findIncident(stack.db.pool, id);
  expect(before?.breached.restore).toBe(false);

  await stack.workers.start();
  const breached = await readUntil(
    () => handle.query(incidentStateQuery),
    (s: IncidentState) => s.breached.restore,
  );
  expect(breached.breached.restore).toBe(true);
  expect(breached.level).toBe('L2');
  expect(breached.warnings.map((w) => `${w.clock}:${w.percent}`)).toEqual(['restore:50', 'restore:75', 'restore:90', 'restore:100']);

  await handle.executeUpdate(incidentUpdates.resolve, { args: [{ action: 'resolve', body: { resolution: 'CTI 서비스 재기동' }, actor: spm }] });
  const final = await handle.result();
  expect(final.status).toBe('CLOSED');
  expect(final.timeline.at(-1)).toMatchObject({ type: 'closed', actor: { role: 'system' } });
  const stored = await readUntil(
    () => findIncident(stack.db.pool, id),
    (s) => s?.status === 'CLOSED',
  );
  expect(stored).toMatchObject({ status: 'CLOSED', level: 'L2', assignee: 'lee' });
  expect(stored!.timeline).toHaveLength(final.timeline.length);
});
