import { patched, workflowInfo } from '@temporalio/workflow';

/** Temporal suggests a new run at 4,096 events; a waiting workflow hands over a little before. */
export const DEFAULT_HANDOVER_EVENTS = 4_000;

/**
 * Whether a workflow that waits a long time (reminders while a person takes weeks) should
 * continue as new now: the server suggests it, or the run has `events` history events.
 * Behind `patchId`, so histories recorded before the hand-over existed replay as they ran.
 */
export function historyIsLong(patchId: string, events = DEFAULT_HANDOVER_EVENTS, updatesThisRun = 0, updates = Infinity): boolean {
  if (!patched(patchId)) return false;
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= events || updatesThisRun >= updates;
}
