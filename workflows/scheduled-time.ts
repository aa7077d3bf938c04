import { workflowInfo } from '@temporalio/workflow';

/** When a Schedule started this run, the instant it was scheduled for (a catch-up run starts later than that). */
export function scheduledTime(): string | undefined {
  const value = workflowInfo().searchAttributes?.TemporalScheduledStartTime;
  const first = Array.isArray(value) ? value[0] : undefined;
  return first instanceof Date ? first.toISOString() : typeof first === 'string' ? first : undefined;
}
