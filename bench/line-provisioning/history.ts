import type { Client } from '@temporalio/client';
import type { LineState } from '../../domain/line/contracts';
import { lineWorkflowId } from '../../workflows/line/messages';
import { ADAPTER_ACTIVITIES, type ActivityRun, type Analysis, type Breakdown } from './breakdown';
import { readTasks, type ActivityTask, type History, type WorkflowTask } from './history-tasks';
import type { LineRun } from './load';

/** The histories of the lines that got an id and a final state, 16 at a time, analysed; by line number. */
export async function fetchHistories(client: Client, runs: LineRun[]): Promise<Map<number, Analysis>> {
  const out = new Map<number, Analysis>();
  const todo = runs.filter((r) => r.id && r.final);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < todo.length) {
        const r = todo[next++];
        const history = await client.workflow.getHandle(lineWorkflowId(r.id!)).fetchHistory();
        out.set(r.i, analyse(r.final!, history));
      }
    }),
  );
  return out;
}

/** What a line's history says: its activities, its start, and where contract → ACTIVE went. */
export function analyse(line: LineState, history: History): Analysis {
  const { acts, wfts, workflowStarted } = readTasks(history);
  const activities: ActivityRun[] = [...acts.values()]
    .filter((a) => a.started !== undefined)
    .map((a) => ({ type: a.type, queueMs: a.started! - a.scheduled, runMs: (a.closed ?? a.started!) - a.started!, attempt: a.attempt, outcome: a.outcome }));

  const first = [...wfts.values()][0];
  const start =
    workflowStarted !== undefined && first
      ? { workflowStarted, firstTaskScheduled: first.scheduled, firstTaskStarted: first.started, firstTaskClosed: first.closed }
      : undefined;

  const at = (type: string) => line.history.find((h) => h.type === type)?.at;
  const from = at('contract-recorded');
  const to = at('status:ACTIVE');
  if (!from || !to) return { activities, start };
  return { breakdown: breakdown({ start: Date.parse(from), end: Date.parse(to) }, acts, wfts), activities, start };
}

/** Where the time of [w.start, w.end] went, from the activity and workflow tasks. */
function breakdown(w: { start: number; end: number }, acts: Map<string, ActivityTask>, wfts: Map<string, WorkflowTask>): Breakdown {
  const clip = (a: number, b: number) => Math.max(0, Math.min(b, w.end) - Math.max(a, w.start));
  const out: Breakdown = { window: w.end - w.start, adapters: 0, activityDispatch: 0, retries: 0, workflowTaskQueue: 0, workflowTaskRun: 0, projections: 0 };
  for (const a of acts.values()) {
    if (a.started === undefined) continue;
    const queue = clip(a.scheduled, a.started);
    if (a.attempt > 1) out.retries += queue;
    else out.activityDispatch += queue;
    // Other activities (notify) run after ACTIVE, or count as "other".
    if (ADAPTER_ACTIVITIES.includes(a.type)) out.adapters += clip(a.started, a.closed ?? a.started);
  }
  for (const t of wfts.values()) {
    if (t.started === undefined) continue;
    const closed = t.closed ?? t.started;
    // Local activities (projectLine) run inside the workflow task that scheduled them, from its start.
    const localEnd = Math.min(closed, t.lastLocalActivityEnd ?? t.started);
    const projections = clip(t.started, localEnd);
    out.projections += projections;
    out.workflowTaskQueue += clip(t.scheduled, t.started);
    out.workflowTaskRun += clip(t.started, closed) - projections;
  }
  return out;
}
