import type { LineBatchState } from '../../domain/line/batch';
import type { InstalledItem, LineFailure, LineState } from '../../domain/line/contracts';
import { createNotifier } from '../notifier';

/** What the line workflows tell people, and whom. */
export function createLineNotices(line: LineState) {
  const notifier = createNotifier(line.id, line.center);
  const cc = line.customerContact ? [line.customerContact] : undefined;
  const label = `${line.dn} (${line.lineType}, ${line.center})`;
  return {
    contractReminder(seq: number, deadline: number): void {
      notifier.send({
        key: `${line.id}:contract-reminder:${seq}`,
        kind: 'line-contract-reminder',
        audience: ['spm'],
        subject: `[개통] 계약 대기: ${label}`,
        text: `${line.id} is waiting for the carrier contract; it expires at ${new Date(deadline).toISOString()}.`,
        data: { lineId: line.id, dn: line.dn, deadline: new Date(deadline).toISOString() },
      });
    },
    active(): void {
      notifier.send({
        key: `${line.id}:active`,
        kind: 'line-active',
        audience: ['spm', 'customer'],
        cc,
        subject: `[개통 완료] ${label}`,
        text: `${line.id}: ${line.dn} passed acceptance and is in service.`,
        data: { lineId: line.id, dn: line.dn, acceptance: line.acceptance },
      });
    },
    failed(failure: LineFailure): void {
      notifier.send({
        key: `${line.id}:failed`,
        kind: failure.type === 'ContractExpired' ? 'line-contract-expired' : 'line-failed',
        audience: ['spm'],
        subject: `[개통 실패] ${label}`,
        text: `${line.id} failed at ${failure.step}: ${failure.cause}`,
        data: { lineId: line.id, dn: line.dn, failure, leftInstalled: line.installed },
      });
    },
    cancelled(): void {
      notifier.send({
        key: `${line.id}:cancelled`,
        kind: 'line-cancelled',
        audience: ['spm'],
        subject: `[개통 취소] ${label}`,
        text: `${line.id}: 계약 전 개통이 취소되었습니다 (${line.cancellation?.cancelledBy.id ?? '?'}: ${line.cancellation?.reason ?? ''}). The DN ${line.dn} is free again.`,
        data: { lineId: line.id, dn: line.dn, cancellation: line.cancellation, leftInstalled: line.installed },
      });
    },
    equipmentReminder(seq: number, deadline: string): void {
      notifier.send({
        key: `${line.id}:equipment-reminder:${seq}`,
        kind: 'equipment-reminder',
        audience: ['spm', 'customer'],
        cc,
        subject: `[해지] 장비 회수 요청: ${label}`,
        text: `${line.id}: please return the equipment by ${deadline}.`,
        data: { lineId: line.id, dn: line.dn, deadline },
      });
    },
    equipmentOverdue(deadline: string): void {
      notifier.send({
        key: `${line.id}:equipment-overdue`,
        kind: 'equipment-overdue',
        audience: ['spm'],
        subject: `[해지] 장비 미회수: ${label}`,
        text: `${line.id}: the equipment was not returned by ${deadline}; deprovisioning goes ahead.`,
        data: { lineId: line.id, dn: line.dn, deadline },
      });
    },
    terminated(): void {
      notifier.send({
        key: `${line.id}:terminated`,
        kind: 'line-terminated',
        audience: ['customer', 'spm'],
        cc,
        subject: `[해지 완료] ${label}`,
        text: `${line.id}: ${line.dn} has been terminated. Early-termination fee: ${line.settlement?.earlyTerminationFee ?? 0} KRW (${line.settlement?.rule ?? 'no settlement'}).`,
        data: { lineId: line.id, dn: line.dn, settlement: line.settlement },
      });
    },
    terminationScheduled(effectiveDate: string): void {
      notifier.send({
        key: `${line.id}:termination-scheduled:${line.termination?.requestedAt ?? ''}`,
        kind: 'line-termination-scheduled',
        audience: ['spm'],
        subject: `[해지 예약] ${label}`,
        text: `${line.id}: ${effectiveDate} 00:00(서울)에 해지됩니다. 그때까지 회선은 사용 중이며, 그 전에 취소할 수 있습니다. 위약금: ${line.settlement?.earlyTerminationFee ?? 0}원. / Terminates on ${effectiveDate}; in service until then.`,
        data: { lineId: line.id, dn: line.dn, effectiveDate, settlement: line.settlement },
      });
    },
    terminationCancelled(reason: string, at: string): void {
      notifier.send({
        key: `${line.id}:termination-cancelled:${at}`,
        kind: 'line-termination-cancelled',
        audience: ['spm'],
        subject: `[해지 취소] ${label}`,
        text: `${line.id}: 예약된 해지가 취소되어 회선이 계속 사용됩니다. 사유: ${reason} / The scheduled termination was withdrawn; the line stays ACTIVE.`,
        data: { lineId: line.id, dn: line.dn, reason },
      });
    },
    terminationFailed(round: number, leftovers: InstalledItem[], failure: LineFailure): void {
      notifier.send({
        key: `${line.id}:termination-failed:${round}`,
        kind: 'line-termination-failed',
        audience: ['spm'],
        subject: `[해지 실패] 잔여 항목 ${leftovers.length}건: ${label}`,
        text: `${line.id}: 해지 중 PBX/CTI에서 제거하지 못한 항목이 있어 번호 ${line.dn}을(를) 계속 보유합니다 (${leftovers.map((i) => i.kind).join(', ') || failure.cause}). 확인 후 POST /api/v1/lines/${line.id}/termination/retry 로 다시 시도하십시오. / Termination left items behind; retry after checking.`,
        data: { lineId: line.id, dn: line.dn, leftovers, failure },
      });
    },
    settled: notifier.settled,
  };
}

const BATCH_OUTCOME = { COMPLETED: '완료', PARTIAL: '일부 완료', FAILED: '실패', RUNNING: '진행 중' } as const;

/** What a batch of lines tells the SPM when every line of it is at rest. */
export function createLineBatchNotices(batch: LineBatchState) {
  const notifier = createNotifier(batch.id, batch.center);
  return {
    ended(): void {
      const active = batch.lines.filter((l) => l.outcome === 'ACTIVE');
      const failed = batch.lines.filter((l) => l.outcome === 'FAILED');
      const cancelled = batch.lines.filter((l) => l.outcome === 'CANCELLED');
      const lines = batch.lines.map((l) => `${l.lineId} ${l.dn}: ${l.outcome ?? '?'}${l.failure ? ` (${l.failure.step}: ${l.failure.cause})` : ''}`);
      notifier.send({
        key: `${batch.id}:ended`,
        kind: 'line-batch-ended',
        audience: ['spm'],
        subject: `[일괄 개통 ${BATCH_OUTCOME[batch.status]}] ${batch.id}: ${active.length}/${batch.lines.length}회선 개통 (${batch.center}${batch.team ? `, ${batch.team}` : ''})`,
        text: [
          `${batch.id}: 개통 ${active.length}건, 실패 ${failed.length}건, 취소 ${cancelled.length}건 / ${active.length} active, ${failed.length} failed, ${cancelled.length} cancelled of ${batch.lines.length}.`,
          ...lines,
        ].join('\n'),
        data: { batchId: batch.id, status: batch.status, lines: batch.lines },
      });
    },
    settled: notifier.settled,
  };
}
