import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { findChange } from '../../db/changes.repo';
import type { Actor } from '../../domain/actor';
import type { ChangeRequest, ChangeState } from '../../domain/change/contracts';
import { changeStateQuery, changeUpdates } from '../../workflows/change/messages';
import type { changeRequestWorkflow } from '../../workflows/change/workflow';
import { CHANGE_TIMING, ENGINEER, HOUR, SPM, activeLine, historyTypes, notificationKinds, submitChange, useLineHarness, windowFromNow } from './line-harness';

/** Emergency changes (긴급 변경): the SPM's approval alone, applied at once, the customer's approval afterwards within 24 h. */

const h = useLineHarness();
const ADMIN: Actor = { id: 'admin.park', role: 'admin' };
const decide = (approver: 'customer' | 'carrier' | 'spm', actor: Actor = SPM, comment?: string) => ({
  body: { approver, ...(comment ? { comment } : {}) },
  actor,
});

async function rejectionOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

/** Waits (real time: activities run as they happen, the server's clock stands still) until the workflow's state satisfies `done`. */
async function until(handle: WorkflowHandle<typeof changeRequestWorkflow>, done: (c: ChangeState) => boolean): Promise<ChangeState> {
  for (let i = 0; i < 600; i++) {
    const state = await handle.query(changeStateQuery);
    if (done(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the change never reached the awaited state');
}

const ended = (c: ChangeState) => c.retroApproval?.status === 'pending';

async function emergencyHolidays(target: string): Promise<Awaited<ReturnType<typeof submitChange>>> {
  const change: ChangeRequest = {
    type: 'ivr-holidays',
    target,
    params: { from: '2027-01-01', to: '2027-12-31' },
    window: await windowFromNow(h, 0),
    reason: '긴급: IVR 휴일 누락으로 오접속',
    emergency: true,
  };
  return submitChange(h, change, { ...CHANGE_TIMING, retroApprovalDeadlineMs: 24 * HOUR, retroApprovalReminderMs: 6 * HOUR });
}

test("an emergency change applies with the SPM's approval alone; the customer approves it afterwards", async () => {
  const line = await activeLine(h, {
    agent: { loginId: 'agent.urgent@center1.example', name: '김긴급', team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] },
  });
  const { id, handle } = await submitChange(h, {
    type: 'skillset',
    target: 'agent.urgent@center1.example',
    params: { skills: [{ name: '영어', proficiency: 5 }] },
    window: await windowFromNow(h, 0),
    reason: '장애 대응 인력 긴급 투입',
    emergency: true,
  });
  const submitted = await handle.query(changeStateQuery);
  expect(submitted).toMatchObject({ emergency: true, requiredApprovals: ['spm'], status: 'PENDING_APPROVAL' });

  // Before it is applied, neither the customer nor the carrier decides, and nobody but the SPM or an admin.
  const early = await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [decide('customer')] }));
  expect(early.type).toBe('InvalidTransition');
  expect(early.message).toContain('the customer approves it afterwards');
  expect((await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [decide('carrier')] }))).type).toBe('InvalidTransition');
  const engineer = await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [decide('spm', ENGINEER)] }));
  expect(engineer.type).toBe('InvalidTransition');
  expect(engineer.message).toBe('only the SPM or an admin may give the emergency approval');

  const approved = await handle.executeUpdate(changeUpdates.approve, { args: [decide('spm', SPM, '장애 확산 방지, 즉시 적용')] });
  expect(approved.status).toBe('SCHEDULED');

  // Applied and verified with no customer approval; the customer's is now awaited.
  const applied = await until(handle, ended);
  expect([applied.status, applied.failure]).toEqual(['COMPLETED', undefined]);
  expect(applied.approvals.map((a) => a.approver)).toEqual(['spm']);
  const agent = line.installed.find((i) => i.kind === 'cti-agent');
  const skills = await h.vendors.cti.getAgentSkills(agent?.kind === 'cti-agent' ? agent.agentId : '');
  expect(skills.map((s) => s.name)).toEqual(['영어']);
  expect((await findChange(h.db.pool, id))?.retroApproval?.status).toBe('pending');
  // Only the customer decides now.
  expect((await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [decide('carrier', ADMIN)] }))).message).toContain(
    "only the customer's approval",
  );

  const given = await handle.executeUpdate(changeUpdates.approve, { args: [decide('customer', SPM, '사후 승인합니다')] });
  expect(given.retroApproval).toMatchObject({ status: 'given', actor: SPM, comment: '사후 승인합니다' });
  const done = await handle.result();
  expect(done.status).toBe('COMPLETED');
  expect(done.retroApproval?.status).toBe('given');
  const types = historyTypes(done);
  expect(types.slice(0, 4)).toEqual(['requested', 'approved', 'status:SCHEDULED', 'status:APPLYING']);
  expect(types.slice(-2)).toEqual(['retro-approval-awaited', 'retro-approved']);
  expect((await findChange(h.db.pool, id))?.retroApproval?.status).toBe('given');
  const kinds = await notificationKinds(h, id);
  expect(kinds).toContain('change-retro-approval-reminder');
  expect(kinds).not.toContain('change-retro-approval-flagged');
});

