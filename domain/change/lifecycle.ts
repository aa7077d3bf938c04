import { SYSTEM_ACTOR, type Actor } from '../actor';
import { record, type ProcessEvent } from '../event-log';
import { approversFor, type Approver, type ChangeState, type ChangeWorkflowInput } from './contracts';

/** The change request's state as plain functions: the workflow and the tests use them. */

const HOUR = 3_600_000;
/** The customer approves an emergency change within this long after it ended. */
export const RETRO_APPROVAL_DEADLINE_MS = 24 * HOUR;
export const RETRO_APPROVAL_REMINDER_MS = 6 * HOUR;

/** `emergency` is the workflow's decision (the request's flag, behind its patch), not read from the input here. */
export function submitChange(input: ChangeWorkflowInput, emergency = false): ChangeState {
  const required = approversFor(input.type, emergency);
  const state: ChangeState = {
    id: input.id,
    type: input.type,
    target: input.target,
    params: input.params,
    window: input.window,
    reason: input.reason,
    status: 'PENDING_APPROVAL',
    step: emergency ? 'waiting for the emergency approval by spm' : `waiting for approval by ${required.join(' and ')}`,
    approvals: [],
    requiredApprovals: required,
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    ...(emergency ? { emergency: true } : {}),
    history: [],
  };
  record(state, 'requested', input.requestedBy, input.requestedAt, {
    type: input.type,
    target: input.target,
    window: input.window,
    ...(emergency ? { emergency: true } : {}),
  });
  return state;
}

/** Approvers still missing. */
export function pendingApprovers(state: ChangeState) {
  return state.requiredApprovals.filter((a) => !state.approvals.some((g) => g.approver === a));
}

const MAY_GIVE_EMERGENCY_APPROVAL: readonly Actor['role'][] = ['spm', 'admin'];

/**
 * Why `approver` (acting as `actor`) may not approve or reject the change as it stands, or null. Before an
 * emergency change is applied only the SPM decides; afterwards only the customer, while their approval is
 * awaited; a normal change never takes the SPM's approval.
 */
export function approvalRefusal(state: ChangeState, approver: Approver, actor: Actor): string | null {
  if (state.status !== 'PENDING_APPROVAL') {
    if (state.retroApproval?.status !== 'pending') return `cannot decide on a change that is ${state.status}`;
    if (approver !== 'customer') return "only the customer's approval is awaited after an emergency change";
    return null;
  }
  if (!state.emergency) return approver === 'spm' ? "the SPM's approval is for emergency changes only" : null;
  if (approver !== 'spm') return 'an emergency change is decided by the SPM before it is applied; the customer approves it afterwards';
  if (!MAY_GIVE_EMERGENCY_APPROVAL.includes(actor.role)) return 'only the SPM or an admin may give the emergency approval';
  return null;
}

/** The change has ended (COMPLETED or ROLLED_BACK): the customer's approval is awaited until `dueBy`. */
export function awaitRetroApproval(state: ChangeState, at: string, deadlineMs: number): ProcessEvent {
  const dueBy = new Date(Date.parse(at) + deadlineMs).toISOString();
  state.retroApproval = { status: 'pending', dueBy };
  return record(state, 'retro-approval-awaited', SYSTEM_ACTOR, at, { dueBy });
}

/** The customer's decision after the fact; a rejection is recorded and flagged, nothing is rolled back. */
export function decideRetroApproval(state: ChangeState, decision: 'given' | 'rejected', actor: Actor, at: string, comment?: string): void {
  state.retroApproval = { status: decision, dueBy: state.retroApproval!.dueBy, actor, at, ...(comment ? { comment } : {}) };
  record(state, decision === 'given' ? 'retro-approved' : 'retro-rejected', actor, at, { approver: 'customer', ...(comment ? { comment } : {}) });
}

/** The deadline passed without the customer's decision: flagged. */
export function markRetroApprovalMissing(state: ChangeState, at: string): void {
  state.retroApproval = { status: 'missing', dueBy: state.retroApproval!.dueBy, at };
  record(state, 'retro-approval-missing', SYSTEM_ACTOR, at, { dueBy: state.retroApproval.dueBy });
}

/** Missing or rejected: the change lacks the customer's approval and is flagged in the reports. */
export function retroApprovalFlagged(state: Pick<ChangeState, 'emergency' | 'retroApproval'>): boolean {
  return state.emergency === true && (state.retroApproval?.status === 'missing' || state.retroApproval?.status === 'rejected');
}
