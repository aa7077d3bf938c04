import type { Actor } from '../actor';
import { approversFor, type ChangeEvent, type ChangeState, type ChangeStatus, type ChangeWorkflowInput } from './contracts';

/** The change request's state as plain functions: the workflow and the tests use them. */

export function submitChange(input: ChangeWorkflowInput): ChangeState {
  const state: ChangeState = {
    id: input.id,
    type: input.type,
    target: input.target,
    params: input.params,
    window: input.window,
    reason: input.reason,
    status: 'PENDING_APPROVAL',
    step: `waiting for approval by ${approversFor(input.type).join(' and ')}`,
    approvals: [],
    requiredApprovals: approversFor(input.type),
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    history: [],
  };
  record(state, 'requested', input.requestedBy, input.requestedAt, { type: input.type, target: input.target, window: input.window });
  return state;
}

export function record(state: ChangeState, type: string, actor: Actor, at: string, details?: Record<string, unknown>): ChangeEvent {
  const event: ChangeEvent = { seq: state.history.length + 1, at, type, actor, ...(details ? { details } : {}) };
  state.history.push(event);
  return event;
}

export function moveTo(state: ChangeState, status: ChangeStatus, step: string, actor: Actor, at: string, details?: Record<string, unknown>): void {
  const from = state.status;
  state.status = status;
  state.step = step;
  record(state, `status:${status}`, actor, at, { from, ...details });
}

/** Approvers still missing. */
export function pendingApprovers(state: ChangeState) {
  return state.requiredApprovals.filter((a) => !state.approvals.some((g) => g.approver === a));
}
