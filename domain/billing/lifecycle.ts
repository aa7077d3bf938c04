import { SYSTEM_ACTOR, type Actor } from '../actor';
import { DAY_MS, dayOfIsoDate, isoDateOfDay } from '../calendar/local-time';
import { SEOUL_OFFSET } from '../calendar/seoul';
import { moveTo, record } from '../event-log';
import type { BillActionBody, BillState, BillWorkflowInput, Dispute, FindingSummary } from './contracts';

/**
 * The bill's life as plain functions over its state: the workflow calls them, the tests too.
 * RECONCILING → AWAITING_REVIEW → APPROVED → PAID, or WITHDRAWN; disputes run beside the
 * payment (the undisputed part is paid by the due date while the carrier answers).
 */

export function receiveBill(input: BillWorkflowInput): BillState {
  const state: BillState = {
    id: input.id,
    carrier: input.carrier,
    month: input.month,
    dueDate: input.dueDate,
    fileName: input.fileName,
    sha256: input.sha256,
    status: 'RECONCILING',
    step: 'checking every line against the inventory and the contracts',
    lines: input.lines,
    totalKrw: input.totalKrw,
    profileVersion: input.profileVersion,
    rulesVersion: null,
    findings: null,
    approval: null,
    payment: null,
    disputes: [],
    reminders: [],
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    history: [],
  };
  record(state, 'received', input.requestedBy, input.requestedAt, { lines: input.lines, totalKrw: input.totalKrw, dueDate: input.dueDate });
  return state;
}

export function reconciled(state: BillState, findings: FindingSummary, rulesVersion: number | null, at: string): void {
  Object.assign(state, { findings, rulesVersion });
  moveTo(state, 'AWAITING_REVIEW', "waiting for the SPM's review", SYSTEM_ACTOR, at, {
    findings: findings.count,
    amountAtStake: findings.amountAtStake,
    rulesVersion,
  });
}

/** What open disputes hold back from the payment. */
export function heldBack(state: BillState): number {
  return state.disputes.filter((d) => d.status === 'OPEN').reduce((sum, d) => sum + Math.max(0, d.amountKrw), 0);
}

export function approveBill(state: BillState, body: BillActionBody<'approve'>, actor: Actor, at: string): void {
  const amountKrw = body.amountKrw ?? Math.max(0, state.totalKrw - heldBack(state));
  state.approval = { amountKrw, ...(body.comment ? { comment: body.comment } : {}), actor, at };
  moveTo(state, 'APPROVED', `waiting for payment by ${state.dueDate}`, actor, at, { amountKrw });
}

/** Why these findings cannot be disputed now, or null. (Whether they are this bill's is the API's check.) */
export function disputeRefusal(state: BillState, findingIds: readonly number[]): string | null {
  for (const d of state.disputes) {
    const taken = findingIds.find((id) => d.findingIds.includes(id));
    if (taken !== undefined) return `finding ${taken} is already disputed in ${d.id}`;
  }
  return null;
}

export function openDispute(state: BillState, body: BillActionBody<'dispute'>, amountKrw: number, actor: Actor, at: string): Dispute {
  const dispute: Dispute = {
    id: `${state.id}-D${state.disputes.length + 1}`,
    findingIds: [...body.findingIds],
    amountKrw,
    carrierReference: body.carrierReference,
    ...(body.note ? { note: body.note } : {}),
    openedBy: actor,
    openedAt: at,
    followUpDays: body.followUpDays,
    followUpAt: new Date(Date.parse(at) + body.followUpDays * DAY_MS).toISOString(),
    followUps: 0,
    status: 'OPEN',
  };
  state.disputes.push(dispute);
  record(state, 'dispute-opened', actor, at, { disputeId: dispute.id, findingIds: dispute.findingIds, amountKrw, carrierReference: body.carrierReference });
  return dispute;
}

/** A dispute whose findings could not be marked as disputed: taken back, and said so in the history. */
export function undoDispute(state: BillState, dispute: Dispute, at: string): void {
  state.disputes = state.disputes.filter((d) => d !== dispute);
  record(state, 'dispute-undone', SYSTEM_ACTOR, at, { disputeId: dispute.id, reason: 'the findings could not be marked as disputed' });
}

