import { dialplanRuleFor, trunkFor } from '../../../adapters/pbx/line-routing';
import { createSippAcceptance } from '../../../adapters/pbx/sipp-acceptance';
import { startSippAnsweringPoint, type SippAnsweringPoint } from '../../../adapters/pbx/sipp-answering-point';
import { freePort } from '../../../system/ports';
import { startTestKamailio, type TestKamailio } from '../../support/kamailio';

/**
 * Line acceptance over real SIP: SIPp registers and calls through Kamailio;
 * the test number is answered by a SIPp answering point behind a trunk, as in
 * the embedded stack. Failures are checked for their SIP reason, not only for
 * having failed.
 */

const TEST_NUMBER = '0999';
const CALLER_DN = '0990';

let k: TestKamailio;
let answeringPoint: SippAnsweringPoint;
const acceptance = () => createSippAcceptance({ pbxSipAddress: k.kamailio.sipAddress, localIp: '127.0.0.1', timeoutMs: 10_000, callHoldMs: 100 });
const key = (name: string) => ({ key: `${expect.getState().currentTestName}:${name}` });

beforeAll(async () => {
  answeringPoint = await startSippAnsweringPoint({ port: await freePort() });
  k = await startTestKamailio({ testLine: { number: TEST_NUMBER, answeringPoint: answeringPoint.address, callerDn: CALLER_DN } });
  await k.pbx.createExtension({ dn: '2001', displayName: 'Acceptance Kim', domain: k.kamailio.domain, password: 'Zx9-2001-pw' }, { key: 'setup:2001' });
});

afterAll(async () => {
  await k?.stop();
  await answeringPoint?.stop();
});

test('a provisioned extension registers and its test call is answered through the trunk', async () => {
  expect(await k.pbx.translate(1, TEST_NUMBER)).toBe('ds9-0999');

  const result = await acceptance().accept(await k.pbx.getSipCredentials('2001'), TEST_NUMBER);

  expect(result).toMatchObject({ accepted: true, calledNumber: TEST_NUMBER, register: { ok: true }, call: { ok: true }, source: 'vendor' });
  expect(result.register.detail).toMatch(/200 OK/);
  // The last answer of the call is the 200 to our BYE: the dialog went all the way through.
  expect(result.call.detail).toMatch(/answered and released.*200 OK/);
  const registrations = await k.pbx.registrations();
  expect(registrations).toContainEqual(
    expect.objectContaining({ dn: '2001', contact: expect.stringMatching(/^sip:2001@127\.0\.0\.1:\d+/), userAgent: 'Butler line acceptance (SIPp)' }),
  );
  expect(Date.parse(registrations.find((r) => r.dn === '2001')!.expiresAt)).toBeGreaterThan(Date.now());
  expect((await k.pbx.statistics()).ports.registered).toBeGreaterThanOrEqual(1);
});

test('a wrong password fails at registration with 401, and no call is tried', async () => {
  const result = await acceptance().accept({ username: '2001', domain: '127.0.0.1', password: 'wrong-password' }, TEST_NUMBER);
  expect(result.accepted).toBe(false);
  expect(result.register).toEqual({ ok: false, detail: expect.stringMatching(/last response 401 Unauthorized; SIPp exit code 1; .*expecting '200'/) });
  expect(result.call).toEqual({ ok: false, detail: 'not run: registration failed' });
});

test('an unknown DN fails at registration with 401', async () => {
  const result = await acceptance().accept({ username: '2999', domain: '127.0.0.1', password: 'whatever' }, TEST_NUMBER);
  expect(result).toMatchObject({ accepted: false, register: { ok: false, detail: expect.stringMatching(/401 Unauthorized/) }, call: { ok: false } });
});

test('a number that routes nowhere fails the call with 404 after a good registration', async () => {
  const result = await acceptance().accept(await k.pbx.getSipCredentials('2001'), '5555');
  expect(result).toMatchObject({ accepted: false, register: { ok: true }, call: { ok: false } });
  expect(result.call.detail).toMatch(/last response 404 No Route/);
});

test('a route to a trunk set without destinations fails the call with 503', async () => {
  await k.pbx.createDialplanRule({ dpid: 1, priority: 1, match: '^7777$', substitute: '^7777$', replace: 'ds77-7777' }, key('rule'));
  const result = await acceptance().accept(await k.pbx.getSipCredentials('2001'), '7777');
  expect(result).toMatchObject({ accepted: false, register: { ok: true }, call: { ok: false } });
  expect(result.call.detail).toMatch(/last response 503 Trunk Unavailable/);
});

test('a PRI line, routed as line-routing.ts says, is accepted by a call from the caller account', async () => {
  // The PRI's carrier side is the answering point, standing in for the carrier's gateway.
  const trunk = await k.pbx.createTrunk(trunkFor('LN-000001', '3001', { uri: `sip:${answeringPoint.address}` }), key('trunk'));
  await k.pbx.createDialplanRule(dialplanRuleFor({ lineType: 'pri', dn: '3001', trunk }), key('rule'));
  expect(await k.pbx.translate(1, '3001')).toBe(`ds${trunk.setId}-3001`);

  const result = await acceptance().accept(await k.pbx.getSipCredentials(CALLER_DN), '3001');
  expect(result).toMatchObject({ accepted: true, register: { ok: true }, call: { ok: true } });
});

test('a call to a registered extension goes where it registered, also through a DID rule', async () => {
  await k.pbx.createExtension({ dn: '2002', displayName: 'Desk 2002', domain: '127.0.0.1', password: 'Qw8-2002-pw' }, key('ext'));
  const desk = await startSippAnsweringPoint({
    port: await freePort(),
    registerAs: { username: '2002', password: 'Qw8-2002-pw', domain: '127.0.0.1', pbxSipAddress: k.kamailio.sipAddress },
  });
  try {
    const credentials = await k.pbx.getSipCredentials('2001');
    expect(await acceptance().accept(credentials, '2002')).toMatchObject({ accepted: true, call: { ok: true } });

    await k.pbx.createDialplanRule(dialplanRuleFor({ lineType: 'did', dn: '0212342002', routeTo: '2002' }), key('did'));
    expect(await acceptance().accept(credentials, '0212342002')).toMatchObject({ accepted: true, call: { ok: true } });

    await desk.stop();
    // Registered but gone: Kamailio's transaction times out (408) or the port is unreachable.
    const unanswered = await acceptance().accept(credentials, '2002');
    expect(unanswered).toMatchObject({ accepted: false, register: { ok: true }, call: { ok: false } });
    expect(unanswered.call.detail).toMatch(/last response (408|5\d\d) /);
  } finally {
    await desk.stop();
  }
});

test('a password SIPp cannot carry is reported, not sent half-way', async () => {
  const result = await acceptance().accept({ username: '2001', domain: '127.0.0.1', password: 'a;b' }, TEST_NUMBER);
  expect(result).toEqual({
    accepted: false,
    calledNumber: TEST_NUMBER,
    source: 'vendor',
    register: { ok: false, detail: expect.stringMatching(/^not run: the password contains/) },
    call: { ok: false, detail: expect.stringMatching(/^not run: /) },
  });
});
