import type { Actor } from '../../domain/actor';
import { ChangeRequest, type ChangeWorkflowInput } from '../../domain/change/contracts';
import {
  approvalRefusal,
  awaitRetroApproval,
  decideRetroApproval,
  markRetroApprovalMissing,
  retroApprovalFlagged,
  submitChange,
} from '../../domain/change/lifecycle';
import { moveTo } from '../../domain/event-log';

/** Who may decide on an emergency change, and when (domain/change/lifecycle.ts). */

const SPM: Actor = { id: 'spm.kim', role: 'spm' };
const ADMIN: Actor = { id: 'admin.park', role: 'admin' };
const ENGINEER: Actor = { id: 'eng.lee', role: 'engineer' };
const AT = '2026-03-02T01:00:00.000Z';

const request = (emergency?: boolean) =>
  ChangeRequest.parse({
    type: 'dn-change',
    target: '3101',
    params: { newDn: '3102' },
    window: { start: AT, end: '2026-03-02T03:00:00.000Z' },
    reason: '긴급 번호 변경',
    ...(emergency === undefined ? {} : { emergency }),
  });
const input = (emergency?: boolean): ChangeWorkflowInput => ({
  ...request(emergency),
  id: 'CHG-000001',
  requestedBy: ENGINEER,
  requestedAt: AT,
  timing: { approvalDeadlineMs: 3_600_000, approvalReminderMs: 3_600_000 },
});

test('the request takes `emergency` as a boolean only; absent is a normal change', () => {
  expect(request(true).emergency).toBe(true);
  expect(request().emergency).toBeUndefined();
  expect(ChangeRequest.safeParse({ ...request(), emergency: 'yes' }).error?.issues[0]?.path).toEqual(['emergency']);
});

test("an emergency change needs the SPM's approval alone (not the carrier's, even for a DN change); a normal one never takes it", () => {
  const emergency = submitChange(input(true), true);
  expect(emergency).toMatchObject({ emergency: true, requiredApprovals: ['spm'] });
  expect(approvalRefusal(emergency, 'spm', SPM)).toBeNull();
  expect(approvalRefusal(emergency, 'spm', ADMIN)).toBeNull();
  expect(approvalRefusal(emergency, 'spm', ENGINEER)).toBe('only the SPM or an admin may give the emergency approval');
  expect(approvalRefusal(emergency, 'customer', SPM)).toContain('the customer approves it afterwards');
  expect(approvalRefusal(emergency, 'carrier', SPM)).toContain('the customer approves it afterwards');

  const normal = submitChange(input(true), false);
  expect(normal.emergency).toBeUndefined();
  expect(normal.requiredApprovals).toEqual(['customer', 'carrier']);
  expect(approvalRefusal(normal, 'spm', SPM)).toBe("the SPM's approval is for emergency changes only");
  expect(approvalRefusal(normal, 'customer', SPM)).toBeNull();
});

test('after it ended only the customer decides, once, while awaited; missing and rejected are flagged, given is not', () => {
  const change = submitChange(input(true), true);
  moveTo(change, 'COMPLETED', 'completed', SPM, AT);
  expect(approvalRefusal(change, 'customer', SPM)).toBe('cannot decide on a change that is COMPLETED');
  awaitRetroApproval(change, AT, 24 * 3_600_000);
  expect(change.retroApproval).toEqual({ status: 'pending', dueBy: '2026-03-03T01:00:00.000Z' });
  expect(approvalRefusal(change, 'customer', SPM)).toBeNull();
  expect(approvalRefusal(change, 'spm', SPM)).toBe("only the customer's approval is awaited after an emergency change");
  expect(retroApprovalFlagged(change)).toBe(false);

  const given = structuredClone(change);
  decideRetroApproval(given, 'given', SPM, AT);
  expect(retroApprovalFlagged(given)).toBe(false);
  expect(approvalRefusal(given, 'customer', SPM)).toBe('cannot decide on a change that is COMPLETED');
  const rejected = structuredClone(change);
  decideRetroApproval(rejected, 'rejected', SPM, AT, '협의 없음');
  expect(retroApprovalFlagged(rejected)).toBe(true);
  markRetroApprovalMissing(change, '2026-03-03T01:00:00.000Z');
  expect(change.retroApproval?.status).toBe('missing');
  expect(retroApprovalFlagged(change)).toBe(true);
});