export function settleRefusal(state: BillState, disputeId: string): string | null {
  const dispute = state.disputes.find((d) => d.id === disputeId);
  if (!dispute) return `no dispute ${disputeId} on ${state.id}`;
  if (dispute.status !== 'OPEN') return `dispute ${disputeId} is already settled`;
  return null;
}

export function settleDispute(state: BillState, body: BillActionBody<'settle'>, actor: Actor, at: string): Dispute {
  const dispute = state.disputes.find((d) => d.id === body.disputeId)!;
  Object.assign(dispute, {
    status: 'SETTLED',
    followUpAt: null,
    settlement: { creditKrw: body.creditKrw, ...(body.note ? { note: body.note } : {}), actor, at },
  });
  record(state, 'dispute-settled', actor, at, { disputeId: dispute.id, creditKrw: body.creditKrw, claimedKrw: dispute.amountKrw });
  return dispute;
}

/** The carrier has not answered: the SPM is reminded, and again every `followUpDays`. */
export function disputeFollowedUp(state: BillState, dispute: Dispute, at: string): void {
  dispute.followUps++;
  dispute.followUpAt = new Date(Date.parse(at) + dispute.followUpDays * DAY_MS).toISOString();
  record(state, 'dispute-follow-up', SYSTEM_ACTOR, at, { disputeId: dispute.id, followUps: dispute.followUps });
}

export function recordPayment(state: BillState, body: BillActionBody<'pay'>, actor: Actor, at: string): void {
  state.payment = { paidOn: body.paidOn, amountKrw: body.amountKrw, ...(body.reference ? { reference: body.reference } : {}), actor, at };
  moveTo(state, 'PAID', state.disputes.some((d) => d.status === 'OPEN') ? 'paid; waiting for the carrier on open disputes' : 'paid', actor, at, {
    paidOn: body.paidOn,
    amountKrw: body.amountKrw,
    late: body.paidOn > state.dueDate,
  });
}

export function withdrawRefusal(state: BillState): string | null {
  const open = state.disputes.find((d) => d.status === 'OPEN');
  return open ? `dispute ${open.id} is still open; settle it first` : null;
}

export function withdrawBill(state: BillState, body: BillActionBody<'withdraw'>, actor: Actor, at: string): void {
  moveTo(state, 'WITHDRAWN', 'withdrawn', actor, at, { reason: body.reason });
}

/** Nothing is left to wait for: paid (or withdrawn, or failed) and no dispute open. */
export function billSettled(state: BillState): boolean {
  return ['PAID', 'WITHDRAWN', 'FAILED'].includes(state.status) && !state.disputes.some((d) => d.status === 'OPEN');
}

/** The payment no longer needs reminding. */
export function paymentDone(state: BillState): boolean {
  return ['PAID', 'WITHDRAWN', 'FAILED'].includes(state.status);
}

export type PaymentReminderKind = BillState['reminders'][number]['kind'];

/** When the SPM is reminded of the payment: 09:00 Seoul, seven days and one day before the due date, and the day after it. */
export function paymentReminderPlan(dueDate: string): Array<{ kind: PaymentReminderKind; at: string }> {
  const at = (offsetDays: number) => new Date(Date.parse(`${isoDateOfDay(dayOfIsoDate(dueDate) + offsetDays)}T09:00:00${SEOUL_OFFSET}`)).toISOString();
  return [
    { kind: 'D-7', at: at(-7) },
    { kind: 'D-1', at: at(-1) },
    { kind: 'overdue', at: at(1) },
  ];
}

/**
 * The reminders still to send for a bill taken in at `nowMs`: those to come, and, when the bill arrived
 * late, only the latest of those already past (sent at once): two stale reminders would say the same.
 */
export function remindersToSend(dueDate: string, nowMs: number): Array<{ kind: PaymentReminderKind; at: string }> {
  const plan = paymentReminderPlan(dueDate);
  const past = plan.filter((r) => Date.parse(r.at) <= nowMs);
  const future = plan.filter((r) => Date.parse(r.at) > nowMs);
  return [...past.slice(-1), ...future];
}
