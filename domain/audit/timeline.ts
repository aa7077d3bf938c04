import { formatDateTime } from '../calendar/format';
import { attributes, decodePayload as decode, eventKind, type HistoryEvent, type Payload } from './history-json';

/**
 * A workflow history as an auditor reads it: one line per meaningful event
 * (start, each Update with who sent it, activities, timers, children, the end),
 * time in Asia/Seoul, the actor where the history names one. Workflow-task
 * bookkeeping is left out; the event id points back into the archived JSON.
 */

export interface TimelineLine {
  eventId: number;
  at: string;
  /** The same instant in Asia/Seoul, e.g. "2026. 11. 24. 01:47". */
  atSeoul: string;
  event: string;
  actor: string | null;
  summary: string;
}

const SKIPPED = new Set(['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_STARTED', 'MARKER_RECORDED']);

function actorOf(value: unknown): string | null {
  const actor =
    (value as { actor?: { id?: string; role?: string } } | undefined)?.actor ??
    (value as { requestedBy?: { id?: string; role?: string } } | undefined)?.requestedBy ??
    (value as { openedBy?: { id?: string; role?: string } } | undefined)?.openedBy;
  return actor?.id ? `${actor.id} (${actor.role ?? '?'})` : null;
}

export function historyTimeline(history: { events: HistoryEvent[] }): TimelineLine[] {
  const activities = new Map<string, string>();
  const lines: TimelineLine[] = [];
  for (const e of history.events) {
    const type = eventKind(e);
    const a = attributes(e);
    if (type === 'ACTIVITY_TASK_SCHEDULED') activities.set(e.eventId, (a.activityType as { name: string }).name);
    if (SKIPPED.has(type)) continue;
    let actor: string | null = null;
    let summary = '';
    switch (type) {
      case 'WORKFLOW_EXECUTION_STARTED': {
        const input = decode((a.input as { payloads?: Payload[] } | undefined)?.payloads?.[0]);
        actor = actorOf(input);
        summary = `${(a.workflowType as { name: string }).name} started`;
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const input = (a.acceptedRequest as { input: { name: string; args?: { payloads?: Payload[] } } }).input;
        actor = actorOf(decode(input.args?.payloads?.[0]));
        summary = `update "${input.name}" accepted`;
        break;
      }
      case 'ACTIVITY_TASK_SCHEDULED':
        summary = `activity ${activities.get(e.eventId)} scheduled`;
        break;
      case 'ACTIVITY_TASK_COMPLETED':
      case 'ACTIVITY_TASK_FAILED':
      case 'ACTIVITY_TASK_TIMED_OUT':
        summary = `activity ${activities.get(String(a.scheduledEventId)) ?? '?'} ${type.slice('ACTIVITY_TASK_'.length).toLowerCase().replace('_', ' ')}`;
        break;
      case 'TIMER_STARTED':
        summary = `timer ${String(a.timerId)} for ${String(a.startToFireTimeout)}`;
        break;
      case 'START_CHILD_WORKFLOW_EXECUTION_INITIATED':
        summary = `child workflow ${String(a.workflowId)} started`;
        break;
      default:
        summary = type.toLowerCase().replace(/_/g, ' ');
    }
    lines.push({ eventId: Number(e.eventId), at: e.eventTime, atSeoul: formatDateTime(e.eventTime, 'ko'), event: type, actor, summary });
  }
  return lines;
}
