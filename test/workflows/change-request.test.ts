import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { findChange } from '../../db/changes.repo';
import { listHolidays } from '../../db/holidays.repo';
import type { Actor } from '../../domain/actor';
import { changeStateQuery, changeUpdates } from '../../workflows/change/messages';
import { DAY, HOUR, SPM, activeLine, historyTypes, submitChange, useLineHarness, windowFromNow } from './line-harness';

const h = useLineHarness();
const CUSTOMER_SIDE: Actor = { id: 'spm.kim', role: 'spm' };

const approve = (approver: 'customer' | 'carrier', comment?: string) => ({ body: { approver, ...(comment ? { comment } : {}) }, actor: CUSTOMER_SIDE });

async function rejectionOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((err as WorkflowUpdateFailedError).cause).toBeInstanceOf(ApplicationFailure);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

test('a skill-set change: approved, waits for its window, snapshot, apply, verify by reading back: COMPLETED', async () => {
  const line = await activeLine(h, {
    agent: { loginId: 'agent.skills@center1.example', name: '박영어', team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] },
  });
  const window = await windowFromNow(h, 6 * HOUR);
  const { id, handle } = await submitChange(h, {
    type: 'skillset',
    target: 'agent.skills@center1.example',
    params: {
      skills: [
        { name: '영어', proficiency: 5 },
        { name: 'VIP', proficiency: 1 },
      ],
    },
    window,
    reason: '영어 상담 투입',
  });
  const approved = await handle.executeUpdate(changeUpdates.approve, { args: [approve('customer', '승인합니다')] });
  expect(approved.status).toBe('SCHEDULED');

  await h.env.sleep(3 * HOUR);
  expect((await handle.query(changeStateQuery)).status).toBe('SCHEDULED');
  const done = await handle.result();

  expect(done.status).toBe('COMPLETED');
  expect(done.verification?.ok).toBe(true);
  expect(historyTypes(done)).toEqual([
    'requested',
    'approved',
    'status:SCHEDULED',
    'status:APPLYING',
    'snapshot-taken',
    'applied',
    'status:VERIFYING',
    'verified',
    'status:COMPLETED',
    // The inventory follows: the agent's line record took the new skills.
    'line-updated',
  ]);
  // Nothing was applied before the window opened.
  const applying = done.history.find((e) => e.type === 'status:APPLYING')!;
  expect(Date.parse(applying.at)).toBeGreaterThanOrEqual(Date.parse(window.start));
  const agentId = line.installed.find((i) => i.kind === 'cti-agent');
  const skills = await h.vendors.cti.getAgentSkills(agentId?.kind === 'cti-agent' ? agentId.agentId : '');
  expect(skills.map((s) => [s.name, s.proficiency]).sort()).toEqual([
    ['VIP', 1],
    ['영어', 5],
  ]);
  expect((await findChange(h.db.pool, id))?.status).toBe('COMPLETED');
});

test('a DN change needs the carrier too, and is verified over SIP on the new DN', async () => {
  const line = await activeLine(h, { phone: { ip: '10.1.3.10' } });
  const newDn = `${line.dn}9`;
  const { handle } = await submitChange(h, {
    type: 'dn-change',
    target: line.dn,
    params: { newDn },
    window: await windowFromNow(h, HOUR),
    reason: '번호 변경',
  });
  const first = await handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });
  expect(first.status).toBe('PENDING_APPROVAL');
  expect(first.step).toBe('waiting for approval by carrier');
  const again = await rejectionOf(handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] }));
  expect(again.type).toBe('InvalidTransition');
  await handle.executeUpdate(changeUpdates.approve, { args: [approve('carrier')] });

  const done = await handle.result();
  expect(done.status).toBe('COMPLETED');
  expect(done.verification?.checks.map((c) => c.what)).toEqual(expect.arrayContaining([`SIP register of ${newDn}`]));
  expect(await h.vendors.pbx.getExtension(newDn)).toBeDefined();
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
});

test('verification fails on the DN change when its test call is not answered: rolled back to the snapshot', async () => {
  const line = await activeLine(h);
  const newDn = `${line.dn}8`;
  const { handle } = await submitChange(h, {
    type: 'dn-change',
    target: line.dn,
    params: { newDn },
    window: await windowFromNow(h, HOUR),
    reason: '번호 변경',
  });
  await handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });
  await handle.executeUpdate(changeUpdates.approve, { args: [approve('carrier')] });
  // The test line's answering point goes away before the window: the SIP test call cannot be answered.
  await h.vendors.pbx.updateTrunk('test-answering-point', { uri: 'sip:127.0.0.1:9' }, { key: `${line.id}:break-test-line` });
  try {
    const done = await handle.result();
    expect(done.status).toBe('ROLLED_BACK');
    expect(done.failure).toMatchObject({ step: 'verify', type: 'VerificationFailed' });
    expect(done.failure?.cause).toContain(`SIP test call from ${newDn}`);
    expect(historyTypes(done).slice(-5)).toEqual(['applied', 'status:VERIFYING', 'verification-failed', 'restored', 'status:ROLLED_BACK']);
    expect(await h.vendors.pbx.getExtension(line.dn)).toBeDefined();
    expect(await h.vendors.pbx.getExtension(newDn)).toBeUndefined();
  } finally {
    await h.vendors.pbx.updateTrunk('test-answering-point', { uri: `sip:${h.vendors.answeringPoint.address}` }, { key: `${line.id}:mend-test-line` });
  }
});

