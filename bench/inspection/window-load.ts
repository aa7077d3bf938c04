import { readTasks, type History } from '../line-provisioning/history-tasks';

/** Milliseconds of one or more histories' tasks that fall inside a window, summed. */
export interface WindowLoad {
  /** Workflow tasks: WorkflowTaskScheduled → Started (waiting for the worker) and Started → Completed (local activities included). */
  wftQueueMs: number;
  wftRunMs: number;
  wfts: number;
  /** Activities: scheduled → started, and started → closed, by type. */
  activityQueueMs: number;
  activityRunMs: Map<string, number>;
}

export function emptyLoad(): WindowLoad {
  return { wftQueueMs: 0, wftRunMs: 0, wfts: 0, activityQueueMs: 0, activityRunMs: new Map() };
}

/** Adds what `history`'s tasks spent inside [from, to] to `into`. */
export function addLoad(into: WindowLoad, history: History, from: number, to: number): WindowLoad {
  const clip = (a: number, b: number) => Math.max(0, Math.min(b, to) - Math.max(a, from));
  const { acts, wfts } = readTasks(history);
  for (const t of wfts.values()) {
    if (t.started === undefined) continue;
    const inside = clip(t.scheduled, t.closed ?? t.started);
    if (inside <= 0) continue;
    into.wfts++;
    into.wftQueueMs += clip(t.scheduled, t.started);
    into.wftRunMs += clip(t.started, t.closed ?? t.started);
  }
  for (const a of acts.values()) {
    if (a.started === undefined) continue;
    into.activityQueueMs += clip(a.scheduled, a.started);
    const run = clip(a.started, a.closed ?? a.started);
    if (run > 0) into.activityRunMs.set(a.type, (into.activityRunMs.get(a.type) ?? 0) + run);
  }
  return into;
}

/** "type 1.2 s, other 0.3 s", the largest first. */
export function describeActivities(load: WindowLoad): string {
  const parts = [...load.activityRunMs.entries()].sort((a, b) => b[1] - a[1]).map(([type, ms]) => `${type} ${(ms / 1000).toFixed(2)}`);
  return parts.length ? parts.join(', ') : 'none';
}
