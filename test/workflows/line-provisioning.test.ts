import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DIALLED_DPID } from '../../adapters/pbx/pbx-client';
import { findLine, reserveLine } from '../../db/lines.repo';
import { requestLine as requestedLine } from '../../domain/line/lifecycle';
import type { LineFailure } from '../../domain/line/contracts';
import { cancelProvisioningUpdate, lineStateQuery, recordContractUpdate } from '../../workflows/line/messages';
import { freePort } from '../../system/ports';
import { deleteTeam } from '../support/cti-admin';
import { CONTRACT, DAY, HOUR, LINE_TIMING, SPM, activeLine, freshDn, historyTypes, notificationKinds, requestLine, useLineHarness } from './line-harness';

const h = useLineHarness();

const agent = (loginId: string, team = '상담1팀') => ({
  loginId,
  name: '김상담',
  team,
  skills: [
    { name: '상담', proficiency: 4 },
    { name: 'VIP', proficiency: 2 },
  ],
});

/** The failure a provisioning workflow ended with: its type and the line's recorded failure. */
async function failureOf(result: Promise<unknown>): Promise<{ type?: string; line: LineFailure }> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return { type: (cause as ApplicationFailure).type ?? undefined, line: (cause as ApplicationFailure).details?.[0] as LineFailure };
}

test("an agent's extension: reminders while the contract is awaited, then PBX and CTI installation, SIP acceptance, ACTIVE", async () => {
  const { id, handle, input } = await requestLine(h, { agent: agent('agent.active@center1.example'), phone: { ip: '10.1.1.31', model: 'IP-450S' } });
  await h.env.sleep(2.5 * DAY);
  const waiting = await handle.query(lineStateQuery);
  expect(waiting.status).toBe('PENDING_CONTRACT');
  expect(historyTypes(waiting).filter((t) => t === 'contract-reminder')).toHaveLength(2);

  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const line = await handle.result();

  expect(line.status).toBe('ACTIVE');
  expect(historyTypes(line)).toEqual([
    'requested',
    'contract-reminder',
    'contract-reminder',
    'contract-recorded',
    'status:INSTALLING',
    'installed:pbx-extension',
    'installed:pbx-phone',
    'installed:pbx-dialplan',
    'installed:cti-agent',
    'installed:cti-team-member',
    'installed:cti-skills',
    'status:ACCEPTANCE',
    'accepted',
    'status:ACTIVE',
  ]);
  expect(line.contract).toMatchObject({ ...CONTRACT, recordedBy: SPM });
  // SIPp through the real Kamailio: the record says so (the PBX simulator's says "simulated", line-acceptance-source.test.ts).
  expect(line.acceptance).toMatchObject({ calledNumber: '0999', source: 'vendor' });

  // The PBX and the CTI hold what the history says.
  const { pbx, cti } = h.vendors;
  expect(await pbx.getExtension(input.dn)).toMatchObject({ dn: input.dn, displayName: input.displayName });
  expect(await pbx.getPhone(input.dn)).toMatchObject({ ip: '10.1.1.31', model: 'IP-450S' });
  expect(await pbx.translate(DIALLED_DPID, input.dn)).toBe(input.dn);
  const created = await cti.findAgentByLogin('agent.active@center1.example');
  expect(created?.state).toBe('active');
  const team = await cti.findTeamByName('상담1팀');
  expect(await cti.listTeamMembers(team!.id)).toContain(created!.id);
  expect((await cti.getAgentSkills(created!.id)).map((s) => [s.name, s.proficiency]).sort()).toEqual([
    ['VIP', 2],
    ['상담', 4],
  ]);

  expect((await findLine(h.db.pool, id))?.status).toBe('ACTIVE');
  expect(await notificationKinds(h, id)).toEqual(['line-contract-reminder', 'line-contract-reminder', 'line-active']);
});

