import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { ActivityRun } from './breakdown';
import { localActivityCompleteTime } from './local-activity-marker';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

export interface ActivityTask {
  type: string;
  scheduled: number;
  started?: number;
  closed?: number;
  attempt: number;
  outcome: ActivityRun['outcome'];
}

export interface WorkflowTask {
  scheduled: number;
  started?: number;
  closed?: number;
  lastLocalActivityEnd?: number;
}

/** The activity and workflow tasks of a history (by scheduled event id), and when the workflow started. */
export function readTasks(history: History): { acts: Map<string, ActivityTask>; wfts: Map<string, WorkflowTask>; workflowStarted?: number } {
  const acts = new Map<string, ActivityTask>();
  const wfts = new Map<string, WorkflowTask>();
  let lastCompletedWft: WorkflowTask | undefined;
  let workflowStarted: number | undefined;
  for (const e of history.events ?? []) {
    const t = tsToMs(e.eventTime);
    const id = String(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      workflowStarted = t;
    } else if (e.activityTaskScheduledEventAttributes) {
      acts.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', scheduled: t, attempt: 1, outcome: 'open' });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = acts.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { started: t, attempt: e.activityTaskStartedEventAttributes.attempt ?? 1 });
    } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes!;
      const a = acts.get(String(attrs.scheduledEventId));
      if (a)
        Object.assign(a, {
          closed: t,
          outcome: e.activityTaskCompletedEventAttributes ? 'completed' : e.activityTaskFailedEventAttributes ? 'failed' : 'timed out',
        });
    } else if (e.workflowTaskScheduledEventAttributes) {
      wfts.set(id, { scheduled: t });
    } else if (e.workflowTaskStartedEventAttributes) {
      const w = wfts.get(String(e.workflowTaskStartedEventAttributes.scheduledEventId));
      if (w) w.started = t;
    } else if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) {
      const attrs = e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes!;
      const w = wfts.get(String(attrs.scheduledEventId));
      if (w) w.closed = t;
      lastCompletedWft = w;
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' && lastCompletedWft) {
      // The markers a workflow task recorded follow its WorkflowTaskCompleted event.
      const end = localActivityCompleteTime(e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data);
      if (end !== undefined) lastCompletedWft.lastLocalActivityEnd = Math.max(lastCompletedWft.lastLocalActivityEnd ?? 0, end);
    }
  }
  return { acts, wfts, workflowStarted };
}
