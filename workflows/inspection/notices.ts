import type { InspectionState } from '../../domain/inspection/contracts';
import type { StoredReportRef } from '../../domain/report/contracts';
import { createNotifier } from '../notifier';

/** What the monthly inspection tells people, and whom: the SPM is asked to review; the approved report is delivered. */
export function createInspectionNotices(state: InspectionState) {
  const notifier = createNotifier(state.id);
  return {
    notifier,
    reviewRequested(report: StoredReportRef, counts: { findings: number; incidents: number }): void {
      notifier.send({
        key: `${state.id}:review`,
        kind: 'inspection-review',
        audience: ['spm'],
        subject: `[월간 정기점검 ${state.period}] 검토 요청 ${state.id}`,
        text: `${state.id}: ${counts.findings} finding(s), ${counts.incidents} incident(s) opened. Review and approve or send back.`,
        data: { inspectionId: state.id, period: state.period, reportId: report.reportId },
      });
    },
    /** The delivery of the approved report (sent by deliverWhenApproved). */
    delivery() {
      return {
        key: `${state.id}:delivered`,
        kind: 'inspection-delivered' as const,
        subject: `[월간 정기점검 ${state.period}] 점검 보고서`,
        text: `The monthly inspection report for ${state.period} is attached.`,
        data: { inspectionId: state.id },
      };
    },
    settled: () => notifier.settled(),
  };
}
