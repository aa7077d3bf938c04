import { incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentBody, useHarness } from './harness';

/**
 * `Idempotency-Key` on the Updates of existing resources (incident transitions and notes, change
 * approvals…): a retry with the same key and body gets the first answer and applies nothing
 * again, even when the first attempt ended in a 503 while its Update was still waiting.
 * P4/simple incidents: the business-hours clock with the longest targets, so no SLA timer moves them.
 */

// A short deadline, so the 503 below comes soon; Updates with the worker running answer far sooner.
// With the PBX and the CTI: a change request is checked against them before it is accepted.
const h = useHarness({ requestDeadlineMs: 5_000, vendors: true });

const P4 = incidentBody({ severity: 'P4', complexity: 'simple', title: '녹취 서버 간헐 지연', description: 'idempotency' });

async function openIncident(): Promise<string> {
  const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: P4 });
  expect(res.status).toBe(201);
  return res.body.id;
}

function post(path: string, body: unknown, key?: string) {
  return h.call('post', path, { token: h.tokens.spm, body, headers: key ? { 'idempotency-key': key } : {} });
}

async function incident(id: string) {
  const res = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

async function events(id: string, type: string): Promise<Array<{ type: string; details?: Record<string, unknown> }>> {
  return (await incident(id)).timeline.filter((e: { type: string }) => e.type === type);
}

async function storedKeys(): Promise<number> {
  const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE scope = 'update'`);
  return rows[0].n;
}

test('escalate twice with one key: L1→L2 once, and the retry gets the first answer', async () => {
  const id = await openIncident();
  const first = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'esc-1');
  const retry = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'esc-1');
  expect(first.status).toBe(200);
  expect(first.body.level).toBe('L2');
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(first.body);
  expect((await incident(id)).level).toBe('L2');
  expect((await events(id, 'escalated')).map((e) => e.details)).toEqual([expect.objectContaining({ fromLevel: 'L1', toLevel: 'L2' })]);

  // A new key is a new request: L2→L3.
  const next = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'esc-2');
  expect(next.body.level).toBe('L3');
});

test('escalate sent twice at once with one key: applied once, both answers equal', async () => {
  const id = await openIncident();
  const [a, b] = await Promise.all([
    post(`/api/v1/incidents/${id}/escalate`, { reason: '동시 재시도' }, 'esc-concurrent'),
    post(`/api/v1/incidents/${id}/escalate`, { reason: '동시 재시도' }, 'esc-concurrent'),
  ]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(b.body).toEqual(a.body);
  expect(a.body.level).toBe('L2');
  expect(await events(id, 'escalated')).toHaveLength(1);
});

test('a note posted twice with one key is recorded once; without a key, twice', async () => {
  const id = await openIncident();
  const first = await post(`/api/v1/incidents/${id}/notes`, { text: '벤더 회신 대기' }, 'note-1');
  const retry = await post(`/api/v1/incidents/${id}/notes`, { text: '벤더 회신 대기' }, 'note-1');
  expect([first.status, retry.status]).toEqual([200, 200]);
  expect(retry.body).toEqual(first.body);
  expect(await events(id, 'note')).toHaveLength(1);

  await post(`/api/v1/incidents/${id}/notes`, { text: '키 없는 메모' });
  await post(`/api/v1/incidents/${id}/notes`, { text: '키 없는 메모' });
  expect(await events(id, 'note')).toHaveLength(3);
});

test('the same key with another body or another action on the incident: 409 CONFLICT, and nothing changes', async () => {
  const id = await openIncident();
  expect((await post(`/api/v1/incidents/${id}/notes`, { text: '첫 메모' }, 'reused')).status).toBe(200);
  const before = await incident(id);
  const keys = await storedKeys();

  const otherBody = await post(`/api/v1/incidents/${id}/notes`, { text: '다른 메모' }, 'reused');
  expect(otherBody.status).toBe(409);
  expect(otherBody.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Idempotency-Key') });
  const otherAction = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'reused');
  expect(otherAction.status).toBe(409);
  expect(otherAction.body.error.code).toBe('CONFLICT');

  const after = await incident(id);
  expect({ level: after.level, timeline: after.timeline }).toEqual({ level: before.level, timeline: before.timeline });
  expect(await storedKeys()).toBe(keys);
});

test('the same key on another incident is another request', async () => {
  const [one, two] = [await openIncident(), await openIncident()];
  const a = await post(`/api/v1/incidents/${one}/escalate`, { reason: '장기화' }, 'shared-key');
  const b = await post(`/api/v1/incidents/${two}/escalate`, { reason: '장기화' }, 'shared-key');
  expect([a.status, b.status]).toEqual([200, 200]);
  expect([a.body.id, a.body.level, b.body.id, b.body.level]).toEqual([one, 'L2', two, 'L2']);
  expect(await events(one, 'escalated')).toHaveLength(1);
  expect(await events(two, 'escalated')).toHaveLength(1);
});

test('a refused request keeps no key: a later valid request with it goes ahead', async () => {
  const id = await openIncident();
  const keys = await storedKeys();
  // resume is allowed from PENDING only: the workflow's validator refuses it (409 INVALID_TRANSITION).
  const refused = await post(`/api/v1/incidents/${id}/resume`, {}, 'refused-once');
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('INVALID_TRANSITION');
  const missing = await post('/api/v1/incidents/INC-999999/escalate', { reason: '장기화' }, 'refused-once');
  expect(missing.status).toBe(404);
  expect(await storedKeys()).toBe(keys);

  const accepted = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'refused-once');
  expect(accepted.status).toBe(200);
  expect(accepted.body.level).toBe('L2');
  expect(await storedKeys()).toBe(keys + 1);
});

test('a retry after a 503: the Update the first request left waiting is applied once, and the retry answers with it', async () => {
  const id = await openIncident();
  await h.stopWorker();
  // The stopped worker's sticky queue would hold the next workflow task until it times out; the new worker takes it at once.
  await h.client.workflowService.resetStickyTaskQueue({ namespace: h.namespace, execution: { workflowId: incidentWorkflowId(id) } });
  try {
    const timedOut = await post(`/api/v1/incidents/${id}/escalate`, { reason: '응답 지연 중 재시도' }, 'after-503');
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.error.code).toBe('UNAVAILABLE');
    expect(h.logged.splice(0).map((l) => (l as { err: Error }).err.name)).toEqual(['Unavailable']);
  } finally {
    await h.startWorker();
  }
  const retry = await post(`/api/v1/incidents/${id}/escalate`, { reason: '응답 지연 중 재시도' }, 'after-503');
  expect(retry.status).toBe(200);
  expect(retry.body.level).toBe('L2');
  const escalations = retry.body.timeline.filter((e: { type: string }) => e.type === 'escalated');
  expect(escalations).toHaveLength(1);
  expect(await events(id, 'escalated')).toEqual(escalations);
  // And a further retry answers the same.
  expect((await post(`/api/v1/incidents/${id}/escalate`, { reason: '응답 지연 중 재시도' }, 'after-503')).body).toEqual(retry.body);
});

test('a change approved twice with one key: one approval, the same answer; another body is 409', async () => {
  const inDays = (days: number, hours = 0) => new Date(Date.now() + days * 86_400_000 + hours * 3_600_000).toISOString();
  // The agent the change names is on the CTI (a change on a missing one is refused at submission).
  await h.vendors!.cti.createAgent({ loginId: 'idem.change@center1.example', name: '휴직 예정' }, { key: 'test:agent:idem-change' });
  const submitted = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: {
      type: 'agent-account',
      target: 'idem.change@center1.example',
      params: { state: 'inactive' },
      window: { start: inDays(30), end: inDays(30, 1) },
      reason: '휴직',
    },
  });
  expect(submitted.status).toBe(201);
  const id: string = submitted.body.id;

  const first = await post(`/api/v1/changes/${id}/approve`, { approver: 'customer', comment: '승인' }, 'approve-1');
  const retry = await post(`/api/v1/changes/${id}/approve`, { approver: 'customer', comment: '승인' }, 'approve-1');
  expect([first.status, retry.status]).toEqual([200, 200]);
  expect(first.body.status).toBe('SCHEDULED');
  expect(retry.body).toEqual(first.body);
  expect(first.body.approvals).toHaveLength(1);
  // Without the key the same approval is a second request, refused by the workflow.
  expect((await post(`/api/v1/changes/${id}/approve`, { approver: 'customer', comment: '승인' })).status).toBe(409);

  const otherBody = await post(`/api/v1/changes/${id}/approve`, { approver: 'customer', comment: '다시 승인' }, 'approve-1');
  expect(otherBody.status).toBe(409);
  expect(otherBody.body.error.code).toBe('CONFLICT');

  const read = await h.call('get', `/api/v1/changes/${id}`, { token: h.tokens.auditor });
  expect(read.body.approvals).toHaveLength(1);
  const cancelled = await post(`/api/v1/changes/${id}/cancel`, { reason: '테스트 종료' }, 'cancel-1');
  expect(cancelled.body.status).toBe('CANCELLED');
});

test('the OpenAPI document shows Idempotency-Key on every route that honours it', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const withHeader = (path: string) =>
    (doc.paths[path]?.post?.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key');
  for (const path of [
    '/api/v1/incidents',
    '/api/v1/incidents/{id}/escalate',
    '/api/v1/incidents/{id}/notes',
    '/api/v1/incidents/{id}/rca',
    '/api/v1/incidents/{id}/report/publish',
    '/api/v1/lines/{id}/contract',
    '/api/v1/lines/{id}/equipment-returned',
    '/api/v1/changes/{id}/approve',
    '/api/v1/inspections/{id}/approve',
    '/api/v1/qsr/{id}/proposals',
  ]) {
    expect({ path, header: withHeader(path) }).toEqual({ path, header: true });
  }
  expect(withHeader('/api/v1/contacts')).toBe(false);
});

test("one caller's key never answers for another's request: two people, one key, two escalations", async () => {
  const id = await openIncident();
  const spm = await post(`/api/v1/incidents/${id}/escalate`, { reason: '장기화' }, 'shared-key');
  const engineer = await h.call('post', `/api/v1/incidents/${id}/escalate`, {
    token: h.tokens.engineer,
    body: { reason: '장기화' },
    headers: { 'idempotency-key': 'shared-key' },
  });
  expect([spm.status, engineer.status]).toEqual([200, 200]);
  expect(engineer.body.level).toBe('L3');
  expect((await events(id, 'escalated')).map((e) => e.details?.toLevel)).toEqual(['L2', 'L3']);
});

test('a key released by a refusal is a new request next time, not the refused answer again', async () => {
  const id = await openIncident();
  // Refused: an OPEN incident cannot be resumed.
  expect((await post(`/api/v1/incidents/${id}/resume`, {}, 'reused-after-refusal')).status).toBe(409);
  expect((await post(`/api/v1/incidents/${id}/assign`, { assignee: 'lee' }, 'assign-1')).status).toBe(200);
  expect((await post(`/api/v1/incidents/${id}/start`, {}, 'start-1')).status).toBe(200);
  expect((await post(`/api/v1/incidents/${id}/pend`, { reason: 'vendor' }, 'pend-1')).status).toBe(200);
  // The same key and body, now allowed: applied.
  const resumed = await post(`/api/v1/incidents/${id}/resume`, {}, 'reused-after-refusal');
  expect(resumed.status).toBe(200);
  expect(resumed.body.status).toBe('IN_PROGRESS');
});
