import { GenesysApiError, retryAfterMs } from '../../../adapters/cti/genesys-errors';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import {
  VendorConflictError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTransientError,
  VendorValidationError,
  type VendorError,
} from '../../../adapters/vendor-errors';
import type { CtiEmulator } from '../../../emulators/cti/emulator';
import { freePort } from '../../../system/ports';
import { startTestEmulator } from '../../emulators/cti/support';

// How the adapter fails: each HTTP outcome becomes one vendor error, with status and the Genesys body as cause.
let emulator: CtiEmulator;
let cti: CtiClient;
const idem = (key: string) => ({ key });

beforeAll(async () => {
  emulator = await startTestEmulator();
  cti = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 400 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

async function failure(call: Promise<unknown>): Promise<VendorError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error('expected the call to fail');
  return err as VendorError;
}

function expectCause(err: VendorError, status: number, code: string): void {
  expect(err.vendor).toBe('cti');
  expect(err.status).toBe(status);
  expect(err.cause).toBeInstanceOf(GenesysApiError);
  expect(err.cause).toMatchObject({ status, code, contextId: expect.any(String) });
}

describe('injected faults', () => {
  it('503 → VendorTransientError (retryable) with status 503', async () => {
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users', exact: true }, failNext: { count: 1, status: 503 } });
    const err = await failure(cti.createAgent({ loginId: 'a@example.com', name: '가' }, idem('k1')));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err.retryable).toBe(true);
    expectCause(err, 503, 'service.unavailable');
    // Temporal's retry, same key: this time it acts, once.
    const agent = await cti.createAgent({ loginId: 'a@example.com', name: '가' }, idem('k1'));
    expect(emulator.requests({ idempotencyKey: 'k1' }).map((r) => r.fault ?? r.status)).toEqual(['fail', 200]);
    expect((await cti.findAgentByLogin('a@example.com'))?.id).toBe(agent.id);
  });

  it('429 with Retry-After: 3 → VendorRateLimitedError with retryAfterMs 3000', async () => {
    emulator.faults.set({ rateLimitNext: { count: 1, retryAfterSeconds: 3 } });
    const err = await failure(cti.findTeamByName('상담1팀'));
    expect(err).toBeInstanceOf(VendorRateLimitedError);
    expect((err as VendorRateLimitedError).retryAfterMs).toBe(3000);
    expectCause(err, 429, 'too.many.requests');
  });

  it('latency beyond the adapter timeout → VendorTransientError naming the timeout', async () => {
    emulator.faults.set({ route: { path: '/api/v2/routing/queues' }, latencyMs: 1_000 });
    const err = await failure(cti.findQueueByName('대표번호'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err.message).toContain('timed out after 400 ms');
    expect(err.status).toBeUndefined();
  });

  it('a timed-out create still happened; the retry finds the skill and adopts it, never creates twice', async () => {
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/routing/skills' }, latencyMs: 700 });
    expect(await failure(cti.createSkill('태국어', idem('slow')))).toBeInstanceOf(VendorTransientError);
    await new Promise((resolve) => setTimeout(resolve, 800));
    emulator.faults.reset();
    const skill = await cti.createSkill('태국어', idem('slow'));
    expect(skill).toMatchObject({ name: '태국어', adopted: true });
    // One create only: the first, handled after its client gave up.
    expect(emulator.requests({ method: 'POST', path: '/api/v2/routing/skills' })).toHaveLength(1);
    expect((await cti.findSkillByName('태국어'))?.id).toBe(skill.id);
  });

  it('a permanent failure on one route → the matching permanent error, other routes unaffected', async () => {
    emulator.faults.set({ route: { method: 'PUT', path: '/api/v2/authorization/roles' }, failAlways: { status: 400, message: 'role is locked' } });
    const agent = await cti.createAgent({ loginId: 'b@example.com', name: '나' }, idem('k2'));
    const err = await failure(cti.grantRecordingUser(agent.id, idem('k3')));
    expect(err).toBeInstanceOf(VendorValidationError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('role is locked');
    expect(await cti.listRecordingUsers()).toEqual([]);
  });
});

describe('Genesys answers', () => {
  it('404 → VendorNotFoundError; 409 → VendorConflictError; 400 → VendorValidationError', async () => {
    const missing = await failure(cti.getAgent('00000000-0000-0000-0000-000000000000'));
    expect(missing).toBeInstanceOf(VendorNotFoundError);
    expectCause(missing, 404, 'not.found');
    const agent = await cti.createAgent({ loginId: 'c@example.com', name: '라' }, idem('c'));
    emulator.faults.set({ route: { method: 'PUT', path: '/api/v2/users/' }, failAlways: { status: 409, code: 'general.conflict' } });
    const conflict = await failure(cti.setAgentSkills(agent.id, [], idem('skills')));
    expect(conflict).toBeInstanceOf(VendorConflictError);
    expectCause(conflict, 409, 'general.conflict');
    // A create refused as a duplicate whose duplicate cannot be found is a conflict too (nothing to adopt).
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/routing/skills' }, failAlways: { status: 409, code: 'general.conflict' } });
    const phantom = await failure(cti.createSkill('유령', idem('dup')));
    expect(phantom).toBeInstanceOf(VendorConflictError);
    expect(phantom.message).toContain('no such object can be found');
    emulator.faults.reset();
    const invalid = await failure(cti.createAgent({ loginId: 'not-an-email', name: '다' }, idem('bad')));
    expect(invalid).toBeInstanceOf(VendorValidationError);
    expectCause(invalid, 400, 'bad.request');
  });

  it('501 → VendorValidationError: permanent, "not implemented by the CTI"', async () => {
    emulator.faults.set({ route: { path: '/api/v2/license/definitions' }, failAlways: { status: 501, code: 'not.implemented' } });
    const err = await failure(cti.licenceUsage());
    expect(err).toBeInstanceOf(VendorValidationError);
    expect(err.message).toContain('not implemented by the CTI');
    expectCause(err, 501, 'not.implemented');
  });

  it('nothing listening → VendorTransientError carrying the network error', async () => {
    const nowhere = createGenesysCti({ baseUrl: `http://127.0.0.1:${await freePort()}`, clientId: 'x', clientSecret: 'y', timeoutMs: 1_000 });
    const err = await failure(nowhere.findSkillByName('상담'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err.message).toContain('POST /oauth/token failed');
    expect(err.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });
});

describe('OAuth token', () => {
  it('is fetched once and reused', async () => {
    const fresh = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials });
    await Promise.all([fresh.findSkillByName('상담'), fresh.findTeamByName('상담1팀'), fresh.findQueueByName('대표번호')]);
    await fresh.listRecordingUsers();
    expect(emulator.requests({ path: '/oauth/token' })).toHaveLength(1);
  });

  it('is fetched again once when the CTI answers 401', async () => {
    const fresh = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials });
    await fresh.findSkillByName('상담');
    emulator.revokeTokens();
    expect((await fresh.findSkillByName('영어'))?.name).toBe('영어');
    expect(emulator.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /oauth/token 200',
      'GET /api/v2/routing/skills 200',
      'GET /api/v2/routing/skills 401',
      'POST /oauth/token 200',
      'GET /api/v2/routing/skills 200',
    ]);
  });

  it('wrong client credentials → VendorValidationError (permanent)', async () => {
    const wrong = createGenesysCti({ baseUrl: emulator.url, clientId: emulator.credentials.clientId, clientSecret: 'wrong' });
    const err = await failure(wrong.findSkillByName('상담'));
    expect(err).toBeInstanceOf(VendorValidationError);
    expect(err.status).toBe(401);
    expect(err.cause).toMatchObject({ code: 'invalid_client' });
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sun, 01 Mar 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sat, 28 Feb 2026 23:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(1000);
  });
});
