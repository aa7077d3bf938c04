import type { CtiEmulator } from '../../../emulators/cti/emulator';
import { caller, expectGenesysError, fetchToken, startTestEmulator, type CallResult } from './support';

// The emulator's protocol: tokens, paging, errors, idempotency, faults, request log.
let emulator: CtiEmulator;
let token: string;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  token = await fetchToken(emulator);
  call = caller(emulator, () => token);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const newUser = (n: number) => ({ name: `상담원 ${String(n).padStart(2, '0')}`, email: `agent${n}@example.com` });

describe('OAuth client credentials', () => {
  it('issues a bearer token for Basic credentials and for form credentials', async () => {
    const { clientId, clientSecret } = emulator.credentials;
    const res = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86_400 });
  });

  it('refuses a wrong secret with the OAuth error shape', async () => {
    const res = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${emulator.credentials.clientId}:wrong`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('every /api/v2 call without a bearer token → 401 authentication.required', async () => {
    expectGenesysError(await call('GET', '/api/v2/users', { token: null }), 401, 'authentication.required');
    expectGenesysError(await call('POST', '/api/v2/routing/skills', { token: null, body: { name: 'x' } }), 401, 'authentication.required');
  });

  it('an unknown or revoked token → 401 bad.credentials', async () => {
    expectGenesysError(await call('GET', '/api/v2/users', { token: 'not-a-token' }), 401, 'bad.credentials');
    const own = await fetchToken(emulator);
    emulator.revokeTokens();
    expectGenesysError(await call('GET', '/api/v2/users', { token: own }), 401, 'bad.credentials');
    token = await fetchToken(emulator);
  });
});

describe('paging', () => {
  it('pages by number with Genesys listing fields, and nextUri walks every page', async () => {
    for (let n = 1; n <= 23; n += 1) expect((await call('POST', '/api/v2/users', { body: newUser(n) })).status).toBe(200);
    const second = await call('GET', '/api/v2/users?pageSize=10&pageNumber=2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ pageSize: 10, pageNumber: 2, total: 23, pageCount: 3 });
    expect(second.body.entities).toHaveLength(10);
    expect(second.body.nextUri).toBe('/api/v2/users?pageSize=10&pageNumber=3');
    expect(second.body.previousUri).toBe('/api/v2/users?pageSize=10&pageNumber=1');

    const seen: string[] = [];
    for (let uri: string | undefined = '/api/v2/users?pageSize=10'; uri;) {
      const page: CallResult = await call('GET', uri);
      seen.push(...page.body.entities.map((u: { name: string }) => u.name));
      uri = page.body.nextUri;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => newUser(i + 1).name));
  });

  it('pages teams by cursor: nextUri carries `after`, no totals', async () => {
    const first = await call('GET', '/api/v2/teams?pageSize=1');
    expect(first.body.entities.map((t: { name: string }) => t.name)).toEqual(['상담1팀']);
    expect(first.body.total).toBeUndefined();
    const second = await call('GET', first.body.nextUri);
    expect(second.body.entities.map((t: { name: string }) => t.name)).toEqual(['상담2팀']);
    expect(second.body.nextUri).toBeUndefined();
  });

  it('a page size out of range → 400 naming the parameter', async () => {
    const res = await call('GET', '/api/v2/users?pageSize=0');
    expectGenesysError(res, 400, 'bad.request');
    expect(res.body.details).toEqual([expect.objectContaining({ fieldName: 'pageSize' })]);
  });
});

describe('errors', () => {
  it('a route the emulator does not serve → 501 not.implemented, also for a known path with another method', async () => {
    expectGenesysError(await call('GET', '/api/v2/conversations'), 501, 'not.implemented');
    const team = (await call('GET', '/api/v2/teams?name=상담1팀')).body.entities[0];
    const res = await call('PATCH', `/api/v2/teams/${team.id}`, { body: { name: '상담3팀' } });
    expectGenesysError(res, 501, 'not.implemented');
    expect(res.body.message).toContain(`PATCH /api/v2/teams/${team.id}`);
  });

  it('a missing entity or parent → 404 not.found', async () => {
    expectGenesysError(await call('GET', '/api/v2/users/00000000-0000-0000-0000-000000000000'), 404, 'not.found');
    expectGenesysError(await call('GET', '/api/v2/teams/nope/members'), 404, 'not.found');
    expectGenesysError(await call('POST', '/api/v2/routing/queues/nope/members', { body: [{ id: 'x' }] }), 404, 'not.found');
  });

  it('a duplicate name → 409 general.conflict', async () => {
    expect((await call('POST', '/api/v2/users', { body: newUser(1) })).status).toBe(200);
    expectGenesysError(await call('POST', '/api/v2/users', { body: { ...newUser(1), email: 'AGENT1@example.com' } }), 409, 'general.conflict');
    expectGenesysError(await call('POST', '/api/v2/routing/skills', { body: { name: '상담' } }), 409, 'general.conflict');
  });

  it('deleting what is still referenced → 409', async () => {
    const user = (await call('POST', '/api/v2/users', { body: newUser(1) })).body;
    const skill = (await call('GET', '/api/v2/routing/skills?name=VIP')).body.entities[0];
    await call('PUT', `/api/v2/users/${user.id}/routingskills/bulk`, { body: [{ id: skill.id, proficiency: 3 }] });
    const res = await call('DELETE', `/api/v2/routing/skills/${skill.id}`);
    expectGenesysError(res, 409, 'general.conflict');
    expect(res.body.message).toContain('still assigned');
  });

  it('a bad body → 400 bad.request naming each field; malformed JSON → 400', async () => {
    const res = await call('POST', '/api/v2/users', { body: { email: 'not-an-email' } });
    expectGenesysError(res, 400, 'bad.request');
    expect(res.body.details.map((d: { fieldName: string }) => d.fieldName).sort()).toEqual(['email', 'name']);
    expectGenesysError(await call('POST', '/api/v2/users', { rawBody: '{"name": ' }), 400, 'bad.request');
  });
});

describe('no idempotency keys by default, as on Genesys', () => {
  it('a repeated create with the same Idempotency-Key is not replayed: the duplicate e-mail is a 409', async () => {
    const first = await call('POST', '/api/v2/users', { body: newUser(7), idempotencyKey: 'LN-1:create-agent' });
    expect(first.status).toBe(200);
    expectGenesysError(await call('POST', '/api/v2/users', { body: newUser(7), idempotencyKey: 'LN-1:create-agent' }), 409, 'general.conflict');
    expectGenesysError(await call('POST', '/api/v2/teams', { body: { name: '상담1팀' }, idempotencyKey: 'LN-1:team' }), 409, 'general.conflict');
    expect((await call('GET', '/api/v2/users')).body.total).toBe(1);
  });
});

describe('loseResponseNext: the request acts, the answer is lost', () => {
  it('the user is created, the client gets no answer (connection reset), the log keeps what was answered', async () => {
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users' }, loseResponseNext: { count: 1 } });
    const lost = await fetch(`${emulator.url}/api/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(newUser(3)),
    }).then(
      () => 'answered',
      (err: unknown) => `failed: ${String(err)}`,
    );
    expect(lost).toMatch(/^failed/);
    const users = (await call('GET', '/api/v2/users')).body.entities.map((u: { email: string }) => u.email);
    expect(users).toEqual(['agent3@example.com']);
    expect(emulator.requests({ method: 'POST', path: '/api/v2/users' }).map((r) => [r.fault, r.status])).toEqual([['lose-response', 200]]);
    // Spent: the retry is answered, and it is the 409 of a taken e-mail.
    expectGenesysError(await call('POST', '/api/v2/users', { body: newUser(3) }), 409, 'general.conflict');
    expect((await call('GET', '/__emulator/faults', { token: null })).body.rules).toEqual([
      { route: { method: 'POST', path: '/api/v2/users' }, loseResponseNext: { count: 0 } },
    ]);
  });
});

