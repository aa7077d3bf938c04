import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { StepFailure } from '../domain/event-log';

/** Names a failure the way a line or change history shows it: the step, the failure's type, its message. */
export function describeFailure(step: string, err: unknown): StepFailure {
  const root = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (root instanceof ApplicationFailure) return { step, type: root.type ?? 'Error', cause: root.message };
  if (root instanceof TimeoutFailure) return { step, type: 'Timeout', cause: `${step} timed out (${root.timeoutType})` };
  return { step, type: root instanceof Error ? root.name : 'Error', cause: root instanceof Error ? root.message : String(root) };
}
