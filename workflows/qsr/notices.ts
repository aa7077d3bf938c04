import type { QsrState } from '../../domain/qsr/contracts';
import { createNotifier } from '../notifier';

/** What the quarterly service review tells people, and whom: the SPM is asked to review; the approved report is delivered. */
export function createQsrNotices(state: QsrState) {
  const notifier = createNotifier(state.id);
  return {
    notifier,
    reviewRequested(): void {
      notifier.send({
        key: `${state.id}:review`,
        kind: 'qsr-review',
        audience: ['spm'],
        subject: `[분기 서비스 리뷰 ${state.quarter}] 검토 요청 ${state.id}`,
        text: `${state.id}: the QSR of ${state.quarter} is ready. Enter the improvement proposals, then approve or send back.`,
        data: { qsrId: state.id, quarter: state.quarter },
      });
    },
    /** The delivery of the approved report (sent by deliverWhenApproved). */
    delivery() {
      return {
        key: `${state.id}:delivered`,
        kind: 'qsr-delivered' as const,
        subject: `[분기 서비스 리뷰 ${state.quarter}] 보고서`,
        text: `The quarterly service review for ${state.quarter} is attached.`,
        data: { qsrId: state.id },
      };
    },
    settled: () => notifier.settled(),
  };
}
