import { incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentBody, useHarness, SUBJECTS } from './harness';

const h = useHarness();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

async function open(body: Record<string, unknown> = incidentBody(), token = h.tokens.automation, headers?: Record<string, string>) {
  const res = await h.call('post', '/api/v1/incidents', { token, body, headers });
  expect(res.status).toBe(201);
  return res.body;
}

async function read(id: string) {
  const res = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

describe('an incident over HTTP, from OPEN to CLOSED', () => {
  let id: string;
  let openedAt: string;

  it('opens: 201, OPEN at L1, P1 on the 24×7 clock due +15 min (response) and +4 h (restore) exactly', async () => {
    const before = Date.now();
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody() });
    expect(res.status).toBe(201);
    const body = res.body;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^INC-\d{6}$/),
      status: 'OPEN',
      level: 'L1',
      assignee: null,
      title: '상담 1센터 교환기 장애',
      openedBy: { id: SUBJECTS.automation, role: 'automation' },
      sla: { clock: '24x7', paused: false, breached: false },
      // What OPEN allows (INCIDENT_ACTIONS), and an RCA; no report before it is resolved with one.
      actions: ['assign', 'cancel', 'escalate', 'notes', 'rca'],
    });
    id = body.id;
    openedAt = body.openedAt;
    expect(Date.parse(openedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(openedAt)).toBeLessThanOrEqual(Date.now());
    expect(body.sla.responseDueAt).toBe(plus(openedAt, 15 * MINUTE));
    expect(body.sla.restoreDueAt).toBe(plus(openedAt, 4 * HOUR));
    expect(body.sla.policy).toMatchObject({ responseTargetSeconds: 900, restoreTargetSeconds: 14_400, autoCloseAfterSeconds: 5 * 24 * 3600 });
  });

  it('is in the read model as soon as the 201 is out, with the same due instants', async () => {
    const { rows } = await h.pool.query('SELECT status, level FROM incidents WHERE id = $1', [id]);
    expect(rows).toEqual([{ status: 'OPEN', level: 'L1' }]);
    const got = await read(id);
    expect(got).toMatchObject({ id, status: 'OPEN', openedAt });
    expect(got.sla.responseDueAt).toBe(plus(openedAt, 15 * MINUTE));
    expect(got.sla.restoreDueAt).toBe(plus(openedAt, 4 * HOUR));
  });

  it('is assigned → ASSIGNED with the assignee', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park', note: '1센터 상주 엔지니어' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'ASSIGNED', assignee: 'eng-park' });
    expect(res.body.sla.response.met).toBe(true);
  });

  it('is started → IN_PROGRESS', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/start`, { token: h.tokens.engineer, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('IN_PROGRESS');
    expect(res.body.actions).toEqual(['assign', 'pend', 'resolve', 'cancel', 'escalate', 'notes', 'rca']);
  });

  it('is pended for the customer → PENDING, and the restore clock is paused', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/pend`, { token: h.tokens.engineer, body: { reason: 'customer' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('PENDING');
    expect(res.body.sla.paused).toBe(true);
    expect(res.body.sla.restore).toMatchObject({ paused: true, running: false, dueAt: null });
    const got = await read(id);
    expect(got.status).toBe('PENDING');
    expect(got.sla.paused).toBe(true);
  });

  it('is resumed → IN_PROGRESS, the clock running again', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/resume`, { token: h.tokens.engineer, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('IN_PROGRESS');
    expect(res.body.sla.paused).toBe(false);
    expect(res.body.sla.restore.running).toBe(true);
    // The pause moved the restore due instant later, never earlier.
    expect(Date.parse(res.body.sla.restoreDueAt)).toBeGreaterThanOrEqual(Date.parse(plus(openedAt, 4 * HOUR)));
  });

  it('is resolved, reopened and resolved again', async () => {
    const resolved = await h.call('post', `/api/v1/incidents/${id}/resolve`, { token: h.tokens.engineer, body: { resolution: 'PRI 카드 교체' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) });
    expect(resolved.body.sla.restore.met).toBe(true);

    const reopened = await h.call('post', `/api/v1/incidents/${id}/reopen`, { token: h.tokens.spm, body: { reason: '고객 재발 신고' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'IN_PROGRESS', resolvedAt: null });

    const again = await h.call('post', `/api/v1/incidents/${id}/resolve`, { token: h.tokens.admin, body: { resolution: 'PRI 트렁크 재설정' } });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('RESOLVED');
  });

  it('is closed → CLOSED', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/close`, { token: h.tokens.spm, body: { note: '고객 확인 완료' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', closedAt: expect.any(String), actions: [] });
  });

  it('the timeline lists each event with the subject and role of the token that caused it', async () => {
    const got = await read(id);
    expect(got.timeline.map((e: { seq: number; type: string; actor: unknown; from?: string; to?: string }) => [e.seq, e.type, e.actor, e.from, e.to])).toEqual([
      [1, 'opened', { id: SUBJECTS.automation, role: 'automation' }, undefined, 'OPEN'],
      [2, 'assigned', { id: SUBJECTS.spm, role: 'spm' }, 'OPEN', 'ASSIGNED'],
      [3, 'started', { id: SUBJECTS.engineer, role: 'engineer' }, 'ASSIGNED', 'IN_PROGRESS'],
      [4, 'pended', { id: SUBJECTS.engineer, role: 'engineer' }, 'IN_PROGRESS', 'PENDING'],
      [5, 'resumed', { id: SUBJECTS.engineer, role: 'engineer' }, 'PENDING', 'IN_PROGRESS'],
      [6, 'resolved', { id: SUBJECTS.engineer, role: 'engineer' }, 'IN_PROGRESS', 'RESOLVED'],
      [7, 'reopened', { id: SUBJECTS.spm, role: 'spm' }, 'RESOLVED', 'IN_PROGRESS'],
      [8, 'resolved', { id: SUBJECTS.admin, role: 'admin' }, 'IN_PROGRESS', 'RESOLVED'],
      [9, 'closed', { id: SUBJECTS.spm, role: 'spm' }, 'RESOLVED', 'CLOSED'],
    ]);
    expect(got.timeline[1].details).toEqual({ assignee: 'eng-park', note: '1센터 상주 엔지니어' });
    expect(got.timeline[3].details).toEqual({ reason: 'customer' });
    expect(got.timeline[5].details).toEqual({ resolution: 'PRI 카드 교체' });
    for (let i = 1; i < got.timeline.length; i++) expect(got.timeline[i].at >= got.timeline[i - 1].at).toBe(true);
  });

  it('a closed incident refuses any further action: 409 INVALID_TRANSITION with allowedFrom, and stays CLOSED', async () => {
    const res = await h.call('post', `/api/v1/incidents/${id}/reopen`, { token: h.tokens.spm, body: { reason: 'again' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { action: 'reopen', status: 'CLOSED', allowedFrom: ['RESOLVED'] } });
    const got = await read(id);
    expect(got.status).toBe('CLOSED');
    expect(got.timeline).toHaveLength(9);
  });

  it('and still 409 INVALID_TRANSITION once the workflow has completed', async () => {
    const final = await h.client.workflow.getHandle(incidentWorkflowId(id)).result();
    expect(final.status).toBe('CLOSED');
    const { status } = await h.client.workflow.getHandle(incidentWorkflowId(id)).describe();
    expect(status.name).toBe('COMPLETED');

    for (const [action, body, allowedFrom] of [
      ['reopen', { reason: 'again' }, ['RESOLVED']],
      ['notes', { text: '사후 메모' }, ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING', 'RESOLVED']],
      ['assign', { assignee: 'someone' }, ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING']],
      ['close', {}, ['RESOLVED']],
    ] as const) {
      const res = await h.call('post', `/api/v1/incidents/${id}/${action}`, { token: h.tokens.admin, body });
      expect({ action, status: res.status, code: res.body.error?.code }).toEqual({ action, status: 409, code: 'INVALID_TRANSITION' });
      expect(res.body.error.details).toEqual({ action, status: 'CLOSED', allowedFrom });
    }
    const got = await read(id);
    expect(got.status).toBe('CLOSED');
    expect(got.timeline).toHaveLength(9);
  });
});

describe('invalid transitions and unknown incidents', () => {
  it.each([
    ['start', {}, ['ASSIGNED']],
    ['pend', { reason: 'vendor' }, ['IN_PROGRESS']],
    ['resume', {}, ['PENDING']],
    ['reopen', { reason: 'x' }, ['RESOLVED']],
    ['close', {}, ['RESOLVED']],
    ['resolve', { resolution: 'x' }, ['ASSIGNED', 'IN_PROGRESS', 'PENDING']],
  ])('%s on an OPEN incident → 409 INVALID_TRANSITION naming allowedFrom, nothing changes', async (action, body, allowedFrom) => {
    const { id } = await open();
    const res = await h.call('post', `/api/v1/incidents/${id}/${action}`, { token: h.tokens.engineer, body });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({
      code: 'INVALID_TRANSITION',
      message: `cannot ${action} an incident that is OPEN`,
      details: { action, status: 'OPEN', allowedFrom },
    });
    const got = await read(id);
    expect(got).toMatchObject({ status: 'OPEN', assignee: null, resolvedAt: null });
    expect(got.timeline.map((e: { type: string }) => e.type)).toEqual(['opened']);
  });

  it('escalate goes L1 → L2 → L3 and then 409, the level staying L3', async () => {
    const { id } = await open();
    const l2 = await h.call('post', `/api/v1/incidents/${id}/escalate`, { token: h.tokens.spm, body: { reason: '원인 불명' } });
    expect(l2).toMatchObject({ status: 200, body: { level: 'L2', status: 'OPEN' } });
    const l3 = await h.call('post', `/api/v1/incidents/${id}/escalate`, { token: h.tokens.spm, body: { reason: '제조사 지원 필요' } });
    expect(l3).toMatchObject({ status: 200, body: { level: 'L3' } });
    const l4 = await h.call('post', `/api/v1/incidents/${id}/escalate`, { token: h.tokens.spm, body: { reason: 'more' } });
    expect(l4.status).toBe(409);
    expect(l4.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { action: 'escalate', status: 'OPEN' } });
    expect((await read(id)).level).toBe('L3');
  });

  it('only the SPM or an admin cancels, with a reason, and never a resolved incident (a cancellation takes a breach out of the volumes)', async () => {
    const { id } = await open();
    for (const role of ['engineer', 'automation', 'auditor'] as const) {
      const refused = await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens[role], body: { reason: '오탐' } });
      expect({ role, status: refused.status }).toEqual({ role, status: 403 });
    }
    const noReason = await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.spm, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.map((d: { path: string }) => d.path)).toEqual(['reason']);
    await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.spm, body: { assignee: 'eng.park' } });
    await h.call('post', `/api/v1/incidents/${id}/resolve`, { token: h.tokens.engineer, body: { resolution: '재기동' } });
    const afterResolve = await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.admin, body: { reason: '오탐' } });
    expect(afterResolve.status).toBe(409);
    expect((await read(id)).status).toBe('RESOLVED');
    // Reopened, it is in progress again, and still not to be cancelled: it was an outage.
    expect((await h.call('post', `/api/v1/incidents/${id}/reopen`, { token: h.tokens.spm, body: { reason: '재발' } })).status).toBe(200);
    const afterReopen = await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.admin, body: { reason: '오탐' } });
    expect(afterReopen.status).toBe(409);
    expect(afterReopen.body.error.message).toMatch(/resolved once/);
  });

  it('a cancelled incident cannot be resolved; it stays CANCELLED', async () => {
    const { id } = await open();
    const cancelled = await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.spm, body: { reason: '오탐' } });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    const res = await h.call('post', `/api/v1/incidents/${id}/resolve`, { token: h.tokens.spm, body: { resolution: 'x' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect((await read(id)).status).toBe('CANCELLED');
  });

  it('a bad transition body on a real incident → 400 naming the field, nothing changes', async () => {
    const { id } = await open();
    const res = await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.spm, body: { assignee: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['assignee']);
    expect((await read(id)).status).toBe('OPEN');
  });

  it('an unknown incident → 404 NOT_FOUND for reading, similar and every action', async () => {
    const get = await h.call('get', '/api/v1/incidents/INC-999999', { token: h.tokens.auditor });
    expect(get.status).toBe(404);
    expect(get.body.error).toEqual({ code: 'NOT_FOUND', message: 'incident INC-999999 not found', details: { resource: 'incident', id: 'INC-999999' } });
    const similar = await h.call('get', '/api/v1/incidents/INC-999999/similar', { token: h.tokens.auditor });
    expect(similar.status).toBe(404);
    expect(similar.body.error.code).toBe('NOT_FOUND');
    for (const [action, body] of [
      ['assign', { assignee: 'x' }],
      ['start', {}],
      ['notes', { text: 'x' }],
      ['close', {}],
    ] as const) {
      const res = await h.call('post', `/api/v1/incidents/INC-999999/${action}`, { token: h.tokens.engineer, body });
      expect({ action, status: res.status, code: res.body.error?.code }).toEqual({ action, status: 404, code: 'NOT_FOUND' });
    }
    const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE id = 'INC-999999'`);
    expect(rows[0].n).toBe(0);
  });
});

describe('Idempotency-Key', () => {
  const countTitled = async (title: string) => (await h.pool.query('SELECT count(*)::int AS n FROM incidents WHERE title = $1', [title])).rows[0].n as number;

  it('a retried POST with the same key and body returns the same incident; one row in the database', async () => {
    const body = incidentBody({ title: '녹취 서버 응답 없음 (재시도)', system: 'REC', severity: 'P2' });
    const first = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7781' } });
    const second = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7781' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.openedAt).toBe(first.body.openedAt);
    expect(second.body.sla.restoreDueAt).toBe(first.body.sla.restoreDueAt);
    expect(await countTitled(body.title as string)).toBe(1);
    expect((await read(first.body.id)).timeline).toHaveLength(1);
  });

  it('concurrent retries with the same key also land on one incident', async () => {
    const body = incidentBody({ title: 'CTI 서버 연결 끊김 (동시 재시도)', system: 'CTI' });
    const results = await Promise.all(
      [1, 2, 3].map(() => h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7782' } })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await countTitled(body.title as string)).toBe(1);
  });

  it('a very late retry, after the incident was cancelled and its workflow completed, still returns that incident', async () => {
    const body = incidentBody({ title: 'NET 스위치 포트 다운 (늦은 재시도)', system: 'NET' });
    const first = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7790' } });
    expect(first.status).toBe(201);
    const id = first.body.id as string;
    expect((await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.spm, body: { reason: '오탐' } })).status).toBe(200);
    await h.client.workflow.getHandle(incidentWorkflowId(id)).result();

    const late = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7790' } });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ id, status: 'CANCELLED', openedAt: first.body.openedAt });
    expect(await countTitled(body.title as string)).toBe(1);
  });

  it('the same key with a different body → 409 CONFLICT, and nothing new is created', async () => {
    const body = incidentBody({ title: 'IVR 안내 멘트 오류', system: 'IVR', severity: 'P3' });
    const first = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body, headers: { 'idempotency-key': 'mon-alert-7783' } });
    expect(first.status).toBe(201);
    const changed = { ...body, title: 'IVR 안내 멘트 오류 (수정)' };
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: changed, headers: { 'idempotency-key': 'mon-alert-7783' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Idempotency-Key') });
    expect(await countTitled(changed.title)).toBe(0);
    expect(await countTitled(body.title as string)).toBe(1);
  });

  it('without a key, two POSTs are two incidents', async () => {
    const body = incidentBody({ title: 'ERS 연동 지연', system: 'ERS' });
    const a = await open(body);
    const b = await open(body);
    expect(a.id).not.toBe(b.id);
    expect(await countTitled(body.title as string)).toBe(2);
  });
});
