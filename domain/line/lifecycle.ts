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

export function isLive(status: LineStatus): boolean {
  return status !== 'FAILED' && status !== 'TERMINATED' && status !== 'CANCELLED';
}
