import { fieldPaths, incidentBody, useHarness, type CallResult } from './harness';

// Bad input is the caller's fault: nothing here may reach the 500 / UNAVAILABLE log.
const h = useHarness();

async function incidentCount(): Promise<number> {
  const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM incidents');
  return rows[0].n;
}

function expectErrorShape(res: CallResult, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

describe('POST /api/v1/incidents validation', () => {
  it('an empty body → 400 VALIDATION naming every required field', async () => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: {} });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['complexity', 'description', 'severity', 'source', 'system', 'title']);
    for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
    expect(await incidentCount()).toBe(0);
  });

  it('no body at all → the same 400 (not a 500)', async () => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['complexity', 'description', 'severity', 'source', 'system', 'title']);
  });

  it('bad values are named one by one', async () => {
    const res = await h.call('post', '/api/v1/incidents', {
      token: h.tokens.engineer,
      body: incidentBody({ title: '   ', severity: 'P0', complexity: 'hard', system: 'pbx', source: 42, center: 'x'.repeat(101) }),
    });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['center', 'complexity', 'severity', 'source', 'system', 'title']);
    expect(await incidentCount()).toBe(0);
  });

  it('an unknown field → 400 naming that field', async () => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody({ priority: 'urgent' }) });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['priority']);
    expect(await incidentCount()).toBe(0);
  });

  it('malformed JSON → 400 VALIDATION, not 500', async () => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: '{"title": "교환기", ' });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(res.body.error.message).toBe('the body is not valid JSON');
    expect(fieldPaths(res.body)).toEqual(['(body)']);
  });

  it.each([
    ['a JSON array', '[]'],
    ['a JSON string', '"title"'],
    ['JSON null', 'null'],
  ])('%s as the body → 400 VALIDATION', async (_name, raw) => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: raw });
    expectErrorShape(res, 400, 'VALIDATION');
  });

  it('a body that is not JSON at all (text/plain) → 400 VALIDATION naming the missing fields', async () => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: 'title=x', headers: { 'content-type': 'text/plain' } });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toContain('title');
  });

  it('a NUL character in a text field → 400 naming it, at once; no incident (and no workflow stuck projecting it)', async () => {
    // The read model alone would not show a started-but-never-projected incident; the id sequence does.
    const sequence = async () => (await h.pool.query('SELECT last_value, is_called FROM incident_number_seq')).rows[0];
    const [before, seqBefore] = [await incidentCount(), await sequence()];
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody({ title: '교환기\u0000장애', center: '\u0000' }) });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['center', 'title']);
    expect(await incidentCount()).toBe(before);
    expect(await sequence()).toEqual(seqBefore);
  });

  it('a body over 100 kb → 413 with the error shape, and nothing is created', async () => {
    const res = await h.call('post', '/api/v1/incidents', {
      token: h.tokens.engineer,
      body: incidentBody({ description: '장애'.repeat(60_000) }),
    });
    expectErrorShape(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await incidentCount()).toBe(0);
  });

  it('an over-long Idempotency-Key is ignored (the incident opens), not a 500', async () => {
    const before = await incidentCount();
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody(), headers: { 'idempotency-key': 'k'.repeat(500) } });
    expect(res.status).toBe(201);
    expect(await incidentCount()).toBe(before + 1);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM idempotency_keys');
    expect(rows[0].n).toBe(0);
  });
});

describe('path and query validation', () => {
  it.each([
    ['get', '/api/v1/incidents/42'],
    ['get', '/api/v1/incidents/inc-000001'],
    ['get', '/api/v1/incidents/INC-1'],
    ['get', '/api/v1/incidents/INC-000001%27%20OR%201=1'],
    ['get', '/api/v1/incidents/abc/similar'],
    ['post', '/api/v1/incidents/abc/start'],
  ])('a bad incident id: %s %s → 400 naming params.id', async (method, path) => {
    const res = await h.call(method, path, { token: h.tokens.admin, body: method === 'post' ? {} : undefined });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['params.id']);
  });

  it('bad list filters are named under query.*', async () => {
    const res = await h.call('get', '/api/v1/incidents?status=open&severity=P9&system=XYZ&limit=0&offset=-1', { token: h.tokens.admin });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['query.limit', 'query.offset', 'query.severity', 'query.status', 'query.system']);
  });

  it('an offset past what PostgreSQL can count → 400 naming query.offset, not a 500', async () => {
    const res = await h.call('get', '/api/v1/incidents?offset=99999999999999999999', { token: h.tokens.admin });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['query.offset']);
  });

  it('a NUL character in a query filter → 400 naming it, not a 500', async () => {
    const res = await h.call('get', '/api/v1/incidents?center=%00', { token: h.tokens.admin });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['query.center']);
  });

  it('an unknown query parameter is named', async () => {
    const res = await h.call('get', '/api/v1/incidents?sort=desc', { token: h.tokens.admin });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['query.sort']);
  });

  it('a repeated query parameter → 400, not a 500', async () => {
    const res = await h.call('get', '/api/v1/incidents?status=OPEN&status=CLOSED', { token: h.tokens.admin });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['query.status']);
  });

  it('an unknown route under /api → 404 NOT_FOUND with the error shape', async () => {
    const res = await h.call('get', '/api/v1/nothing-here', { token: h.tokens.admin });
    expectErrorShape(res, 404, 'NOT_FOUND');
  });

  it('an unknown incident action → 404 (not a 500)', async () => {
    const res = await h.call('post', '/api/v1/incidents/INC-000001/explode', { token: h.tokens.admin, body: {} });
    expectErrorShape(res, 404, 'NOT_FOUND');
  });

  it('a bad transition body is named before Temporal is asked', async () => {
    const res = await h.call('post', '/api/v1/incidents/INC-000001/pend', { token: h.tokens.admin, body: { reason: 'lunch', extra: 1 } });
    expectErrorShape(res, 400, 'VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['extra', 'reason']);
  });
});
