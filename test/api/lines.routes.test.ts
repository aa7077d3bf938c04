import { LineState } from '../../domain/line/contracts';
import { useHarness } from './harness';
import type { Json } from '../support/json';
import { untilLine } from './polling';

const h = useHarness({ vendors: true });

const CONTRACT = { contractNo: 'SKB-2026-7', carrier: 'SK브로드밴드', monthlyFee: 22_000, termMonths: 24, signedAt: '2026-02-01' };
let dnSerial = 0;
const dn = () => `41${String(++dnSerial).padStart(3, '0')}`;

test('request → contract → ACTIVE → termination → equipment returned → TERMINATED, each step visible', async () => {
  const number = dn();
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: {
      center: '상담 2센터',
      dn: number,
      displayName: '2센터 상담원',
      lineType: 'extension',
      agent: { loginId: 'api.agent@center2.example', name: '정상담', team: '상담2팀', skills: [{ name: '상담', proficiency: 3 }] },
      customerContact: 'it@customer.example',
    },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    id: expect.stringMatching(/^LN-\d{6}$/),
    status: 'PENDING_CONTRACT',
    step: 'waiting for the carrier contract',
    dn: number,
  });
  expect(created.body.history[0]).toMatchObject({ type: 'requested', actor: { id: 'spm-kim', role: 'spm' } });
  const id: string = created.body.id;

  const contracted = await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.engineer, body: CONTRACT });
  expect(contracted.status).toBe(200);
  expect(contracted.body.contract).toMatchObject({ ...CONTRACT, recordedBy: { id: 'eng-park', role: 'engineer' } });

  const active = await untilLine(h, id, (l) => l.status === 'ACTIVE');
  expect(active.history.map((e: { type: string }) => e.type)).toContain('accepted');
  // Accepted over SIP by the real Kamailio: the API says the record came from the vendor, not a simulator.
  expect(active.acceptance).toMatchObject({ source: 'vendor' });
  // What the API answers is what its OpenAPI document promises, field for field.
  expect(LineState.strict().parse(active)).toEqual(active);
  expect(LineState.strict().parse(created.body)).toEqual(created.body);

  const listed = await h.call('get', `/api/v1/lines?dn=${number}&status=ACTIVE&center=${encodeURIComponent('상담 2센터')}`, { token: h.tokens.auditor });
  expect(listed.body).toMatchObject({ total: 1, items: [{ id, status: 'ACTIVE' }] });

  const terminating = await h.call('post', `/api/v1/lines/${id}/termination`, {
    token: h.tokens.spm,
    body: { reason: '센터 축소', effectiveDate: '2026-12-01' },
    headers: { 'Idempotency-Key': `terminate-${id}` },
  });
  expect(terminating.status).toBe(202);
  expect(terminating.body).toMatchObject({ status: 'TERMINATING', step: 'waiting for the equipment to be returned' });
  expect(terminating.body.settlement).toMatchObject({ termEndDate: '2028-02-01', remainingMonths: 14, earlyTerminationFee: 92_400 });
  const again = await h.call('post', `/api/v1/lines/${id}/termination`, {
    token: h.tokens.spm,
    body: { reason: '센터 축소', effectiveDate: '2026-12-01' },
    headers: { 'Idempotency-Key': `terminate-${id}` },
  });
  expect(again.status).toBe(202);
  expect(again.body.history.filter((e: { type: string }) => e.type === 'status:TERMINATING')).toHaveLength(1);

  const returned = await h.call('post', `/api/v1/lines/${id}/equipment-returned`, { token: h.tokens.engineer, body: { note: '회수 완료' } });
  expect(returned.status).toBe(200);
  const terminated = await untilLine(h, id, (l) => l.status === 'TERMINATED');
  expect(terminated.installed).toEqual([]);

  // The DN is free again.
  const reused = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 2센터', dn: number, displayName: '재사용', lineType: 'extension' },
  });
  expect(reused.status).toBe(201);
});

