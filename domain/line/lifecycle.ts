import type { Actor } from '../actor';
import type { LineEvent, LineState, LineStatus, LineWorkflowInput } from './contracts';

/**
 * The line's state as plain functions over `LineState`: both line workflows
 * and the tests use them; nothing here knows about Temporal or clocks.
 */

export function requestLine(input: LineWorkflowInput): LineState {
  const { id, requestedBy, requestedAt, timing: _timing, ...request } = input;
  const line: LineState = {
    id,
    ...request,
    status: 'PENDING_CONTRACT',
    step: 'waiting for the carrier contract',
    installed: [],
    requestedBy,
    requestedAt,
    history: [],
  };
  record(line, 'requested', requestedBy, requestedAt, { lineType: input.lineType, dn: input.dn, center: input.center });
  return line;
}

/** Appends one event to the line's history and returns it. */
export function record(line: LineState, type: string, actor: Actor, at: string, details?: Record<string, unknown>): LineEvent {
  const event: LineEvent = { seq: line.history.length + 1, at, type, actor, ...(details ? { details } : {}) };
  line.history.push(event);
  return event;
}

/** Moves the line to `status`, recording the change. */
export function moveTo(line: LineState, status: LineStatus, step: string, actor: Actor, at: string, details?: Record<string, unknown>): void {
  const from = line.status;
  line.status = status;
  line.step = step;
  record(line, `status:${status}`, actor, at, { from, ...details });
}

export function isLive(status: LineStatus): boolean {
  return status !== 'FAILED' && status !== 'TERMINATED';
}
