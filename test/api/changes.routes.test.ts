import { ChangeState } from '../../domain/change/contracts';
import { useHarness, type Harness } from './harness';
import { untilGet } from './polling';
import type { Json } from '../support/json';

const h = useHarness({ vendors: true });

/** An agent the CTI holds (made as an administrator would): a change names only what exists. */
async function ctiAgent(loginId: string): Promise<void> {
  await h.vendors!.cti.createAgent({ loginId, name: '테스트 상담원' }, { key: `test:agent:${loginId}` });
}

/** Every change row and change workflow there is: a refused request adds neither. */
async function changeCount(): Promise<{ rows: number; keys: number }> {
  const rows = await h.pool.query<{ n: string }>('SELECT count(*) AS n FROM changes');
  const keys = await h.pool.query<{ n: string }>(`SELECT count(*) AS n FROM idempotency_keys WHERE scope = 'change'`);
  return { rows: Number(rows.rows[0]!.n), keys: Number(keys.rows[0]!.n) };
}

/** A window opening `inMs` from now (real time: the dev server runs the workflow as it happens). */
const windowIn = (inMs: number, lengthMs = 3_600_000) => ({
  start: new Date(Date.now() + inMs).toISOString(),
  end: new Date(Date.now() + inMs + lengthMs).toISOString(),
});

const until = (harness: Harness, id: string, done: (change: Json) => boolean) => untilGet(harness, `/api/v1/changes/${id}`, done);

test('submit → approve → the window opens → applied and verified: COMPLETED, with its history', async () => {
  const submitted = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: {
      type: 'ivr-holidays',
      target: '센터2 휴일',
      params: { from: '2026-01-01', to: '2026-12-31' },
      window: windowIn(1_500),
      reason: '2026년 공휴일을 IVR에 반영',
    },
  });
  expect(submitted.status).toBe(201);
  expect(submitted.body).toMatchObject({ id: expect.stringMatching(/^CHG-\d{6}$/), status: 'PENDING_APPROVAL', requiredApprovals: ['customer'] });
  const id: string = submitted.body.id;

  const approved = await h.call('post', `/api/v1/changes/${id}/approve`, { token: h.tokens.spm, body: { approver: 'customer', comment: 'OK' } });
  expect(approved.status).toBe(200);
  expect(approved.body.status).toBe('SCHEDULED');

  const done = await until(h, id, (c) => c.status === 'COMPLETED' || c.status === 'ROLLED_BACK');
  expect(done.status).toBe('COMPLETED');
  expect(done.verification.ok).toBe(true);
  // What the API answers is what its OpenAPI document promises, field for field.
  expect(ChangeState.strict().parse(done)).toEqual(done);
  expect(ChangeState.strict().parse(approved.body)).toEqual(approved.body);
  expect(done.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['snapshot-taken', 'applied', 'verified']));

  const listed = await h.call('get', `/api/v1/changes?target=${encodeURIComponent('센터2 휴일')}`, { token: h.tokens.auditor });
  expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(id);
});

test('a change whose window overlaps an approved change on the same target is refused at submission (409)', async () => {
  const window = windowIn(3_600_000);
  const body = { type: 'agent-account', target: 'overlap.api@center1.example', params: { state: 'inactive' }, window, reason: '휴직' };
  await Promise.all([ctiAgent('overlap.api@center1.example'), ctiAgent('other.api@center1.example')]);
  const first = await h.call('post', '/api/v1/changes', { token: h.tokens.engineer, body });
  await h.call('post', `/api/v1/changes/${first.body.id}/approve`, { token: h.tokens.spm, body: {} });

  const overlapping = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: {
      ...body,
      window: { start: new Date(Date.parse(window.start) + 600_000).toISOString(), end: new Date(Date.parse(window.end) + 600_000).toISOString() },
    },
  });
  expect(overlapping.status).toBe(409);
  expect(overlapping.body.error.message).toContain(first.body.id);
  // The form shows it beside the window.
  expect(overlapping.body.error.details.problems).toEqual([{ path: 'window', code: 'taken', message: expect.stringContaining(first.body.id) }]);

  const elsewhere = await h.call('post', '/api/v1/changes', { token: h.tokens.engineer, body: { ...body, target: 'other.api@center1.example' } });
  expect(elsewhere.status).toBe(201);

  for (const id of [first.body.id, elsewhere.body.id]) {
    const cancelled = await h.call('post', `/api/v1/changes/${id}/cancel`, { token: h.tokens.engineer, body: { reason: '테스트 종료' } });
    expect(cancelled.body.status).toBe('CANCELLED');
  }
  // The cancelled change's window is free again.
  const later = await h.call('post', '/api/v1/changes', { token: h.tokens.engineer, body });
  expect(later.status).toBe(201);
  await h.call('post', `/api/v1/changes/${later.body.id}/cancel`, { token: h.tokens.engineer, body: { reason: '테스트 종료' } });
});

