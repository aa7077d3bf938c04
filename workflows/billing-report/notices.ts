import type { BillingReportState } from '../../domain/billing/billing-report';
import { createNotifier } from '../notifier';

/** What the monthly line cost analysis tells people, and whom: the SPM is asked to review; the approved report is delivered. */
export function createBillingReportNotices(state: BillingReportState) {
  const notifier = createNotifier(state.id);
  return {
    notifier,
    reviewRequested(): void {
      notifier.send({
        key: `${state.id}:review`,
        kind: 'billing-report-review',
        audience: ['spm'],
        subject: `[회선 요금 분석 ${state.month}] 검토 요청 ${state.id}`,
        text: `${state.id}: the line cost analysis of ${state.month} is ready. Approve it for the customer or send it back.`,
        data: { billingReportId: state.id, month: state.month },
      });
    },
    /** The delivery of the approved report (sent by deliverWhenApproved). */
    delivery() {
      return {
        key: `${state.id}:delivered`,
        kind: 'billing-report-delivered' as const,
        subject: `[회선 요금 분석 ${state.month}] 보고서`,
        text: `The line cost analysis for ${state.month} is attached.`,
        data: { billingReportId: state.id, month: state.month },
      };
    },
    settled: () => notifier.settled(),
  };
}