test('no contract by the deadline: the line fails as ContractExpired and nothing is installed', async () => {
  const { id, handle, input } = await requestLine(h);
  const { type, line } = await failureOf(handle.result());
  expect(type).toBe('ContractExpired');
  expect(line).toMatchObject({ step: 'contract', type: 'ContractExpired' });

  const stored = await findLine(h.db.pool, id);
  expect(stored?.status).toBe('FAILED');
  expect(historyTypes(stored!)).toEqual(['requested', 'contract-reminder', 'contract-reminder', 'status:FAILED']);
  // At the deadline, not before; the workflow task that records it runs a few milliseconds after the timer.
  const failedAfter = Date.parse(stored!.history.at(-1)!.at) - Date.parse(input.requestedAt);
  expect(failedAfter).toBeGreaterThanOrEqual(3 * DAY);
  expect(failedAfter).toBeLessThan(3 * DAY + 60_000);
  expect(await h.vendors.pbx.getExtension(input.dn)).toBeUndefined();
});

test('a start the API gave up on, carried out after its DN went to another line: fails at its first projection, which names the holder and is not retried; the line says FAILED, nothing installed', async () => {
  // The API gave the reservation back (the start was not confirmed and Temporal did not know the
  // workflow yet); another request reserved the DN; then the first start landed after all.
  const dn = freshDn();
  const holder = {
    center: '상담 1센터',
    dn,
    displayName: '먼저 온 회선',
    lineType: 'extension' as const,
    id: 'LN-HOLDER1',
    requestedBy: SPM,
    requestedAt: new Date().toISOString(),
    timing: LINE_TIMING,
  };
  await reserveLine(h.db.pool, requestedLine(holder));
  const { id, handle } = await requestLine(h, { dn });

  const { type, line } = await failureOf(handle.result());
  expect(type).toBe('LineProvisioningFailed');
  expect(line).toMatchObject({ step: 'request', type: 'Conflict', cause: expect.stringContaining('held by line LN-HOLDER1') });
  // Once: the conflict is not retried.
  const attempts = (await handle.fetchHistory())
    .events!.filter((e) => e.activityTaskStartedEventAttributes)
    .map((e) => e.activityTaskStartedEventAttributes!.attempt);
  expect(attempts).toEqual([1]);
  // It has no row (the DN is the other line's); its own record says FAILED and why.
  expect(await findLine(h.db.pool, id)).toBeUndefined();
  expect(await handle.query(lineStateQuery)).toMatchObject({ status: 'FAILED', failure: { step: 'request', type: 'Conflict' } });
  expect((await findLine(h.db.pool, 'LN-HOLDER1'))?.dn).toBe(dn);
  expect(await h.vendors.pbx.getExtension(dn)).toBeUndefined();
});

test('a permanent CTI error after the PBX steps undoes every installed step, newest first', async () => {
  // The team passes the checks after the contract, then the CTI refuses the membership for good (as if the
  // team were deleted in that instant): a permanent error once the PBX steps and the agent are installed.
  const team = await h.vendors.cti.createTeam('해체직전팀', { key: 'test:team:about-to-go' });
  h.vendors.emulator.faults.set({
    route: { method: 'POST', path: `/api/v2/teams/${team.id}/members` },
    failAlways: { status: 404, code: 'not.found', message: 'team 해체직전팀 was deleted' },
  });
  const { id, handle, input } = await requestLine(h, { agent: agent('agent.noteam@center1.example', '해체직전팀'), phone: { ip: '10.1.1.32' } });
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const { type, line } = await failureOf(handle.result());
  expect(type).toBe('LineProvisioningFailed');
  expect(line).toMatchObject({ step: 'cti-team', type: 'VendorNotFound' });
  expect(line.cause).toContain('deleted');

  const stored = (await findLine(h.db.pool, id))!;
  expect(stored.status).toBe('FAILED');
  expect(stored.installed).toEqual([]);
  expect(historyTypes(stored).slice(historyTypes(stored).indexOf('step-failed'))).toEqual([
    'step-failed',
    'undone:cti-agent',
    'undone:pbx-dialplan',
    'undone:pbx-phone',
    'undone:pbx-extension',
    'status:FAILED',
  ]);
  expect(await h.vendors.pbx.getExtension(input.dn)).toBeUndefined();
  expect(await h.vendors.pbx.getPhone(input.dn)).toBeUndefined();
  expect(await h.vendors.pbx.translate(DIALLED_DPID, input.dn)).toBeUndefined();
  const leftover = await h.vendors.cti.findAgentByLogin('agent.noteam@center1.example');
  expect(leftover === undefined || leftover.state === 'deleted').toBe(true);
  expect(await notificationKinds(h, id)).toEqual(['line-failed']);
});