test('the list reads the changes whose window overlaps a period (a calendar month, in Seoul), earliest window first', async () => {
  const submit = async (target: string, start: string, end: string) => {
    const res = await h.call('post', '/api/v1/changes', {
      token: h.tokens.engineer,
      body: { type: 'ivr-holidays', target, params: {}, window: { start, end }, reason: '달력' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const late = await submit('달력 API 2', '2027-03-31T23:00:00+09:00', '2027-04-01T01:00:00+09:00');
  const early = await submit('달력 API 1', '2027-03-01T00:00:00+09:00', '2027-03-01T02:00:00+09:00');
  // Ends as March begins (Seoul): not in March.
  await submit('달력 API 3', '2027-02-28T22:00:00+09:00', '2027-03-01T00:00:00+09:00');

  const month = (from: string, to: string, sort = 'window') =>
    h.call('get', `/api/v1/changes?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&sort=${sort}`, { token: h.tokens.auditor });
  const march = await month('2027-03-01T00:00:00+09:00', '2027-04-01T00:00:00+09:00');
  expect(march.status).toBe(200);
  expect({ ids: march.body.items.map((c: { id: string }) => c.id), total: march.body.total }).toEqual({ ids: [early, late], total: 2 });
  const newestFirst = await month('2027-03-01T00:00:00+09:00', '2027-04-01T00:00:00+09:00', 'requested');
  expect(newestFirst.body.items.map((c: { id: string }) => c.id)).toEqual([early, late]);
  const april = await month('2027-04-01T00:00:00+09:00', '2027-05-01T00:00:00+09:00');
  expect(april.body.items.map((c: { id: string }) => c.id)).toEqual([late]);

  const backwards = await month('2027-04-01T00:00:00+09:00', '2027-03-01T00:00:00+09:00');
  expect(backwards.status).toBe(400);
  expect(backwards.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.to']);
});

test('reject ends it; acting on an ended change is 409; approving is for the SPM, not engineers', async () => {
  await ctiAgent('rec.api@center1.example');
  const submitted = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: { type: 'rec-account', target: 'rec.api@center1.example', params: { enabled: true }, window: windowIn(3_600_000), reason: '녹취 조회 권한' },
  });
  expect((await h.call('post', `/api/v1/changes/${submitted.body.id}/approve`, { token: h.tokens.engineer, body: {} })).status).toBe(403);
  const rejected = await h.call('post', `/api/v1/changes/${submitted.body.id}/reject`, { token: h.tokens.spm, body: { comment: '고객 반려' } });
  expect(rejected.body).toMatchObject({ status: 'REJECTED' });
  await until(h, submitted.body.id, (c) => c.status === 'REJECTED');
  const late = await h.call('post', `/api/v1/changes/${submitted.body.id}/approve`, { token: h.tokens.spm, body: {} });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('INVALID_TRANSITION');
});

test('bad input names each field: unknown type, params of another type, a window in the past', async () => {
  const unknown = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: { type: 'teleport', target: 'x', params: {}, window: windowIn(1000), reason: 'r' },
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details[0].path).toBe('type');

  const wrongParams = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: { type: 'ip-change', target: '3101', params: { newDn: '3102' }, window: windowIn(1000), reason: 'r' },
  });
  expect(wrongParams.status).toBe(400);
  expect(wrongParams.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['params.ip', 'params.newDn']);

  const past = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: {
      type: 'ip-change',
      target: '3101',
      params: { ip: '10.0.0.1' },
      window: { start: '2020-01-01T00:00:00Z', end: '2020-01-01T01:00:00Z' },
      reason: 'r',
    },
  });
  expect(past.status).toBe(400);
  expect(past.body.error.details).toEqual([{ path: 'window.end', message: 'the window has already ended' }]);

  expect((await h.call('get', '/api/v1/changes/CHG-999999', { token: h.tokens.auditor })).status).toBe(404);
  expect((await h.call('post', '/api/v1/changes/CHG-999999/approve', { token: h.tokens.spm, body: {} })).status).toBe(404);
});

