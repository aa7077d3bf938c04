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
