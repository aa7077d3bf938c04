import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { currentSlaSnapshot, savePolicy, setAutoCloseAfterSeconds } from '../../db/sla.repo';
import type { IncidentState } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { incidentStateQuery, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { workflowBundle } from '../../runtime/embedded-worker';
import { readUntil, useDevServerWithWorkerProcesses } from '../support/worker-processes';

/**
 * Updates that arrive in the same workflow task as a fired SLA timer. The handler and the
 * main loop then both write the read model; when that made the order of commands differ
 * between the first run and a replay, the incident froze on the next replay (every Update a
 * 503, no breach). Real dev server, real time: notes are hammered while a 1-second restore
 * target crosses 50/75/90/100 %, then the worker is killed and a cold one (a new process,
 * empty cache) must replay every history and carry on.
 */

const spm: Actor = { id: 'kim-spm', role: 'spm' };
const INCIDENTS = 4;
const SENDERS_PER_INCIDENT = 4;
const stack = useDevServerWithWorkerProcesses('race');

const note = (handle: WorkflowHandle<typeof incidentWorkflow>, text: string) =>
  handle.executeUpdate(incidentUpdates.notes, { args: [{ action: 'notes', body: { text }, actor: spm }] });

/** Sends notes from `from` to `until` ms after `t0`, one at a time, and counts those accepted. */
async function hammer(handle: WorkflowHandle<typeof incidentWorkflow>, t0: number, from: number, until: number, sender: number): Promise<number> {
  await new Promise((r) => setTimeout(r, Math.max(0, t0 + from - Date.now())));
  let sent = 0;
  while (Date.now() < t0 + until) {
    await note(handle, `sender ${sender} note ${sent}`);
    sent++;
  }
  return sent;
}

test('Updates hammered at the instants an SLA timer fires: every history replays and a cold worker carries on', async () => {
  await savePolicy(
    stack.db.pool,
    { severity: 'P1', complexity: 'complex' },
    {
      clock: '24x7',
      responseTargetSeconds: 600,
      restoreTargetSeconds: 1,
      statusReportIntervalSeconds: null,
    },
    'test',
  );
  await setAutoCloseAfterSeconds(stack.db.pool, 3600, 'test');
  const sla = (await currentSlaSnapshot(stack.db.pool, 'P1', 'complex'))!;
  const first = await stack.workers.start();

  const handles = await Promise.all(
    Array.from({ length: INCIDENTS }, (_, i) => {
      const id = `INC-71000${i}`;
      return stack.client.workflow.start(incidentWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: incidentWorkflowId(id),
        args: [
          {
            id,
            title: `교환기 장애 ${i}`,
            description: 'PRI 다운',
            severity: 'P1',
            complexity: 'complex',
            system: 'PBX',
            center: '상담 1센터',
            source: 'monitoring',
            openedBy: spm,
            openedAt: new Date().toISOString(),
            sla,
          },
        ],
      });
    }),
  );
  const t0 = Date.now();
  // The restore thresholds fall due at 0.5, 0.75, 0.9 and 1 s: notes arrive all through them.
  const sent = await Promise.all(
    handles.map(async (handle) => {
      const counts = await Promise.all(Array.from({ length: SENDERS_PER_INCIDENT }, (_, s) => hammer(handle, t0, 300, 1_400, s)));
      return counts.reduce((a, b) => a + b, 0);
    }),
  );

  for (const handle of handles) {
    const state = await readUntil(
      () => handle.query(incidentStateQuery),
      (s: IncidentState) => s.breached.restore,
      10_000,
    );
    expect(state.breached.restore).toBe(true);
  }

  // Every history as it stands replays with the code the worker runs, and no task ever failed.
  const bundle = await workflowBundle();
  for (const handle of handles) {
    const history = await handle.fetchHistory();
    const failedTasks = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    expect(failedTasks).toEqual([]);
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId)).resolves.toBeUndefined();
  }

  // A cold worker replays each incident from the start and takes the next Update.
  await stack.workers.kill(first);
  const cold = await stack.workers.start();
  for (const [i, handle] of handles.entries()) {
    await note(handle, 'after the restart');
    const after = await handle.query(incidentStateQuery);
    const notes = after.timeline.filter((e) => e.type === 'note');
    expect(notes).toHaveLength(sent[i]! + 1);
    expect(after.warnings.map((w) => `${w.clock}:${w.percent}`)).toEqual(['restore:50', 'restore:75', 'restore:90', 'restore:100']);
    expect(after.level).toBe('L2');
  }
  // No worker of this test may serve the next one's workflows.
  await stack.workers.kill(cold);
});