test('an emergency change: the SPM approves (approver spm), it applies at once; the customer approves afterwards; ?emergency=true lists it', async () => {
  const submitted = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: {
      type: 'ivr-holidays',
      target: '긴급 API 휴일',
      params: { from: '2026-01-01', to: '2026-12-31' },
      window: windowIn(0, 2 * 3_600_000),
      reason: '긴급: 휴일 안내 누락',
      emergency: true,
    },
  });
  expect(submitted.status).toBe(201);
  expect(submitted.body).toMatchObject({ status: 'PENDING_APPROVAL', emergency: true, requiredApprovals: ['spm'] });
  const id: string = submitted.body.id;

  // Engineers may not approve at all; the customer's approval is not taken before the change is applied.
  expect((await h.call('post', `/api/v1/changes/${id}/approve`, { token: h.tokens.engineer, body: { approver: 'spm' } })).status).toBe(403);
  const customerFirst = await h.call('post', `/api/v1/changes/${id}/approve`, { token: h.tokens.spm, body: { approver: 'customer' } });
  expect(customerFirst.status).toBe(409);
  expect(customerFirst.body.error.message).toContain('the customer approves it afterwards');

  const approved = await h.call('post', `/api/v1/changes/${id}/approve`, { token: h.tokens.spm, body: { approver: 'spm', comment: '즉시 적용' } });
  expect(approved.status).toBe(200);
  expect(approved.body.status).toBe('SCHEDULED');

  const applied = await until(h, id, (c) => c.retroApproval?.status === 'pending');
  expect(applied.status).toBe('COMPLETED');
  expect(ChangeState.strict().parse(applied)).toEqual(applied);

  const emergencies = await h.call('get', '/api/v1/changes?emergency=true', { token: h.tokens.auditor });
  expect(emergencies.status).toBe(200);
  expect(emergencies.body.items.map((c: { id: string }) => c.id)).toContain(id);
  expect(emergencies.body.items.every((c: { emergency?: boolean }) => c.emergency === true)).toBe(true);
  const others = await h.call('get', '/api/v1/changes?emergency=false', { token: h.tokens.auditor });
  expect(others.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
  expect((await h.call('get', '/api/v1/changes?emergency=yes', { token: h.tokens.auditor })).body.error.details[0].path).toBe('query.emergency');

  const given = await h.call('post', `/api/v1/changes/${id}/approve`, { token: h.tokens.spm, body: { approver: 'customer', comment: '사후 승인' } });
  expect(given.status).toBe(200);
  expect(given.body.retroApproval).toMatchObject({ status: 'given', comment: '사후 승인' });
});

test('a change whose target does not exist is refused at submission (404 naming the field and why): no change, no workflow, no key kept', async () => {
  const before = await changeCount();
  const window = windowIn(3_600_000);
  let serial = 0;
  const refused = async (body: Record<string, unknown>, status: number) => {
    const headers = { 'Idempotency-Key': `refused-change-${++serial}` };
    const res = await h.call('post', '/api/v1/changes', { token: h.tokens.engineer, body: { window, reason: '검증', ...body }, headers });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code: status === 404 ? 'NOT_FOUND' : 'CONFLICT' });
    return res.body.error;
  };

  const agent = await refused({ type: 'agent-account', target: 'nobody.api@center1.example', params: { state: 'inactive' } }, 404);
  expect(agent.details).toEqual({ problems: [{ path: 'target', code: 'missing', message: expect.stringContaining('nobody.api@center1.example') }] });
  expect(agent.message).toContain('target');

  const dn = await refused({ type: 'dn-change', target: '48901', params: { newDn: '48902' } }, 404);
  expect(dn.details.problems).toEqual([{ path: 'target', code: 'missing', message: expect.stringContaining('48901') }]);

  await ctiAgent('member.api@center1.example');
  const team = await refused(
    { type: 'cti-team-add', target: '없는팀', params: { loginIds: ['member.api@center1.example', 'ghost.api@center1.example'] } },
    404,
  );
  expect(team.details.problems.map((p: { path: string }) => p.path)).toEqual(['target', 'params.loginIds.1']);

  const rule = await refused({ type: 'dialplan', target: '999999', params: { priority: 5 } }, 404);
  expect(rule.details.problems).toEqual([{ path: 'target', code: 'missing', message: expect.stringContaining('999999') }]);

  const skills = await refused({ type: 'skillset', target: 'member.api@center1.example', params: { skills: [{ name: '없는스킬', proficiency: 2 }] } }, 404);
  expect(skills.details.problems).toEqual([{ path: 'params.skills.0.name', code: 'missing', message: expect.stringContaining('없는스킬') }]);

  // Taken: the phone's new IP is another DN's on the PBX (409 naming params.ip).
  const { pbx } = h.vendors!;
  await pbx.createPhone({ dn: '48911', ip: '10.7.0.11' }, { key: 'test:phone:48911' });
  await pbx.createPhone({ dn: '48912', ip: '10.7.0.12' }, { key: 'test:phone:48912' });
  const ip = await refused({ type: 'ip-change', target: '48911', params: { ip: '10.7.0.12' } }, 409);
  expect(ip.details.problems).toEqual([{ path: 'params.ip', code: 'taken', message: expect.stringContaining('48912') }]);

  expect(await changeCount()).toEqual(before);

  // What exists goes ahead: the same agent change once the agent is on the CTI.
  await ctiAgent('nobody.api@center1.example');
  const accepted = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: { type: 'agent-account', target: 'nobody.api@center1.example', params: { state: 'inactive' }, window, reason: '검증' },
  });
  expect(accepted.status).toBe(201);
  await h.call('post', `/api/v1/changes/${accepted.body.id}/cancel`, { token: h.tokens.engineer, body: { reason: '테스트 종료' } });
});
