import type { WorkflowHandle } from '@temporalio/client';
import { findLine, releaseLineReservation, reserveLine } from '../../db/lines.repo';
import { eventually } from '../support/eventually';
import { DIALLED_DPID } from '../../adapters/pbx/pbx-client';
import { seoulDateOf, seoulMidnightOf } from '../../domain/calendar/seoul';
import type { LineState, LineStatus } from '../../domain/line/contracts';
import { requestLine } from '../../domain/line/lifecycle';
import { settle } from '../../domain/line/settlement';
import {
  cancelTerminationUpdate,
  equipmentReturnedUpdate,
  lineStateQuery,
  lineTerminationWorkflowId,
  retryTerminationUpdate,
  terminationRequestedUpdate,
} from '../../workflows/line/messages';
import type { LineTerminationInput, lineTerminationWorkflow } from '../../workflows/line/termination';
import {
  DAY,
  ENGINEER,
  HOUR,
  LINE_TIMING,
  SPM,
  activeLine,
  freshDn,
  historyTypes,
  lineId,
  notificationKinds,
  useLineHarness,
  type LineHarness,
} from './line-harness';

const h = useLineHarness();

async function terminate(harness: LineHarness, line: LineState, effectiveDate = '2026-11-30') {
  const input: LineTerminationInput = {
    line: (await findLine(harness.db.pool, line.id))!,
    request: { reason: '센터 이전', effectiveDate },
    effectiveDate,
    requestedBy: SPM,
    requestedAt: new Date(await harness.env.currentTimeMs()).toISOString(),
    timing: LINE_TIMING,
  };
  return harness.env.client.workflow.start<typeof lineTerminationWorkflow>('lineTerminationWorkflow', {
    workflowId: lineTerminationWorkflowId(line.id),
    taskQueue: harness.worker.taskQueue,
    args: [input],
  });
}

/** The Seoul date `days` after the environment's current one. */
async function seoulDay(harness: LineHarness, days = 0): Promise<string> {
  return seoulDateOf((await harness.env.currentTimeMs()) + days * DAY);
}