test("24 hours pass without the customer's approval: reminders, then the change is flagged and the SPM told", async () => {
  const { id, handle } = await emergencyHolidays('긴급 휴일 A');
  await handle.executeUpdate(changeUpdates.approve, { args: [decide('spm')] });
  const done = await handle.result();

  expect(done.status).toBe('COMPLETED');
  expect(done.retroApproval?.status).toBe('missing');
  const types = historyTypes(done);
  expect(types.slice(-5)).toEqual([
    'retro-approval-awaited',
    'retro-approval-reminder',
    'retro-approval-reminder',
    'retro-approval-reminder',
    'retro-approval-missing',
  ]);
  const awaited = done.history.find((e) => e.type === 'retro-approval-awaited')!;
  const missing = done.history.at(-1)!;
  expect(Date.parse(missing.at) - Date.parse(awaited.at)).toBeGreaterThanOrEqual(24 * HOUR);
  expect(done.retroApproval?.dueBy).toBe(new Date(Date.parse(awaited.at) + 24 * HOUR).toISOString());
  expect((await findChange(h.db.pool, id))?.retroApproval?.status).toBe('missing');
  const { rows } = await h.db.pool.query<{ kind: string; subject: string; audience: unknown }>(
    `SELECT kind, subject FROM notifications WHERE about = $1 AND kind = 'change-retro-approval-flagged'`,
    [id],
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]!.subject).toContain('[긴급 변경 사후 승인 누락]');
});

test('the customer rejects an emergency change afterwards: recorded and flagged; nothing is rolled back', async () => {
  const { id, handle } = await emergencyHolidays('긴급 휴일 B');
  await handle.executeUpdate(changeUpdates.approve, { args: [decide('spm', ADMIN)] });
  await until(handle, ended);
  const rejected = await handle.executeUpdate(changeUpdates.reject, { args: [{ body: { approver: 'customer', comment: '사전 협의 없음' }, actor: SPM }] });
  expect(rejected.retroApproval).toMatchObject({ status: 'rejected', comment: '사전 협의 없음' });
  const done = await handle.result();
  expect(done.status).toBe('COMPLETED');
  expect(historyTypes(done).slice(-2)).toEqual(['retro-approval-awaited', 'retro-rejected']);
  expect((await h.vendors.cti.getIvrHolidaySchedule('긴급 휴일 B'))?.holidays.length).toBeGreaterThan(10);
  expect(await notificationKinds(h, id)).toContain('change-retro-approval-flagged');
});

test("a normal change takes no SPM approval and still needs the customer's before it is applied", async () => {
  const { handle } = await submitChange(h, {
    type: 'ivr-holidays',
    target: '일반 휴일',
    params: { from: '2027-01-01', to: '2027-12-31' },
    window: await windowFromNow(h, HOUR),
    reason: '2027년 공휴일 반영',
  });
  const spm = await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [decide('spm')] }));
  expect(spm.type).toBe('InvalidTransition');
  expect(spm.message).toBe("the SPM's approval is for emergency changes only");
  expect((await handle.query(changeStateQuery)).requiredApprovals).toEqual(['customer']);
  await handle.executeUpdate(changeUpdates.approve, { args: [decide('customer')] });
  const done = await handle.result();
  expect(done.status).toBe('COMPLETED');
  expect(done.emergency).toBeUndefined();
  expect(done.retroApproval).toBeUndefined();
  expect(historyTypes(done)).not.toContain('retro-approval-awaited');
});
