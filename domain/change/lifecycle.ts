import { record } from '../event-log';
import { approversFor, type ChangeState, type ChangeWorkflowInput } from './contracts';

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

/** Approvers still missing. */
export function pendingApprovers(state: ChangeState) {
  return state.requiredApprovals.filter((a) => !state.approvals.some((g) => g.approver === a));
}