test('the settlement is shown before terminating (GET …/termination/settlement): the fee the termination then records, nothing recorded by asking; 400, 404', async () => {
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: dn(), displayName: '정산 미리보기', lineType: 'did' },
  });
  const id: string = created.body.id;
  const pending = await h.call('get', `/api/v1/lines/${id}/termination/settlement`, { token: h.tokens.auditor });
  expect(pending.status).toBe(200);
  expect(pending.body).toMatchObject({ termEndDate: null, earlyTerminationFee: 0, rule: 'no contract: nothing to settle' });

  await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  await untilLine(h, id, (l) => l.status === 'ACTIVE');
  const preview = await h.call('get', `/api/v1/lines/${id}/termination/settlement?effectiveDate=2026-12-01`, { token: h.tokens.spm });
  expect(preview.status).toBe(200);
  expect(preview.body).toEqual({
    effectiveDate: '2026-12-01',
    termEndDate: '2028-02-01',
    remainingMonths: 14,
    monthlyFee: 22_000,
    earlyTerminationFee: 92_400,
    rule: expect.stringContaining('14 month(s) left of 24'),
  });
  // Today in Seoul when no date is named, as a termination without one.
  const today = await h.call('get', `/api/v1/lines/${id}/termination/settlement`, { token: h.tokens.spm });
  expect(today.body.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const still = (await h.call('get', `/api/v1/lines/${id}`, { token: h.tokens.auditor })).body;
  expect(still.status).toBe('ACTIVE');
  expect(still.settlement).toBeUndefined();

  const bad = await h.call('get', `/api/v1/lines/${id}/termination/settlement?effectiveDate=12-01`, { token: h.tokens.spm });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details).toEqual([{ path: 'query.effectiveDate', message: expect.any(String) }]);
  expect((await h.call('get', '/api/v1/lines/LN-999999/termination/settlement', { token: h.tokens.spm })).status).toBe(404);

  const terminating = await h.call('post', `/api/v1/lines/${id}/termination`, {
    token: h.tokens.spm,
    body: { reason: '정산 확인', effectiveDate: '2026-12-01' },
  });
  expect(terminating.status).toBe(202);
  expect(terminating.body.settlement).toEqual(preview.body);
});

test('a DN held by a live line is a 409 naming the line; a retried POST with its Idempotency-Key returns the same line', async () => {
  const body = { center: '상담 1센터', dn: dn(), displayName: '중복', lineType: 'did' };
  const first = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'line-dup-1' } });
  expect(first.status).toBe(201);
  const retried = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'line-dup-1' } });
  expect(retried.status).toBe(201);
  expect(retried.body.id).toBe(first.body.id);
  const other = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body });
  expect(other.status).toBe(409);
  expect(other.body.error.message).toContain(first.body.id);
});

test('bad input: 400 naming each field; unknown line 404; steps out of order 409', async () => {
  const bad = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '', dn: '12ab', displayName: 'x', lineType: 'pri', extra: 1 },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['center', 'dn', 'extra', 'trunk'].sort());

  expect((await h.call('get', '/api/v1/lines/LN-999999', { token: h.tokens.auditor })).status).toBe(404);
  expect((await h.call('post', '/api/v1/lines/LN-999999/contract', { token: h.tokens.spm, body: CONTRACT })).status).toBe(404);
  expect((await h.call('get', '/api/v1/lines/42', { token: h.tokens.auditor })).status).toBe(400);

  const pending = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: dn(), displayName: 'x', lineType: 'extension' },
  });
  const early = await h.call('post', `/api/v1/lines/${pending.body.id}/termination`, { token: h.tokens.spm, body: { reason: '취소' } });
  expect(early.status).toBe(409);
  expect(early.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'PENDING_CONTRACT', allowedFrom: ['ACTIVE'] } });
  const returned = await h.call('post', `/api/v1/lines/${pending.body.id}/equipment-returned`, { token: h.tokens.spm, body: {} });
  expect(returned.status).toBe(409);
  const badContract = await h.call('post', `/api/v1/lines/${pending.body.id}/contract`, { token: h.tokens.spm, body: { ...CONTRACT, termMonths: 0 } });
  expect(badContract.status).toBe(400);
  expect(badContract.body.error.details).toEqual([{ path: 'termMonths', message: expect.any(String) }]);
});

test('auditors read lines but cannot change them', async () => {
  const res = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.auditor,
    body: { center: 'x', dn: dn(), displayName: 'x', lineType: 'extension' },
  });
  expect(res.status).toBe(403);
});

