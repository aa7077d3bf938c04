import type { BillState, Dispute } from '../../domain/billing/contracts';
import type { PaymentReminderKind } from '../../domain/billing/lifecycle';
import { formatKrw } from '../../domain/billing/money';
import { createNotifier } from '../notifier';

/** What the bill workflow tells the SPM: review the reconciled bill, pay it by the due date, chase the carrier on a dispute. */
export function createBillNotices(state: BillState) {
  const notifier = createNotifier(state.id);
  const label = `${state.carrier} ${state.month}`;
  return {
    notifier,
    reviewRequested(): void {
      const f = state.findings!;
      notifier.send({
        key: `${state.id}:review`,
        kind: 'bill-review',
        audience: ['spm'],
        subject: `[요금 청구서 ${label}] 검토 요청 ${state.id}`,
        text: `${state.id}: ${state.lines} line(s), ${formatKrw(state.totalKrw)} billed, due ${state.dueDate}; ${f.count} finding(s), ${formatKrw(f.amountAtStake)} at stake. Approve for payment or dispute findings with the carrier.`,
        data: { billId: state.id, carrier: state.carrier, month: state.month, dueDate: state.dueDate, findings: f.count, amountAtStake: f.amountAtStake },
      });
    },
    paymentDue(kind: PaymentReminderKind): void {
      const overdue = kind === 'overdue';
      notifier.send({
        key: `${state.id}:payment:${kind}`,
        kind: overdue ? 'bill-overdue' : 'bill-payment-due',
        audience: ['spm'],
        subject: overdue
          ? `[요금 연체] ${label} 납기일 ${state.dueDate} 경과 (${state.id})`
          : `[요금 납부 ${kind}] ${label} 납기일 ${state.dueDate} (${state.id})`,
        text: overdue
          ? `${state.id} was due on ${state.dueDate} and is not marked paid (${state.status}).`
          : `${state.id} is due on ${state.dueDate} (${state.status}${state.approval ? `, ${formatKrw(state.approval.amountKrw)} approved` : ', not yet approved'}).`,
        data: { billId: state.id, dueDate: state.dueDate, status: state.status, reminder: kind },
      });
    },
    disputeFollowUp(dispute: Dispute): void {
      notifier.send({
        key: `${state.id}:${dispute.id}:follow-up:${dispute.followUps}`,
        kind: 'bill-dispute-follow-up',
        audience: ['spm'],
        subject: `[요금 이의제기] ${label} ${dispute.id} 회신 확인 (${dispute.carrierReference})`,
        text: `${dispute.id} (${formatKrw(dispute.amountKrw)}, carrier reference ${dispute.carrierReference}) has had no settlement since ${dispute.openedAt}; follow up with ${state.carrier}.`,
        data: { billId: state.id, disputeId: dispute.id, carrierReference: dispute.carrierReference, followUps: dispute.followUps },
      });
    },
    settled: () => notifier.settled(),
  };
}
