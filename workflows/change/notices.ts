import type { ChangeState } from '../../domain/change/contracts';
import { createNotifier } from '../notifier';

/** What the change workflow tells people, and whom. */
export function createChangeNotices(change: ChangeState) {
  const notifier = createNotifier(change.id);
  const label = `${change.type} ${change.target}`;
  return {
    approvalReminder(seq: number, waitingFor: string[]): void {
      notifier.send({
        key: `${change.id}:approval-reminder:${seq}`,
        kind: 'change-approval-reminder',
        audience: ['spm', 'customer'],
        subject: `[변경 승인 대기] ${label}`,
        text: `${change.id} (${change.reason}) waits for approval by ${waitingFor.join(', ')}; window ${change.window.start} – ${change.window.end}.`,
        data: { changeId: change.id, waitingFor, window: change.window },
      });
    },
    /** An emergency change ended: the customer is asked for the approval it went ahead without. */
    retroApprovalReminder(seq: number, dueBy: string): void {
      notifier.send({
        key: `${change.id}:retro-approval-reminder:${seq}`,
        kind: 'change-retro-approval-reminder',
        audience: ['spm', 'customer'],
        subject: `[긴급 변경 사후 승인 요청] ${label}`,
        text: `긴급 변경 ${change.id} (${change.reason})은(는) SPM 승인으로 적용되었습니다(${change.status}). ${dueBy}까지 고객 승인이 필요합니다.`,
        data: { changeId: change.id, status: change.status, dueBy },
      });
    },
    /** The customer's approval did not come in time, or the customer rejected the change afterwards: the SPM is told. */
    retroApprovalFlagged(): void {
      const rejected = change.retroApproval?.status === 'rejected';
      notifier.send({
        key: `${change.id}:retro-approval-flagged`,
        kind: 'change-retro-approval-flagged',
        audience: ['spm'],
        subject: `[긴급 변경 ${rejected ? '사후 반려' : '사후 승인 누락'}] ${label}`,
        text: rejected
          ? `고객이 긴급 변경 ${change.id}을(를) 사후 반려했습니다${change.retroApproval?.comment ? ` (${change.retroApproval.comment})` : ''}. 자동 원복은 하지 않습니다. 필요하면 원복 변경을 요청하십시오.`
          : `긴급 변경 ${change.id}의 고객 사후 승인이 기한(${change.retroApproval?.dueBy})까지 없었습니다. 보고서에 표시됩니다.`,
        data: { changeId: change.id, status: change.status, retroApproval: change.retroApproval },
      });
    },
    /** The end, whatever it was: completed, failed, rolled back, rejected, expired or cancelled. */
    ended(): void {
      notifier.send({
        key: `${change.id}:ended`,
        kind: change.status === 'COMPLETED' ? 'change-completed' : change.status === 'ROLLED_BACK' ? 'change-rolled-back' : 'change-ended',
        audience: change.status === 'COMPLETED' || change.status === 'ROLLED_BACK' || change.status === 'FAILED' ? ['spm', 'customer'] : ['spm'],
        subject: `[변경 ${change.status}] ${label}`,
        text: `${change.id}: ${change.step}.`,
        data: { changeId: change.id, status: change.status, verification: change.verification, failure: change.failure },
      });
    },
    settled: notifier.settled,
  };
}
