import type { Pool } from 'pg';
import { saveChange } from '../../db/changes.repo';
import type { Actor } from '../../domain/actor';
import type { ChangeState, RetroApprovalStatus } from '../../domain/change/contracts';
import { awaitRetroApproval, decideRetroApproval, markRetroApprovalMissing, submitChange } from '../../domain/change/lifecycle';
import { moveTo, record } from '../../domain/event-log';

/**
 * An emergency change as its workflow leaves it in the read model, built with the workflow's own domain
 * functions (the reports' tests need one applied in a past month): the SPM approves, it is applied at
 * `appliedAt`, ends `outcome`, and the customer's approval afterwards ends `retro`.
 */
export async function seedEmergencyChange(
  pool: Pool,
  {
    id,
    target,
    appliedAt,
    outcome = 'COMPLETED',
    retro,
  }: { id: string; target: string; appliedAt: string; outcome?: 'COMPLETED' | 'ROLLED_BACK'; retro: RetroApprovalStatus },
): Promise<ChangeState> {
  const at = (minutes: number) => new Date(Date.parse(appliedAt) + minutes * 60_000).toISOString();
  const spm: Actor = { id: 'spm.kim', role: 'spm' };
  const system: Actor = { id: 'butler', role: 'system' };
  const change = submitChange(
    {
      id,
      type: 'ivr-holidays',
      target,
      params: {},
      window: { start: at(-5), end: at(115) },
      reason: '긴급: IVR 휴일 누락',
      emergency: true,
      requestedBy: { id: 'eng.lee', role: 'engineer' },
      requestedAt: at(-5),
      timing: { approvalDeadlineMs: 3_600_000, approvalReminderMs: 3_600_000 },
    },
    true,
  );
  change.approvals.push({ approver: 'spm', actor: spm, at: at(-1) });
  record(change, 'approved', spm, at(-1), { approver: 'spm' });
  moveTo(change, 'SCHEDULED', `scheduled for ${change.window.start}`, spm, at(-1));
  moveTo(change, 'APPLYING', 'taking a snapshot', system, appliedAt);
  moveTo(change, outcome, outcome === 'COMPLETED' ? 'completed' : 'rolled back: verification failed', system, at(2));
  awaitRetroApproval(change, at(2), 24 * 3_600_000);
  if (retro === 'missing') markRetroApprovalMissing(change, at(2 + 24 * 60));
  if (retro === 'given' || retro === 'rejected') decideRetroApproval(change, retro, spm, at(60), retro === 'rejected' ? '사전 협의 없음' : undefined);
  await saveChange(pool, change);
  return change;
}