describe('Idempotency-Key (opt-in: idempotencyKeys: true)', () => {
  let keyed: CtiEmulator;
  let call: ReturnType<typeof caller>;
  let emulator: CtiEmulator;
  beforeAll(async () => {
    keyed = await startTestEmulator({ idempotencyKeys: true });
    const keyedToken = await fetchToken(keyed);
    call = caller(keyed, () => keyedToken);
    emulator = keyed;
  });
  afterAll(() => keyed.stop());
  beforeEach(() => keyed.reset());

  it('the same key replays the first response without acting again', async () => {
    const first = await call('POST', '/api/v2/users', { body: newUser(7), idempotencyKey: 'LN-1:create-agent' });
    const again = await call('POST', '/api/v2/users', { body: newUser(7), idempotencyKey: 'LN-1:create-agent' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call('GET', '/api/v2/users')).body.total).toBe(1);
    const logged = emulator.requests({ idempotencyKey: 'LN-1:create-agent' });
    expect(logged.map((r) => [r.method, r.status, r.replayed ?? false])).toEqual([
      ['POST', 200, false],
      ['POST', 200, true],
    ]);
  });

  it('the same key on a different request → 422 idempotency.key.reused', async () => {
    await call('POST', '/api/v2/users', { body: newUser(1), idempotencyKey: 'k' });
    expectGenesysError(await call('POST', '/api/v2/users', { body: newUser(2), idempotencyKey: 'k' }), 422, 'idempotency.key.reused');
    expectGenesysError(await call('POST', '/api/v2/routing/skills', { body: { name: '중국어' }, idempotencyKey: 'k' }), 422, 'idempotency.key.reused');
  });

  it('a failed request is not stored: its retry acts', async () => {
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users' }, failNext: { count: 1, status: 503 } });
    expectGenesysError(await call('POST', '/api/v2/users', { body: newUser(1), idempotencyKey: 'k2' }), 503, 'service.unavailable');
    const retry = await call('POST', '/api/v2/users', { body: newUser(1), idempotencyKey: 'k2' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(emulator.requests({ idempotencyKey: 'k2' }).map((r) => r.fault ?? r.status)).toEqual(['fail', 200]);
  });
});

describe('fault injection over HTTP', () => {
  it('rateLimitNext → 429 with Retry-After, once, and the rule shows what is left', async () => {
    const set = await call('POST', '/__emulator/faults', { token: null, body: { rateLimitNext: { count: 1, retryAfterSeconds: 3 } } });
    expect(set.status).toBe(200);
    const limited = await call('GET', '/api/v2/routing/skills');
    expectGenesysError(limited, 429, 'too.many.requests');
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call('GET', '/api/v2/routing/skills')).status).toBe(200);
    expect((await call('GET', '/__emulator/faults', { token: null })).body.rules).toEqual([{ rateLimitNext: { count: 0, retryAfterSeconds: 3 } }]);
  });

  it('a route filter makes exactly one endpoint fail, failAlways keeps failing until reset', async () => {
    await call('POST', '/__emulator/faults', {
      token: null,
      body: [{ route: { method: 'post', path: '/api/v2/routing/skills' }, failAlways: { status: 404 } }],
    });
    expect((await call('GET', '/api/v2/routing/skills')).status).toBe(200);
    expectGenesysError(await call('POST', '/api/v2/routing/skills', { body: { name: '일본어' } }), 404, 'not.found');
    expectGenesysError(await call('POST', '/api/v2/routing/skills', { body: { name: '일본어' } }), 404, 'not.found');
    expect((await call('DELETE', '/__emulator/faults', { token: null })).status).toBe(204);
    expect((await call('POST', '/api/v2/routing/skills', { body: { name: '일본어' } })).status).toBe(200);
  });

  it('latency delays the answer and is logged', async () => {
    emulator.faults.set({ route: { path: '/api/v2/teams' }, latencyMs: 300 });
    const started = Date.now();
    expect((await call('GET', '/api/v2/teams')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests({ path: '/api/v2/teams' }).at(-1)?.delayedMs).toBe(300);
  });

  it('rules given at start are in force from the first /api/v2 request; the token endpoint is spared', async () => {
    const faulty = await startTestEmulator({ faults: { failAlways: { status: 503 } } });
    try {
      const own = await fetchToken(faulty);
      expectGenesysError(await caller(faulty, () => own)('GET', '/api/v2/users'), 503, 'service.unavailable');
    } finally {
      await faulty.stop();
    }
  });

  it('a bad rule → 400 and nothing changes', async () => {
    const res = await call('POST', '/__emulator/faults', { token: null, body: { failNext: { count: 1, status: 200 } } });
    expectGenesysError(res, 400, 'bad.request');
    expect(emulator.faults.current()).toEqual([]);
  });

  it('the request log is readable over HTTP, filtered', async () => {
    await call('GET', '/api/v2/teams');
    await call('GET', '/api/v2/routing/queues');
    const res = await call('GET', '/__emulator/requests?path=/api/v2/teams', { token: null });
    expect(res.body.total).toBe(1);
    expect(res.body.requests[0]).toMatchObject({ method: 'GET', path: '/api/v2/teams', status: 200 });
  });
});
