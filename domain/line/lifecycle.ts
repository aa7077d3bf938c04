import { record } from '../event-log';
import type { LineState, LineStatus, LineWorkflowInput } from './contracts';

/**
 * The line's state as plain functions over `LineState`: both line workflows
 * and the tests use them; nothing here knows about Temporal or clocks.
 */

export function requestLine(input: LineWorkflowInput): LineState {
  const { id, requestedBy, requestedAt, timing: _timing, checks, ...request } = input;
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
  record(line, 'requested', requestedBy, requestedAt, { lineType: input.lineType, dn: input.dn, center: input.center, ...(checks ? { checks } : {}) });
  return line;
}

/**
 * Whether the request has been checked against the PBX and the CTI: by the API before it was
 * accepted, or, when the API deferred the checks (`checks: 'deferred'` on its `requested` entry),
 * by the workflow's first step (a `checked` entry).
 */
export function requestChecked(line: LineState): boolean {
  const deferred = line.history.some((e) => e.type === 'requested' && e.details?.checks === 'deferred');
  return !deferred || line.history.some((e) => e.type === 'checked');
}

export function isLive(status: LineStatus): boolean {
  return status !== 'FAILED' && status !== 'TERMINATED' && status !== 'CANCELLED';
}
