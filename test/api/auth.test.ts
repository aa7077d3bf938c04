import type { AnyRoute } from '../../api/route';
import { incidentBody, ROLES, useHarness } from './harness';
import { samplePath } from './route-samples';

const h = useHarness({ failOnLoggedErrors: false });

async function incidentCount(): Promise<number> {
  const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM incidents');
  return rows[0].n;
}

describe('authentication', () => {
  it('no token → 401 UNAUTHENTICATED', async () => {
    const res = await h.call('get', '/api/v1/incidents');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'a bearer token is required', details: null } });
  });

  it('an unknown token → 401 UNAUTHENTICATED', async () => {
    const res = await h.call('get', '/api/v1/incidents', { token: 'not-a-token-we-issued' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the token is not valid' });
  });

  it('a token in the wrong scheme (Basic) → 401', async () => {
    const res = await h.call('get', '/api/v1/incidents', { headers: { authorization: `Basic ${h.tokens.admin}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('no token on an unknown /api path is still 401, not 404 (no probing of routes)', async () => {
    const res = await h.call('get', '/api/v1/nothing-here');
    expect(res.status).toBe(401);
  });
});

describe('the auditor', () => {
  it('cannot open an incident: 403 FORBIDDEN, and nothing is created', async () => {
    const before = await incidentCount();
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.auditor, body: incidentBody(), headers: { 'idempotency-key': 'auditor-1' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { allowed: ['admin', 'spm', 'engineer', 'automation'] } });
    expect(await incidentCount()).toBe(before);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM idempotency_keys');
    expect(rows[0].n).toBe(0);
    const list = await h.call('get', '/api/v1/incidents', { token: h.tokens.admin });
    expect(list.body.total).toBe(before);
  });

  it('cannot move an existing incident, which stays as it was', async () => {
    const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody() });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const res = await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.auditor, body: { assignee: 'eng-park' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const after = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id, status: 'OPEN', assignee: null });
    expect(after.body.timeline.map((e: { type: string }) => e.type)).toEqual(['opened']);
  });

  it('can read: list, one incident, policies, holidays, contacts', async () => {
    for (const path of [
      '/api/v1/incidents',
      '/api/v1/sla-policies',
      '/api/v1/sla-policies/P1/complex',
      '/api/v1/calendar/holidays?year=2026',
      '/api/v1/contacts',
    ]) {
      const res = await h.call('get', path, { token: h.tokens.auditor });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });
});

describe('authorization matrix: every route of apiRoutes × every role', () => {
  let routes: AnyRoute[];
  beforeAll(() => {
    routes = h.routes;
  });

  it('covers the whole route table (a new route cannot escape it)', () => {
    // Ten incident actions + open, list, get, similar + sla (5) + calendar (3) + contacts (3).
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routes) expect(r.roles.every((role) => (ROLES as string[]).includes(role))).toBe(true);
  });

  it('without a token every route is 401', async () => {
    const results = [];
    for (const r of routes) {
      const res = await h.call(r.method, samplePath(r), { body: r.method === 'get' || r.method === 'delete' ? undefined : {} });
      results.push({ route: `${r.method} ${r.path}`, status: res.status, code: res.body?.error?.code });
    }
    expect(results).toEqual(routes.map((r) => ({ route: `${r.method} ${r.path}`, status: 401, code: 'UNAUTHENTICATED' })));
  });

  it('a role outside route.roles gets 403 FORBIDDEN; a role inside never gets 401 or 403', async () => {
    const incidentsBefore = await incidentCount();
    const policiesBefore = (await h.pool.query('SELECT * FROM sla_policies ORDER BY severity, complexity')).rows;
    const holidaysBefore = (await h.pool.query('SELECT date, name FROM holidays ORDER BY date')).rows;

    const mismatches: string[] = [];
    let calls = 0;
    for (const r of routes) {
      const path = samplePath(r);
      for (const role of ROLES) {
        // An empty JSON object: enough for the guard, never a valid change, so nothing moves.
        const res = await h.call(r.method, path, { token: h.tokens[role], body: r.method === 'get' || r.method === 'delete' ? undefined : {} });
        calls++;
        const allowed = r.roles.includes(role);
        const ok = allowed ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === 403 && res.body?.error?.code === 'FORBIDDEN';
        if (!ok) mismatches.push(`${role} ${r.method.toUpperCase()} ${path} → ${res.status} (${allowed ? 'allowed' : 'not allowed'})`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(routes.length * ROLES.length);

    // The probes changed nothing.
    expect(await incidentCount()).toBe(incidentsBefore);
    expect((await h.pool.query('SELECT * FROM sla_policies ORDER BY severity, complexity')).rows).toEqual(policiesBefore);
    expect((await h.pool.query('SELECT date, name FROM holidays ORDER BY date')).rows).toEqual(holidaysBefore);
  });

  it('auditors are allowed no route that changes anything: their POSTs only take evidence (a history export, an anchor of the chain) or compute (the SLA what-if)', () => {
    const writable = routes.filter((r) => r.method !== 'get' && r.path !== '/api/v1/sla/preview');
    expect(
      writable
        .filter((r) => r.roles.includes('auditor'))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([
      'post /api/v1/audit/anchors',
      'post /api/v1/audit/workflows/:workflowId/export',
      'post /api/v1/sla/what-if',
      'post /api/v1/sla/what-if/report.pdf',
    ]);
  });
});