test('a team deleted on the CTI while the contract was awaited: FAILED at the check after the contract, naming agent.team; nothing installed, the SPM told', async () => {
  const { cti, emulator, pbx } = h.vendors;
  const team = await cti.createTeam('곧해체팀', { key: 'test:team:soon-gone' });
  const { id, handle, input } = await requestLine(h, { agent: agent('agent.teamgone@center1.example', '곧해체팀'), phone: { ip: '10.1.1.41' } });
  await deleteTeam(emulator, team.id);
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const { type, line } = await failureOf(handle.result());
  expect(type).toBe('LineProvisioningFailed');
  expect(line).toMatchObject({ step: 'preflight', type: 'PreflightFailed' });
  expect(line.cause).toMatch(/^agent\.team: .*곧해체팀/);

  const stored = (await findLine(h.db.pool, id))!;
  expect(stored).toMatchObject({ status: 'FAILED', failure: line, installed: [] });
  expect(historyTypes(stored).slice(historyTypes(stored).indexOf('contract-recorded'))).toEqual(['contract-recorded', 'preflight-failed', 'status:FAILED']);
  expect(stored.history.find((e) => e.type === 'preflight-failed')?.details).toEqual({
    problems: [{ path: 'agent.team', code: 'missing', message: expect.stringContaining('곧해체팀') }],
  });
  // Nothing reached the PBX or the CTI.
  expect(await pbx.getExtension(input.dn)).toBeUndefined();
  expect(await pbx.getPhone(input.dn)).toBeUndefined();
  expect(await cti.findAgentByLogin('agent.teamgone@center1.example')).toBeUndefined();
  expect(await notificationKinds(h, id)).toEqual(['line-failed']);
});

test('transient CTI failures (503, then 429 with Retry-After) are retried; one agent is created and the line becomes ACTIVE', async () => {
  const { emulator } = h.vendors;
  emulator.faults.set([
    // `exact`: the create itself, not the lookup (POST /api/v2/users/search) that comes before it.
    { route: { method: 'POST', path: '/api/v2/users', exact: true }, failNext: { count: 2, status: 503 } },
    { route: { method: 'PUT', path: '/api/v2/users/' }, rateLimitNext: { count: 1, retryAfterSeconds: 1 } },
  ]);
  const line = await activeLine(h, { agent: agent('agent.retried@center1.example') });
  expect(line.status).toBe('ACTIVE');

  const ofThisLine = (r: { idempotencyKey?: string }) => r.idempotencyKey?.startsWith(`${line.id}:`);
  const creates = emulator.requests({ method: 'POST', path: '/api/v2/users' }).filter((r) => r.path === '/api/v2/users' && ofThisLine(r));
  expect(creates.map((r) => r.status)).toEqual([503, 503, 200]);
  expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
  const skillWrites = emulator.requests({ method: 'PUT' }).filter((r) => r.path.endsWith('/routingskills/bulk') && ofThisLine(r));
  expect(skillWrites.map((r) => r.status)).toEqual([429, 200]);
  const agents = await h.vendors.cti.findAgentByLogin('agent.retried@center1.example');
  expect(agents?.state).toBe('active');
});

