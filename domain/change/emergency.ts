import { z } from 'zod';
import { ChangeStatus, ChangeType, RetroApprovalStatus, type ChangeState } from './contracts';
import { retroApprovalFlagged } from './lifecycle';

/**
 * Emergency changes as the monthly inspection and the QSR list them: every emergency change applied in the
 * period, its outcome and the customer's approval afterwards; `flagged` when that approval is missing (24 h
 * passed) or was refused.
 */
export const EmergencyChangeEntry = z.object({
  id: z.string(),
  type: ChangeType,
  target: z.string(),
  reason: z.string(),
  appliedAt: z.string(),
  outcome: ChangeStatus,
  /** null: not asked (the change failed before it touched anything). */
  retroApproval: RetroApprovalStatus.nullable(),
  retroDueBy: z.string().nullable(),
  flagged: z.boolean(),
});
export type EmergencyChangeEntry = z.infer<typeof EmergencyChangeEntry>;

/** The emergency changes applied (their run started applying) within [from, to), oldest first. */
export function emergencyChangesIn(changes: readonly ChangeState[], period: { from: string; to: string }): EmergencyChangeEntry[] {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  return changes
    .flatMap((c) => {
      const applying = c.history.find((e) => e.type === 'status:APPLYING');
      if (c.emergency !== true || !applying) return [];
      const at = Date.parse(applying.at);
      if (at < from || at >= to) return [];
      return [
        {
          id: c.id,
          type: c.type,
          target: c.target,
          reason: c.reason,
          appliedAt: applying.at,
          outcome: c.status,
          retroApproval: c.retroApproval?.status ?? null,
          retroDueBy: c.retroApproval?.dueBy ?? null,
          flagged: retroApprovalFlagged(c),
        },
      ];
    })
    .sort((a, b) => Date.parse(a.appliedAt) - Date.parse(b.appliedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
