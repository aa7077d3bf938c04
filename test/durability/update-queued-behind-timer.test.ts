import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { currentSlaSnapshot, savePolicy } from '../../db/sla.repo';
import type { IncidentState } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { incidentStateQuery, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { workflowBundle } from '../../runtime/embedded-worker';
import { readUntil, useDevServerWithWorkerProcesses } from '../support/worker-processes';

/**
 * An Update that waits on the server while no worker runs, behind an SLA timer that fired
 * meanwhile: the cold worker gets both in one workflow task. Its own file (and task queue)
 * so no worker or poll left over from another test can take the task first.
 */

const spm: Actor = { id: 'kim-spm', role: 'spm' };
const stack = useDevServerWithWorkerProcesses('queued');

const note = (handle: WorkflowHandle<typeof incidentWorkflow>, text: string) =>
  handle.executeUpdate(incidentUpdates.notes, { args: [{ action: 'notes', body: { text }, actor: spm }] });

/**
 * One attempt: the worker dies with an SLA timer armed, the timer fires while nobody runs, two
 * notes are queued, a cold worker starts. Whether the server hands the notes over in the task
 * of the fired timer depends on its timing, which the test cannot steer: it tries up to three
 * times and requires the situation at least once; every attempt's history must replay cleanly.
 */
async function queuedBehindAFiredTimer(attempt: number, sla: Parameters<typeof incidentWorkflow>[0]['sla']) {
  const first = await stack.workers.start();
  const id = `INC-71100${attempt}`;
  const handle = await stack.client.workflow.start(incidentWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: incidentWorkflowId(id),
    args: [
      {
        id,
        title: 'IVR 응답 없음',
        description: 'IVR 다운',
        severity: 'P1',
        complexity: 'simple',
        system: 'IVR',
        center: '상담 2센터',
        source: 'monitoring',
        openedBy: spm,
        openedAt: new Date().toISOString(),
        sla,
      },
    ],
  });
  await note(handle, 'opened');
  // The worker dies only once the history shows an SLA timer armed: the note alone does not
  // say so, because the timers start in a later task than the one that accepted it.
  const armed = await readUntil(
    async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes),
    (yes) => yes,
    3_000,
  );
  expect(armed).toBe(true);
  await stack.workers.kill(first);
  // The armed timer fires while no worker runs (the thresholds fall due at 4, 6, 7.2 and 8 s); the notes wait with it.
  await new Promise((r) => setTimeout(r, 8_500));
  const queued = [note(handle, 'queued 1'), note(handle, 'queued 2')];
  await new Promise((r) => setTimeout(r, 300));
  const cold = await stack.workers.start();
  await Promise.all(queued);
  // The thresholds that fell due meanwhile are handled one task after another: wait for the breach.
  const state = await readUntil(
    () => handle.query(incidentStateQuery),
    (s: IncidentState) => s.breached.restore,
    10_000,
  );
  const history = await handle.fetchHistory();
  await stack.workers.kill(cold);
  // The events' attribute names say what they are: a fired timer, then the task that handled it, which also accepted an Update.
  const events = history.events ?? [];
  const kinds = events.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? '');
  const sameTask = kinds.some((kind, i) => {
    if (kind !== 'timerFiredEventAttributes') return false;
    const completed = kinds.findIndex((k, j) => j > i && k === 'workflowTaskCompletedEventAttributes');
    const nextTask = kinds.findIndex((k, j) => j > completed && k === 'workflowTaskScheduledEventAttributes');
    return completed > 0 && kinds.slice(completed, nextTask < 0 ? undefined : nextTask).includes('workflowExecutionUpdateAcceptedEventAttributes');
  });
  return { handle, history, state, sameTask };
}

test('an Update queued while no worker ran arrives in the same workflow task as the timer that fired meanwhile', async () => {
  await savePolicy(
    stack.db.pool,
    { severity: 'P1', complexity: 'simple' },
    {
      clock: '24x7',
      responseTargetSeconds: 600,
      // Long enough that the first timer is still armed when the worker dies on a loaded machine.
      restoreTargetSeconds: 8,
      statusReportIntervalSeconds: null,
    },
    'test',
  );
  const sla = (await currentSlaSnapshot(stack.db.pool, 'P1', 'simple'))!;
  const bundle = await workflowBundle();
  let produced = false;
  for (let attempt = 1; attempt <= 3 && !produced; attempt++) {
    const { handle, history, state, sameTask } = await queuedBehindAFiredTimer(attempt, sla);
    produced = sameTask;
    expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId)).resolves.toBeUndefined();
    expect(state.breached.restore).toBe(true);
    expect(state.timeline.filter((e) => e.type === 'note')).toHaveLength(3);
  }
  expect(produced).toBe(true);
});