test('a change whose target is gone when its window opens ends FAILED, not ROLLED_BACK: nothing was changed, nothing restored', async () => {
  const line = await activeLine(h, {
    agent: { loginId: 'agent.leaving@center1.example', name: '이퇴사', team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] },
  });
  const agent = line.installed.find((i) => i.kind === 'cti-agent');
  const { id, handle } = await submitChange(h, {
    type: 'skillset',
    target: 'agent.leaving@center1.example',
    params: { skills: [{ name: '영어', proficiency: 5 }] },
    window: await windowFromNow(h, HOUR),
    reason: '영어 상담 투입',
  });
  await handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });
  // After the approval, before the window: the agent is deleted outside Butler.
  await h.vendors.cti.deleteAgent(agent?.kind === 'cti-agent' ? agent.agentId : '', { key: `${id}:test:delete-agent` });

  const done = await handle.result();
  expect(done.status).toBe('FAILED');
  expect(done.step).toBe('failed at snapshot; nothing was changed');
  expect(done.failure).toMatchObject({ step: 'snapshot', type: 'VendorNotFound' });
  expect(historyTypes(done).slice(-3)).toEqual(['status:APPLYING', 'step-failed', 'status:FAILED']);
  expect(historyTypes(done)).not.toContain('restored');
  expect((await findChange(h.db.pool, id))?.status).toBe('FAILED');
});

test('rejected by the customer: REJECTED, nothing applied', async () => {
  const { handle } = await submitChange(h, {
    type: 'rec-account',
    target: 'nobody@center1.example',
    params: { enabled: true },
    window: await windowFromNow(h, HOUR),
    reason: '녹취 권한',
  });
  await handle.executeUpdate(changeUpdates.reject, { args: [{ body: { approver: 'customer', comment: '보류' }, actor: CUSTOMER_SIDE }] });
  const done = await handle.result();
  expect(done.status).toBe('REJECTED');
  expect(historyTypes(done)).not.toContain('snapshot-taken');
});

test('approvals expire: a reminder, then EXPIRED at the deadline', async () => {
  const { handle } = await submitChange(h, {
    type: 'rec-account',
    target: 'nobody@center1.example',
    params: { enabled: true },
    window: await windowFromNow(h, 5 * DAY),
    reason: '녹취 권한',
  });
  const done = await handle.result();
  expect(done.status).toBe('EXPIRED');
  expect(historyTypes(done)).toEqual(['requested', 'approval-reminder', 'status:EXPIRED']);
  expect(Date.parse(done.history.at(-1)!.at) - Date.parse(done.requestedAt)).toBeGreaterThanOrEqual(2 * DAY);
});

test('a second approved change cannot overlap the first on the same target; cancelling the first frees the window', async () => {
  const target = 'overlap@center1.example';
  const first = await submitChange(h, { type: 'agent-account', target, params: { name: '첫번째' }, window: await windowFromNow(h, 10 * HOUR), reason: 'a' });
  const second = await submitChange(h, { type: 'agent-account', target, params: { name: '두번째' }, window: await windowFromNow(h, 11 * HOUR), reason: 'b' });
  await first.handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });

  const conflict = await rejectionOf(second.handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] }));
  expect(conflict.type).toBe('Conflict');
  expect(conflict.message).toContain(first.id);
  expect((await second.handle.query(changeStateQuery)).status).toBe('PENDING_APPROVAL');

  const cancelled = await first.handle.executeUpdate(changeUpdates.cancel, { args: [{ body: { reason: '일정 변경' }, actor: SPM }] });
  expect(cancelled.status).toBe('CANCELLED');
  const approved = await second.handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });
  expect(approved.status).toBe('SCHEDULED');
  await second.handle.executeUpdate(changeUpdates.cancel, { args: [{ body: { reason: '테스트 종료' }, actor: SPM }] });
  expect((await second.handle.result()).status).toBe('CANCELLED');
  expect((await first.handle.result()).status).toBe('CANCELLED');
});

test('the IVR holiday-schedule change pushes the calendar the incident SLA uses', async () => {
  const { handle } = await submitChange(h, {
    type: 'ivr-holidays',
    target: '센터1 휴일',
    params: { from: '2027-01-01', to: '2027-12-31' },
    window: await windowFromNow(h, HOUR),
    reason: '2027년 공휴일 반영',
  });
  await handle.executeUpdate(changeUpdates.approve, { args: [approve('customer')] });
  const done = await handle.result();
  expect(done.status).toBe('COMPLETED');
  const schedule = await h.vendors.cti.getIvrHolidaySchedule('센터1 휴일');
  const butler = (await listHolidays(h.db.pool, 2027)).map((d) => d.date);
  expect(butler.length).toBeGreaterThan(10);
  expect(schedule?.holidays.map((d) => d.date)).toEqual(butler);
  expect(schedule?.timeZone).toBe('Asia/Seoul');
});