test('termination ahead of its effective date: TERMINATION_SCHEDULED, cancel → ACTIVE, then terminated anew; retry and cancel 409 in other states, 400, 404', async () => {
  const number = dn();
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: '예약 해지', lineType: 'extension' },
  });
  const id: string = created.body.id;
  await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  await untilLine(h, id, (l) => l.status === 'ACTIVE');

  const retryActive = await h.call('post', `/api/v1/lines/${id}/termination/retry`, { token: h.tokens.spm, body: {} });
  expect(retryActive.status).toBe(409);
  expect(retryActive.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'ACTIVE', allowedFrom: ['TERMINATION_FAILED'] } });
  const cancelActive = await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.spm, body: { reason: '철회' } });
  expect(cancelActive.status).toBe(409);
  expect(cancelActive.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'ACTIVE', allowedFrom: ['TERMINATION_SCHEDULED'] } });

  const scheduled = await h.call('post', `/api/v1/lines/${id}/termination`, {
    token: h.tokens.spm,
    body: { reason: '센터 이전', effectiveDate: '2099-03-02' },
  });
  expect(scheduled.status).toBe(202);
  expect(scheduled.body).toMatchObject({
    status: 'TERMINATION_SCHEDULED',
    termination: { effectiveDate: '2099-03-02' },
    settlement: { effectiveDate: '2099-03-02' },
  });
  expect(LineState.strict().parse(scheduled.body)).toEqual(scheduled.body);
  // The DN stays held while the termination is scheduled.
  const taken = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: 'x', lineType: 'did' },
  });
  expect(taken.status).toBe(409);
  const returned = await h.call('post', `/api/v1/lines/${id}/equipment-returned`, { token: h.tokens.spm, body: {} });
  expect(returned.status).toBe(409);
  const retryScheduled = await h.call('post', `/api/v1/lines/${id}/termination/retry`, { token: h.tokens.spm, body: {} });
  expect(retryScheduled.status).toBe(409);
  expect(retryScheduled.body.error.details).toMatchObject({ status: 'TERMINATION_SCHEDULED' });

  const noReason = await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.spm, body: {} });
  expect(noReason.status).toBe(400);
  expect(noReason.body.error.details).toEqual([{ path: 'reason', message: expect.any(String) }]);
  const badNote = await h.call('post', `/api/v1/lines/${id}/termination/retry`, { token: h.tokens.spm, body: { note: '' } });
  expect(badNote.status).toBe(400);
  expect(badNote.body.error.details).toEqual([{ path: 'note', message: expect.any(String) }]);
  expect((await h.call('post', '/api/v1/lines/LN-999999/termination/cancel', { token: h.tokens.spm, body: { reason: '철회' } })).status).toBe(404);
  expect((await h.call('post', '/api/v1/lines/LN-999999/termination/retry', { token: h.tokens.spm, body: {} })).status).toBe(404);
  expect((await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.auditor, body: { reason: '철회' } })).status).toBe(403);

  const cancelled = await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.spm, body: { reason: '고객 철회' } });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ status: 'ACTIVE' });
  expect(cancelled.body.termination).toBeUndefined();
  expect(cancelled.body.history.at(-1)).toMatchObject({ type: 'status:ACTIVE', details: { from: 'TERMINATION_SCHEDULED', reason: '고객 철회' } });
  expect((await untilLine(h, id, (l) => l.status === 'ACTIVE')).status).toBe('ACTIVE');
  const cancelAgain = await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.spm, body: { reason: '또 철회' } });
  expect(cancelAgain.status).toBe(409);

  // Cancelled, the line can be terminated again, this time today.
  const now = await h.call('post', `/api/v1/lines/${id}/termination`, { token: h.tokens.spm, body: { reason: '다시 해지' } });
  expect(now.status).toBe(202);
  expect(now.body).toMatchObject({ status: 'TERMINATING' });
  const late = await h.call('post', `/api/v1/lines/${id}/termination/cancel`, { token: h.tokens.spm, body: { reason: '늦은 철회' } });
  expect(late.status).toBe(409);
  expect(late.body.error.details).toMatchObject({ status: 'TERMINATING', allowedFrom: ['TERMINATION_SCHEDULED'] });
  await h.call('post', `/api/v1/lines/${id}/equipment-returned`, { token: h.tokens.spm, body: {} });
  expect((await untilLine(h, id, (l) => l.status === 'TERMINATED')).installed).toEqual([]);
});