test('a PRI line: trunk and dial-plan rule, accepted by a test call through the trunk', async () => {
  const line = await activeLine(h, { lineType: 'pri', displayName: 'PRI 대표번호', trunk: { uri: `sip:${h.vendors.answeringPoint.address}` } });
  expect(line.status).toBe('ACTIVE');
  expect(historyTypes(line)).toContain('installed:pbx-trunk');
  const trunk = line.installed.find((i) => i.kind === 'pbx-trunk');
  const status = await h.vendors.pbx.trunkStatus();
  expect(status.find((t) => trunk?.kind === 'pbx-trunk' && t.id === trunk.trunkId)?.uri).toBe(`sip:${h.vendors.answeringPoint.address}`);
  expect(line.acceptance?.calledNumber).toBe(line.dn);
});

test('acceptance fails when the test call is not answered (a PRI towards a dead gateway): the trunk and rule are removed', async () => {
  const dead = `sip:127.0.0.1:${await freePort()}`;
  const { id, handle } = await requestLine(h, { lineType: 'pri', trunk: { uri: dead } });
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const { line } = await failureOf(handle.result());
  expect(line).toMatchObject({ step: 'acceptance', type: 'AcceptanceFailed' });
  expect(line.cause).toMatch(/test call failed/);

  const stored = (await findLine(h.db.pool, id))!;
  expect(historyTypes(stored)).toEqual(expect.arrayContaining(['acceptance-failed', 'undone:pbx-dialplan', 'undone:pbx-trunk']));
  expect(stored.installed).toEqual([]);
  expect((await h.vendors.pbx.trunkStatus()).some((t) => t.uri === dead)).toBe(false);
});

test('the contract cannot be recorded twice, and a bad contract is refused before it enters history', async () => {
  const { handle } = await requestLine(h, {}, { ...LINE_TIMING, contractDeadlineMs: 10 * HOUR });
  const bad = await handle.executeUpdate(recordContractUpdate, { args: [{ body: { ...CONTRACT, monthlyFee: -1 }, actor: SPM }] }).catch((e: unknown) => e);
  expect((bad as { cause?: ApplicationFailure }).cause?.type).toBe('Validation');
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const line = await handle.result();
  expect(line.status).toBe('ACTIVE');
  expect(historyTypes(line).filter((t) => t === 'contract-recorded')).toHaveLength(1);
});

test('cancelled before the contract: CANCELLED with who and why, nothing installed, the SPM told; no contract after it', async () => {
  const { id, handle, input } = await requestLine(h);
  await h.env.sleep(1.5 * DAY);
  const cancelled = await handle.executeUpdate(cancelProvisioningUpdate, { args: [{ body: { reason: '고객사 요청으로 취소' }, actor: SPM }] });
  expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellation: { reason: '고객사 요청으로 취소', cancelledBy: SPM } });
  const line = await handle.result();
  expect(line.status).toBe('CANCELLED');
  expect(historyTypes(line)).toEqual(['requested', 'contract-reminder', 'status:CANCELLED']);
  expect(line.installed).toEqual([]);
  expect((await findLine(h.db.pool, id))?.status).toBe('CANCELLED');
  expect(await h.vendors.pbx.getExtension(input.dn)).toBeUndefined();
  expect(await notificationKinds(h, id)).toEqual(['line-contract-reminder', 'line-cancelled']);
});

test('a cancel after the contract, or without a reason, is refused before it enters history', async () => {
  const { handle } = await requestLine(h);
  const noReason = await handle.executeUpdate(cancelProvisioningUpdate, { args: [{ body: { reason: '' }, actor: SPM }] }).catch((e: unknown) => e);
  expect((noReason as { cause?: ApplicationFailure }).cause?.type).toBe('Validation');
  await handle.executeUpdate(recordContractUpdate, { args: [{ body: CONTRACT, actor: SPM }] });
  const late = await handle.executeUpdate(cancelProvisioningUpdate, { args: [{ body: { reason: '늦은 취소' }, actor: SPM }] }).catch((e: unknown) => e);
  expect((late as { cause?: ApplicationFailure }).cause?.type).toBe('InvalidTransition');
  const line = await handle.result();
  expect(line.status).toBe('ACTIVE');
  expect(line.cancellation).toBeUndefined();
});
