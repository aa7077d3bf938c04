/**
 * Reading a workflow history in the JSON the Temporal CLI and UI export (and the
 * archive keeps): events with their attributes, and JSON payloads decoded. Shared
 * by the auditor's timeline and the SLA proof, which read nothing but this.
 */

export interface Payload {
  metadata?: { encoding?: string };
  data?: string;
}

export interface HistoryEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

export interface HistoryJson {
  events: HistoryEvent[];
}

/** `EVENT_TYPE_WORKFLOW_TASK_STARTED` → `WORKFLOW_TASK_STARTED`. */
export function eventKind(e: HistoryEvent): string {
  return e.eventType.replace(/^EVENT_TYPE_/, '');
}

export function attributes<T = Record<string, unknown>>(e: HistoryEvent): T {
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
  return (key ? e[key] : {}) as T;
}

/** A JSON payload's value; undefined for an empty or non-JSON payload. */
export function decodePayload(payload: Payload | undefined): unknown {
  if (!payload?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function firstPayload(payloads: { payloads?: Payload[] } | undefined): unknown {
  return decodePayload(payloads?.payloads?.[0]);
}

/**
 * An event's time as the workflow saw it: the server writes nanoseconds, a workflow's
 * clock has milliseconds (truncated, as the SDK converts), so compare at that precision.
 */
export function eventInstant(e: HistoryEvent): string {
  const truncated = e.eventTime.replace(/(\.\d{3})\d+Z$/, '$1Z');
  return new Date(truncated).toISOString();
}

/** The run a history is of, and the run it continues (continue-as-new), as the server wrote them on its first event. */
export function runLinks(history: HistoryJson): { runId: string | undefined; continues: string | undefined } {
  const first = history.events[0];
  const a = first ? attributes<{ originalExecutionRunId?: string; continuedExecutionRunId?: string }>(first) : {};
  return { runId: a.originalExecutionRunId || undefined, continues: a.continuedExecutionRunId || undefined };
}