/** Queries the workflow until the line is `status` (removal retries run in real time; no time is skipped meanwhile). */
async function untilStatus(handle: WorkflowHandle<typeof lineTerminationWorkflow>, status: LineStatus, timeoutMs = 180_000): Promise<LineState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await handle.query(lineStateQuery);
    if (line.status === status) return line;
    if (Date.now() > deadline) throw new Error(`line ${line.id} stayed ${line.status} (${line.step})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An Update its validator refused because of the line's status. */
const refused = (status: LineStatus) => ({ cause: { type: 'InvalidTransition', message: expect.stringContaining(`while ${status}`) } });

/** Whether the inventory lets another line claim `dn` (the lines table's one-live-line-per-DN index decides). */
async function dnIsFree(harness: LineHarness, dn: string): Promise<boolean> {
  const probe = requestLine({
    id: lineId(),
    center: '상담 1센터',
    dn,
    displayName: 'probe',
    lineType: 'extension',
    requestedBy: SPM,
    requestedAt: new Date().toISOString(),
    timing: LINE_TIMING,
  });
  try {
    await reserveLine(harness.db.pool, probe);
  } catch {
    return false;
  }
  await releaseLineReservation(harness.db.pool, probe.id);
  return true;
}

test('settlement, a reminder, the equipment returned, deprovisioning on CTI then PBX, the notice: TERMINATED', async () => {
  const line = await activeLine(h, {
    agent: { loginId: 'agent.leaving@center1.example', name: '이퇴사', team: '상담2팀', skills: [{ name: '영어', proficiency: 3 }] },
    phone: { ip: '10.1.2.40' },
    customerContact: 'it.manager@customer.example',
  });
  const handle = await terminate(h, line);
  await h.env.sleep(1.5 * DAY);
  const waiting = await handle.query(lineStateQuery);
  expect(waiting.status).toBe('TERMINATING');
  expect(waiting.step).toBe('waiting for the equipment to be returned');
  expect(waiting.settlement).toEqual(settle(line.contract, '2026-11-30'));
  expect(waiting.settlement?.earlyTerminationFee).toBeGreaterThan(0);

  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: { note: '전화기 1대 회수' }, actor: ENGINEER }] });
  const ended = await handle.result();

  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);
  const afterActive = historyTypes(ended).slice(historyTypes(ended).lastIndexOf('status:ACTIVE') + 1);
  expect(afterActive).toEqual([
    'status:TERMINATING',
    'settled',
    'equipment-reminder',
    'equipment-returned',
    // The CTI first, so the agent stops taking calls before the phone goes.
    'removed:cti-skills',
    'removed:cti-team-member',
    'removed:cti-agent',
    'removed:pbx-dialplan',
    'removed:pbx-phone',
    'removed:pbx-extension',
    'status:TERMINATED',
  ]);
  expect(ended.termination).toMatchObject({ reason: '센터 이전', equipmentNote: '전화기 1대 회수' });

  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
  expect(await h.vendors.pbx.getPhone(line.dn)).toBeUndefined();
  const agent = await h.vendors.cti.findAgentByLogin('agent.leaving@center1.example');
  expect(agent === undefined || agent.state === 'deleted').toBe(true);
  expect((await findLine(h.db.pool, line.id))?.status).toBe('TERMINATED');

  const { rows } = await h.db.pool.query(`SELECT recipients FROM notifications WHERE key = $1`, [`${line.id}:terminated`]);
  expect(rows[0].recipients.map((r: { email: string }) => r.email)).toContain('it.manager@customer.example');
  expect(await notificationKinds(h, line.id)).toEqual(['line-active', 'equipment-reminder', 'line-terminated']);
});

test('equipment not returned by the deadline: the SPM is told and deprovisioning goes ahead', async () => {
  const line = await activeLine(h);
  const handle = await terminate(h, line, await seoulDay(h));
  const ended = await handle.result();
  expect(ended.status).toBe('TERMINATED');
  expect(historyTypes(ended)).toEqual(expect.arrayContaining(['equipment-reminder', 'equipment-overdue', 'removed:pbx-extension']));
  expect(historyTypes(ended)).not.toContain('equipment-returned');
  expect(await notificationKinds(h, line.id)).toEqual(['line-active', 'equipment-reminder', 'equipment-overdue', 'line-terminated']);
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
});

// Until issue 13 this expected immediate deprovisioning for a 2029 effective date. The test server's
// clock runs years ahead once it has skipped the provisioning's waits, so "ahead" is counted from it.
test('an effective date ahead: TERMINATION_SCHEDULED with the fee of that date, the line still in service; cancel → ACTIVE', async () => {
  const line = await activeLine(h, { phone: { ip: '10.1.2.41' } });
  const effectiveDate = await seoulDay(h, 60);
  const handle = await terminate(h, line, effectiveDate);
  const scheduled = await handle.executeUpdate(terminationRequestedUpdate);
  expect(scheduled.status).toBe('TERMINATION_SCHEDULED');
  expect(scheduled.termination).toMatchObject({ effectiveDate });
  expect(scheduled.settlement).toEqual(settle(line.contract, effectiveDate));
  expect((await findLine(h.db.pool, line.id))?.status).toBe('TERMINATION_SCHEDULED');
  await h.env.sleep(3 * DAY);
  // Service stays up: nothing was removed, the DN is held.
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeDefined();
  expect(await h.vendors.pbx.getPhone(line.dn)).toBeDefined();
  expect(await dnIsFree(h, line.dn)).toBe(false);
  await expect(handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: {}, actor: ENGINEER }] })).rejects.toMatchObject(
    refused('TERMINATION_SCHEDULED'),
  );
  await expect(handle.executeUpdate(retryTerminationUpdate, { args: [{ body: {}, actor: SPM }] })).rejects.toMatchObject(refused('TERMINATION_SCHEDULED'));

  const cancelled = await handle.executeUpdate(cancelTerminationUpdate, { args: [{ body: { reason: '고객 요청으로 철회' }, actor: SPM }] });
  expect(cancelled.status).toBe('ACTIVE');
  expect(cancelled.termination).toBeUndefined();
  const ended = await handle.result();
  expect(ended.status).toBe('ACTIVE');
  expect(ended.history.at(-1)).toMatchObject({ type: 'status:ACTIVE', actor: SPM, details: { from: 'TERMINATION_SCHEDULED', reason: '고객 요청으로 철회' } });
  expect(historyTypes(ended)).not.toContain('settled');
  expect((await findLine(h.db.pool, line.id))?.status).toBe('ACTIVE');
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeDefined();
  expect(await notificationKinds(h, line.id)).toEqual(['line-active', 'line-termination-scheduled', 'line-termination-cancelled']);
});

test('the effective date reached: at 00:00 Asia/Seoul the termination goes ahead, settled for that date', async () => {
  const line = await activeLine(h);
  const tomorrow = await seoulDay(h, 1);
  const handle = await terminate(h, line, tomorrow);
  expect((await handle.executeUpdate(terminationRequestedUpdate)).status).toBe('TERMINATION_SCHEDULED');
  const untilMidnight = seoulMidnightOf(tomorrow) - (await h.env.currentTimeMs());
  await h.env.sleep(Math.max(untilMidnight - HOUR, 1));
  expect((await handle.query(lineStateQuery)).status).toBe('TERMINATION_SCHEDULED');
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeDefined();
  await h.env.sleep(2 * HOUR);
  const going = await handle.query(lineStateQuery);
  expect(going).toMatchObject({ status: 'TERMINATING', step: 'waiting for the equipment to be returned' });
  expect(going.settlement).toEqual(settle(line.contract, tomorrow));
  await expect(handle.executeUpdate(cancelTerminationUpdate, { args: [{ body: { reason: '늦은 철회' }, actor: SPM }] })).rejects.toMatchObject(
    refused('TERMINATING'),
  );
  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: {}, actor: ENGINEER }] });
  const ended = await handle.result();
  expect(ended.status).toBe('TERMINATED');
  const after = historyTypes(ended).slice(historyTypes(ended).lastIndexOf('status:ACTIVE') + 1);
  expect(after.slice(0, 3)).toEqual(['status:TERMINATION_SCHEDULED', 'status:TERMINATING', 'settled']);
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
  expect(await dnIsFree(h, line.dn)).toBe(true);
});

test('what the PBX holds for the DN but the line did not list (a hand-made dial-plan rule, a phone) is removed too', async () => {
  const line = await activeLine(h);
  expect(line.installed.map((i) => i.kind)).not.toContain('pbx-phone');
  const rule = await h.vendors.pbx.createDialplanRule(
    { dpid: DIALLED_DPID, priority: 30, match: `^${line.dn}$`, substitute: `^${line.dn}$`, replace: line.dn, description: 'hand-made' },
    { key: `${line.id}:test:hand-made-rule` },
  );
  await h.vendors.pbx.createPhone({ dn: line.dn, ip: '10.1.2.42' }, { key: `${line.id}:test:hand-made-phone` });

  const handle = await terminate(h, line, await seoulDay(h));
  await handle.executeUpdate(terminationRequestedUpdate);
  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: {}, actor: ENGINEER }] });
  const ended = await handle.result();
  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);
  const found = ended.history.filter((e) => e.type.startsWith('found:'));
  expect(found.map((e) => [e.type, e.details])).toEqual(
    expect.arrayContaining([
      ['found:pbx-phone', { kind: 'pbx-phone', dn: line.dn }],
      ['found:pbx-dialplan', { kind: 'pbx-dialplan', ruleId: rule.id }],
    ]),
  );
  expect(found).toHaveLength(2);
  expect(historyTypes(ended)).toEqual(expect.arrayContaining(['removed:pbx-phone', 'removed:pbx-dialplan', 'removed:pbx-extension']));
  expect(await h.vendors.pbx.getDialplanRule(rule.id)).toBeUndefined();
  expect((await h.vendors.pbx.listDialplanRules(DIALLED_DPID)).filter((r) => r.match === `^${line.dn}$`)).toEqual([]);
  expect(await h.vendors.pbx.getPhone(line.dn)).toBeUndefined();
  expect(await dnIsFree(h, line.dn)).toBe(true);
});

test('a removal that keeps failing ends TERMINATION_FAILED, never TERMINATED: the DN held, the SPM told; a retry once the CTI recovers ends TERMINATED', async () => {
  const loginId = 'agent.stuck@center1.example';
  const line = await activeLine(h, { dn: freshDn(), agent: { loginId, name: '김잔류', team: '상담2팀', skills: [{ name: '영어', proficiency: 2 }] } });
  const agent = line.installed.find((i) => i.kind === 'cti-agent')!;
  h.vendors.emulator.faults.set({ route: { method: 'DELETE', path: '/api/v2/users/' }, failAlways: { status: 503 } });

  const handle = await terminate(h, line, await seoulDay(h));
  await handle.executeUpdate(terminationRequestedUpdate);
  await expect(handle.executeUpdate(retryTerminationUpdate, { args: [{ body: {}, actor: SPM }] })).rejects.toMatchObject(refused('TERMINATING'));
  await handle.executeUpdate(equipmentReturnedUpdate, { args: [{ body: {}, actor: ENGINEER }] });
  const failed = await untilStatus(handle, 'TERMINATION_FAILED');
  expect(failed.installed).toEqual([agent]);
  expect(failed.failure).toMatchObject({ step: 'deprovisioning', type: 'TerminationIncomplete' });
  expect(failed.failure?.cause).toContain(`cti-agent:${(agent as { agentId: string }).agentId}`);
  expect(historyTypes(failed)).toEqual(expect.arrayContaining(['remove-failed', 'removed:pbx-extension', 'status:TERMINATION_FAILED']));
  expect(historyTypes(failed)).not.toContain('status:TERMINATED');
  expect(failed.history.at(-1)?.details).toMatchObject({ leftovers: [agent] });
  expect((await h.vendors.cti.findAgentByLogin(loginId))?.state).toBe('active');
  expect(await h.vendors.pbx.getExtension(line.dn)).toBeUndefined();
  expect((await findLine(h.db.pool, line.id))?.status).toBe('TERMINATION_FAILED');
  expect(await dnIsFree(h, line.dn)).toBe(false);
  // The notice is sent by its own activity after the status is projected: it may land a moment later.
  const { rows } = await eventually(
    () => h.db.pool.query(`SELECT kind, subject, payload FROM notifications WHERE about = $1 AND kind = 'line-termination-failed'`, [line.id]),
    (r) => r.rows.length > 0,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0].subject).toContain('[해지 실패]');
  expect(rows[0].payload.data).toMatchObject({ leftovers: [agent] });
  await expect(handle.executeUpdate(cancelTerminationUpdate, { args: [{ body: { reason: '철회' }, actor: SPM }] })).rejects.toMatchObject(
    refused('TERMINATION_FAILED'),
  );

  h.vendors.emulator.faults.reset();
  const retried = await handle.executeUpdate(retryTerminationUpdate, { args: [{ body: { note: 'CTI 복구 확인' }, actor: SPM }] });
  expect(retried.status).toBe('TERMINATING');
  const ended = await handle.result();
  expect(ended.status).toBe('TERMINATED');
  expect(ended.installed).toEqual([]);
  expect(ended.failure).toBeUndefined();
  const afterRetry = historyTypes(ended).slice(historyTypes(ended).indexOf('status:TERMINATION_FAILED') + 1);
  expect(afterRetry).toEqual(['status:TERMINATING', 'removed:cti-agent', 'status:TERMINATED']);
  const gone = await h.vendors.cti.findAgentByLogin(loginId);
  expect(gone === undefined || gone.state === 'deleted').toBe(true);
  expect((await findLine(h.db.pool, line.id))?.status).toBe('TERMINATED');
  expect(await dnIsFree(h, line.dn)).toBe(true);
});