test('cancel before the contract: 200 CANCELLED with who and why, the DN free again; after the contract 409 naming the status', async () => {
  const number = dn();
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: '취소될 회선', lineType: 'extension' },
  });
  expect(created.status).toBe(201);
  const noReason = await h.call('post', `/api/v1/lines/${created.body.id}/cancel`, { token: h.tokens.engineer, body: {} });
  expect(noReason.status).toBe(400);
  expect(noReason.body.error.details).toEqual([{ path: 'reason', message: expect.any(String) }]);
  const cancelled = await h.call('post', `/api/v1/lines/${created.body.id}/cancel`, { token: h.tokens.engineer, body: { reason: '고객사 계획 변경' } });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({
    status: 'CANCELLED',
    cancellation: { reason: '고객사 계획 변경', cancelledBy: { id: 'eng-park', role: 'engineer' } },
  });
  expect(LineState.strict().parse(cancelled.body)).toEqual(cancelled.body);
  const again = await h.call('post', `/api/v1/lines/${created.body.id}/cancel`, { token: h.tokens.engineer, body: { reason: '두 번째' } });
  expect(again.status).toBe(409);
  expect(again.body.error.details).toMatchObject({ status: 'CANCELLED', allowedFrom: ['PENDING_CONTRACT'] });

  // The DN is free again: a new line on it is accepted.
  const reused = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: '새 회선', lineType: 'extension' },
  });
  expect(reused.status).toBe(201);
  await h.call('post', `/api/v1/lines/${reused.body.id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  const late = await h.call('post', `/api/v1/lines/${reused.body.id}/cancel`, { token: h.tokens.spm, body: { reason: '늦은 취소' } });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('INVALID_TRANSITION');
  expect(late.body.error.message).toMatch(/INSTALLING|ACCEPTANCE|ACTIVE|PENDING_CONTRACT/);
  await untilLine(h, reused.body.id, (l) => l.status === 'ACTIVE');
  expect((await h.call('get', `/api/v1/lines/${created.body.id}`, { token: h.tokens.auditor })).body.status).toBe('CANCELLED');
});

// ---- refused early: what the PBX and the CTI say cannot work is a 404/409 at submission -----------

const lineRows = async (dn: string) => (await h.pool.query('SELECT id FROM lines WHERE dn = $1', [dn])).rows;
const keyKept = async (key: string) => (await h.pool.query(`SELECT 1 FROM idempotency_keys WHERE scope = 'line' AND key = $1`, [key])).rows.length > 0;

test('a line naming a CTI team or skill that does not exist: 404 naming agent.team and the skill; no line, no key; once they exist, 201', async () => {
  const number = dn();
  const body = {
    center: '상담 1센터',
    dn: number,
    displayName: '신규팀 상담원',
    lineType: 'extension',
    agent: {
      loginId: 'new.team@center1.example',
      name: '신상담',
      team: '신설3팀',
      skills: [
        { name: '상담', proficiency: 3 },
        { name: '중국어', proficiency: 2 },
      ],
    },
  };
  const refused = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'line-new-team' } });
  expect(refused.status).toBe(404);
  expect(refused.body.error).toMatchObject({ code: 'NOT_FOUND' });
  expect(refused.body.error.details).toEqual({
    problems: [
      { path: 'agent.team', code: 'missing', message: expect.stringContaining('신설3팀') },
      { path: 'agent.skills.1.name', code: 'missing', message: expect.stringContaining('중국어') },
    ],
  });
  expect(refused.body.error.message).toContain('agent.team');
  // Nothing kept: no line (so no workflow: the row is claimed before one starts), no Idempotency-Key.
  expect(await lineRows(number)).toEqual([]);
  expect(await keyKept('line-new-team')).toBe(false);

  const { cti } = h.vendors!;
  await cti.createTeam('신설3팀', { key: 'test:team:new-3' });
  await cti.createSkill('중국어', { key: 'test:skill:chinese' });
  const accepted = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'line-new-team' } });
  expect(accepted.status).toBe(201);
  expect(accepted.body).toMatchObject({ status: 'PENDING_CONTRACT', dn: number });
  await h.call('post', `/api/v1/lines/${accepted.body.id}/cancel`, { token: h.tokens.spm, body: { reason: '테스트 종료' } });
});

test('an agent naming a queue the CTI lacks: 404 naming agent.queues.N; a queue named twice: 400; known queues: the agent answers them once ACTIVE', async () => {
  const agent = (queues: string[]) => ({ loginId: 'queues.api@center1.example', name: '큐상담', team: '상담1팀', queues });
  const body = (queues: string[]) => ({ center: '상담 2센터', dn: number, displayName: '큐 상담원', lineType: 'extension', agent: agent(queues) });
  const number = dn();
  const unknown = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body: body(['VIP 상담', '없는큐']) });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.details.problems).toEqual([{ path: 'agent.queues.1', code: 'missing', message: expect.stringContaining('없는큐') }]);
  expect(await lineRows(number)).toEqual([]);

  const twice = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body: body(['VIP 상담', 'VIP 상담']) });
  expect(twice.status).toBe(400);
  expect(twice.body.error.details).toEqual([{ path: 'agent.queues.1', message: 'queue "VIP 상담" is also queues.0' }]);

  const created = await h.call('post', '/api/v1/lines/provisioning', { token: h.tokens.spm, body: body(['VIP 상담', '해외결제문의']) });
  expect(created.status).toBe(201);
  expect(created.body.agent.queues).toEqual(['VIP 상담', '해외결제문의']);
  await h.call('post', `/api/v1/lines/${created.body.id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  const active = await untilLine(h, created.body.id, (l) => l.status !== 'PENDING_CONTRACT' && l.status !== 'INSTALLING' && l.status !== 'ACCEPTANCE');
  expect(active.status).toBe('ACTIVE');
  const joined = (active.installed as Json[]).filter((i) => i.kind === 'cti-queue-member');
  expect(joined.map((i) => i.queue)).toEqual(['VIP 상담', '해외결제문의']);
  const { cti } = h.vendors!;
  for (const item of joined) expect(await cti.listQueueMembers(item.queueId)).toContain(item.agentId);
});

test('a DN on the PBX but not in the inventory is 409 naming dn; a phone IP another phone has is 409 naming phone.ip; free ones are 201', async () => {
  const { pbx, acceptancePlan } = h.vendors!;
  const handMade = dn();
  await pbx.createExtension(
    { dn: handMade, displayName: '수작업 내선', domain: acceptancePlan.domain, password: 'hand-made-secret' },
    { key: `test:ext:${handMade}` },
  );
  const onPbx = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: handMade, displayName: '중복 내선', lineType: 'extension' },
  });
  expect(onPbx.status).toBe(409);
  expect(onPbx.body.error).toMatchObject({
    code: 'CONFLICT',
    details: { problems: [{ path: 'dn', code: 'taken', message: expect.stringContaining('extension') }] },
  });
  expect(await lineRows(handMade)).toEqual([]);

  const phoneOwner = dn();
  await pbx.createPhone({ dn: phoneOwner, ip: '10.6.0.21' }, { key: `test:phone:${phoneOwner}` });
  const number = dn();
  const ipTaken = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: 'IP 중복', lineType: 'extension', phone: { ip: '10.6.0.21' } },
  });
  expect(ipTaken.status).toBe(409);
  expect(ipTaken.body.error.details).toEqual({ problems: [{ path: 'phone.ip', code: 'taken', message: expect.stringContaining(phoneOwner) }] });
  expect(await lineRows(number)).toEqual([]);

  const good = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: number, displayName: 'IP 정상', lineType: 'extension', phone: { ip: '10.6.0.22' } },
  });
  expect(good.status).toBe(201);
  await h.call('post', `/api/v1/lines/${good.body.id}/cancel`, { token: h.tokens.spm, body: { reason: '테스트 종료' } });
});

test('a CTI failing the check is 503 and keeps nothing: a check that fails is not deferred, only one that runs out of time', async () => {
  const { emulator } = h.vendors!;
  const faults = (method: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const number = dn();
  await faults('POST', { failAlways: { status: 503 } });
  try {
    const res = await h.call('post', '/api/v1/lines/provisioning', {
      token: h.tokens.spm,
      body: {
        center: '상담 1센터',
        dn: number,
        displayName: 'CTI 장애',
        lineType: 'extension',
        agent: { loginId: 'cti.down@center1.example', name: '장애', team: '상담1팀', skills: [] },
      },
      headers: { 'Idempotency-Key': 'line-cti-down' },
    });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('could not be checked') });
    expect(h.logged.splice(0)).toHaveLength(1);
    expect(await lineRows(number)).toEqual([]);
    expect(await keyKept('line-cti-down')).toBe(false);
  } finally {
    await faults('DELETE');
  }
});
