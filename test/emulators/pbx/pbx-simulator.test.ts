import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createKamailioPbx, type KamailioPbx } from '../../../adapters/pbx/kamailio-pbx';
import { createKamailioRpc, KamailioRpcFault } from '../../../adapters/pbx/kamailio-rpc';
import { dialplanRuleFor, trunkFor } from '../../../adapters/pbx/line-routing';
import { VendorTransientError } from '../../../adapters/vendor-errors';
import { compileDialplan, translate, type DialplanRow } from '../../../emulators/pbx/dialplan';
import { dispatcherList, groupDispatcher } from '../../../emulators/pbx/dispatcher';
import type { PbxSimulator } from '../../../emulators/pbx/simulator';
import { startEmbeddedPbxSimulator } from '../../../runtime/embedded-pbx-simulator';
import { freePort } from '../../../system/ports';
import { dropDatabaseAndRole } from '../../support/kamailio';

/**
 * The PBX SIMULATOR driven by the REAL Kamailio adapter: the cases of
 * kamailio-pbx.test.ts and sipp-acceptance.test.ts that a simulator can
 * honour, so the same adapter is seen to behave the same against both. The
 * pure parts are checked against answers captured from Kamailio 5.6.3.
 */

const TEST_NUMBER = '0999';
const CALLER_DN = '0990';
const adminUrl = () => process.env.BUTLER_TEST_DATABASE_URL!;
const database = `pbxsim_${randomBytes(5).toString('hex')}`;
let dataDir: string;
let sim: PbxSimulator;
let pbx: KamailioPbx;
let db: Client;
const log: string[] = [];
const key = (name: string) => ({ key: `${expect.getState().currentTestName}:${name}` });
const rpc = () => createKamailioRpc(sim.rpcUrl);
const postRpc = (body: object) => fetch(sim.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const faultsUrl = () => sim.rpcUrl.replace(/\/RPC$/, '/__simulator/faults');

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'pbx-simulator-'));
  sim = await startEmbeddedPbxSimulator({
    databaseUrl: adminUrl(),
    database,
    dataDir,
    rpcPort: await freePort(),
    testLine: { number: TEST_NUMBER, callerDn: CALLER_DN },
    log: (line) => log.push(line),
  });
  pbx = createKamailioPbx({ databaseUrl: sim.databaseUrl, rpcUrl: sim.rpcUrl, domain: sim.domain });
  db = new Client({ connectionString: sim.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await pbx?.close();
  await sim?.stop();
  await dropDatabaseAndRole(adminUrl(), database);
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => sim.faults.reset());

describe('it says it is a simulator', () => {
  test('at start-up and on every response', async () => {
    expect(log[0]).toMatch(/^PBX SIMULATOR — not Kamailio\. JSON-RPC .* at http:\/\/127\.0\.0\.1:\d+\/RPC/);
    const res = await postRpc({ jsonrpc: '2.0', method: 'core.ps', id: 1 });
    expect(res.headers.get('x-butler-simulator')).toBe('pbx');
    expect(await res.json()).toEqual({ jsonrpc: '2.0', result: [process.pid, expect.stringMatching(/PBX SIMULATOR/)], id: 1 });
  });

  test('an unknown method is refused as Kamailio refuses it: HTTP 500, code 500 "Method Not Found"', async () => {
    const res = await postRpc({ jsonrpc: '2.0', method: 'no.such.method', params: [], id: 7 });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ jsonrpc: '2.0', error: { code: 500, message: 'Method Not Found' }, id: 7 });
    const err = await rpc()
      .call('no.such.method')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KamailioRpcFault);
    expect(err).toMatchObject({ method: 'no.such.method', code: 500, reason: 'Method Not Found' });
  });
});

describe('extensions and simulated line acceptance', () => {
  test('a provisioned extension registers and its test call is answered through the test line’s trunk', async () => {
    await pbx.createExtension({ dn: '2001', displayName: 'Acceptance Kim', domain: sim.domain, password: 'Zx9-2001-pw' }, key('ext'));
    const credentials = await pbx.getSipCredentials('2001');
    expect(credentials).toEqual({ username: '2001', domain: '127.0.0.1', password: 'Zx9-2001-pw' });
    expect(await pbx.translate(1, TEST_NUMBER)).toBe('ds9-0999');

    const result = await sim.acceptance.accept(credentials, TEST_NUMBER);

    expect(result).toMatchObject({ accepted: true, calledNumber: TEST_NUMBER, register: { ok: true }, call: { ok: true }, source: 'simulated' });
    expect(result.register.detail).toMatch(/^simulated REGISTER of 2001@127\.0\.0\.1: 200 OK.*no SIP was sent/);
    expect(result.call.detail).toMatch(/^simulated call to 0999 \(dial plan 1 → ds9-0999\): answered at sip:answering-point\.pbx-simulator\.invalid:5060/);
    const registration = (await pbx.registrations()).find((r) => r.dn === '2001');
    expect(registration).toMatchObject({ contact: 'sip:2001@127.0.0.1;simulated', userAgent: 'Butler line acceptance (PBX SIMULATOR)' });
    expect(Date.parse(registration!.expiresAt)).toBeGreaterThan(Date.now());
    expect((await pbx.statistics()).ports.registered).toBeGreaterThanOrEqual(1);
  });

  test('a wrong password or an unknown DN fails at registration with 401, and no call is tried', async () => {
    for (const credentials of [
      { username: '2001', domain: '127.0.0.1', password: 'wrong-password' },
      { username: '2999', domain: '127.0.0.1', password: 'whatever' },
      { username: '2001', domain: 'example.com', password: 'Zx9-2001-pw' },
    ]) {
      const result = await sim.acceptance.accept(credentials, TEST_NUMBER);
      expect(result.accepted).toBe(false);
      expect(result.register).toEqual({ ok: false, detail: expect.stringMatching(/^simulated REGISTER .*: 401 Unauthorized/) });
      expect(result.call).toEqual({ ok: false, detail: 'not run: registration failed' });
    }
  });

  test('an injected fault rejects a registration whatever the credentials', async () => {
    sim.faults.set({ rejectRegistration: true });
    const result = await sim.acceptance.accept(await pbx.getSipCredentials('2001'), TEST_NUMBER);
    expect(result.register).toEqual({ ok: false, detail: expect.stringMatching(/^simulated REGISTER .*: 403 Forbidden, an injected fault/) });
  });

  test('a number that routes nowhere: 404; a trunk set without destinations: 503', async () => {
    const credentials = await pbx.getSipCredentials('2001');
    const nowhere = await sim.acceptance.accept(credentials, '5555');
    expect(nowhere).toMatchObject({ accepted: false, register: { ok: true }, call: { ok: false } });
    expect(nowhere.call.detail).toMatch(/404 No Route, 5555 is not registered/);

    await pbx.createDialplanRule({ dpid: 1, priority: 1, match: '^7777$', substitute: '^7777$', replace: 'ds77-7777' }, key('rule'));
    const noTrunk = await sim.acceptance.accept(credentials, '7777');
    expect(noTrunk).toMatchObject({ accepted: false, register: { ok: true }, call: { ok: false } });
    expect(noTrunk.call.detail).toMatch(/503 Trunk Unavailable, dispatcher set 77 has no active destination/);
  });

  test('a PRI line, routed as line-routing.ts says, is accepted by a call from the caller account', async () => {
    const trunk = await pbx.createTrunk(trunkFor('LN-000001', '3001', { uri: 'sip:10.30.0.1:5060' }), key('trunk'));
    await pbx.createDialplanRule(dialplanRuleFor({ lineType: 'pri', dn: '3001', trunk }), key('rule'));
    expect(await pbx.translate(1, '3001')).toBe(`ds${trunk.setId}-3001`);

    const result = await sim.acceptance.accept(await pbx.getSipCredentials(CALLER_DN), '3001');
    expect(result).toMatchObject({ accepted: true, register: { ok: true }, call: { ok: true } });
    expect(result.call.detail).toContain(`answered at sip:10.30.0.1:5060 (dispatcher set ${trunk.setId})`);
  });

  test('a call reaches a registered extension, also through a DID rule; removing the extension forgets its registration', async () => {
    await pbx.createExtension({ dn: '2002', displayName: 'Desk 2002', domain: '127.0.0.1', password: 'Qw8-2002-pw' }, key('ext'));
    const caller = await pbx.getSipCredentials('2001');
    expect(await sim.acceptance.accept(caller, '2002')).toMatchObject({ accepted: false, call: { detail: expect.stringMatching(/404 No Route/) } });

    await sim.acceptance.accept(await pbx.getSipCredentials('2002'), TEST_NUMBER);
    expect(await sim.acceptance.accept(caller, '2002')).toMatchObject({ accepted: true, call: { ok: true } });
    await pbx.createDialplanRule(dialplanRuleFor({ lineType: 'did', dn: '0212342002', routeTo: '2002' }), key('did'));
    expect(await sim.acceptance.accept(caller, '0212342002')).toMatchObject({ accepted: true, call: { ok: true } });

    await pbx.removeExtension('2002', key('remove'));
    expect((await pbx.registrations()).map((r) => r.dn)).not.toContain('2002');
  });
});

describe('dial plan', () => {
  test('a rule changes what the simulator translates a number into, until it is removed', async () => {
    expect(await pbx.translate(1, '0212345678')).toBeUndefined();
    const rule = await pbx.createDialplanRule(
      { dpid: 1, priority: 10, match: '^0212345678$', substitute: '^0212345678$', replace: '1301', description: 'DID to 1301' },
      key('create'),
    );
    expect(await pbx.translate(1, '0212345678')).toBe('1301');
    expect(await pbx.listDialplanRules(1)).toContainEqual(rule);

    await pbx.updateDialplanRule(rule.id, { replace: '1302' }, key('update'));
    expect(await pbx.translate(1, '0212345678')).toBe('1302');

    await pbx.removeDialplanRule(rule.id, key('remove'));
    expect(await pbx.translate(1, '0212345678')).toBeUndefined();
    // A dial plan with no rules at all answers "Dialplan ID not matched", which the adapter also reads as no translation.
    expect(await pbx.translate(42, '123')).toBeUndefined();
  });

  test('routing follows the last reload, not the table; a reload that fails keeps the rules loaded before', async () => {
    await pbx.createDialplanRule({ dpid: 3, priority: 1, match: '^31$', substitute: '^31$', replace: '1311' }, key('loaded'));
    await db.query(
      `INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs) VALUES (3, 2, 1, '^32$', 0, '^32$', '1312', '')`,
    );
    expect(await pbx.translate(3, '32')).toBeUndefined();
    await rpc().call('dialplan.reload');
    expect(await pbx.translate(3, '32')).toBe('1312');

    await db.query(`INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs) VALUES (3, 3, 1, '^(33', 0, '^33$', '', '')`);
    await expect(rpc().call('dialplan.reload')).rejects.toMatchObject({ reason: 'Dialplan Reload Failed' });
    expect(await pbx.translate(3, '31')).toBe('1311');
    expect(log.some((line) => /dialplan row \d+ does not compile/.test(line))).toBe(true);
    await db.query(`DELETE FROM dialplan WHERE dpid = 3 AND pr = 3`);
  });
});

describe('trunks', () => {
  test('a trunk is live in dispatcher.list after create, follows an update, and is gone after remove', async () => {
    const created = await pbx.createTrunk({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1' }, key('create'));
    expect(created).toEqual({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1' });
    expect(await pbx.trunkStatus()).toContainEqual({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1', state: 'active' });

    await pbx.updateTrunk('pri-1', { uri: 'sip:10.1.2.4:5060' }, key('update'));
    expect((await pbx.trunkStatus()).find((t) => t.id === 'pri-1')).toMatchObject({ uri: 'sip:10.1.2.4:5060', state: 'active' });

    await pbx.removeTrunk('pri-1', key('remove'));
    expect((await pbx.trunkStatus()).map((t) => t.id)).not.toContain('pri-1');
  });

  test('without an id the trunk is named after its row, and that name is what dispatcher.list reports', async () => {
    const created = await pbx.createTrunk({ setId: 151, uri: 'sip:10.9.9.9:5060' }, key('create'));
    expect(created.id).toMatch(/^ds-\d+$/);
    expect((await pbx.trunkStatus()).map((t) => t.id)).toContain(created.id);
  });

  test('a second simulator on the same database loads what was provisioned at its start', async () => {
    await pbx.createTrunk({ id: 'kept', setId: 120, uri: 'sip:10.12.0.1:5060' }, key('trunk'));
    const again = await startEmbeddedPbxSimulator({ databaseUrl: adminUrl(), database, dataDir, rpcPort: 0, log: () => undefined });
    const reopened = createKamailioPbx({ databaseUrl: again.databaseUrl, rpcUrl: again.rpcUrl, domain: again.domain });
    try {
      expect(again.databaseUrl).toBe(sim.databaseUrl);
      expect(await reopened.trunkStatus()).toContainEqual(expect.objectContaining({ id: 'kept', state: 'active' }));
    } finally {
      await reopened.close();
      await again.stop();
    }
  });
});

test('phones: an address row the simulator loads (permissions.addressDump), tagged with its DN', async () => {
  await pbx.createPhone({ dn: '1201', ip: '10.20.30.40', mac: '00:11:22:33:44:55', model: 'Yealink T46U' }, key('create'));
  expect(await rpc().call('permissions.addressDump')).toEqual(
    expect.arrayContaining([expect.objectContaining({ group: 1, item: { ip: '10.20.30.40', port: 0, tag: '1201' } })]),
  );
  await pbx.removePhone('1201', key('remove'));
  expect(JSON.stringify(await rpc().call('permissions.addressDump'))).not.toContain('10.20.30.40');
});

describe('injected faults', () => {
  test('a reload that keeps failing is transient for the adapter; the retry with the same key finishes the job', async () => {
    sim.faults.set({ failRpc: { count: 2, methods: ['dispatcher.reload'] } });
    const idem = key('create');
    const err = await pbx.createTrunk({ id: 'pri-fault', setId: 170, uri: 'sip:10.7.0.1:5060' }, idem).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransientError);
    expect((err as Error).message).toMatch(/refused createTrunk:pri-fault \(Injected failure \(PBX SIMULATOR fault\)\) and still fails without it/);
    expect(sim.faults.current()).toEqual({ failRpc: { count: 0, methods: ['dispatcher.reload'] } });

    await pbx.createTrunk({ id: 'pri-fault', setId: 170, uri: 'sip:10.7.0.1:5060' }, idem);
    expect((await pbx.trunkStatus()).map((t) => t.id)).toContain('pri-fault');
  });

  test('a failing read is transient, and says why', async () => {
    sim.faults.set({ failRpc: { count: 1 } });
    const err = await pbx.trunkStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransientError);
    expect((err as Error).cause).toMatchObject({ method: 'dispatcher.list', code: 500, reason: 'Injected failure (PBX SIMULATOR fault)' });
    await expect(pbx.trunkStatus()).resolves.toEqual(expect.any(Array));
  });

  test('over HTTP: POST sets them, GET shows what is left, a malformed body is 400', async () => {
    const set = await fetch(faultsUrl(), { method: 'POST', body: JSON.stringify({ failRpc: { count: 1, code: 503, methods: ['dialplan.translate'] } }) });
    expect(set.status).toBe(200);
    const err = await pbx.translate(1, TEST_NUMBER).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransientError);
    expect((err as Error).cause).toMatchObject({ code: 503 });
    expect(await (await fetch(faultsUrl())).json()).toEqual({ failRpc: { count: 0, code: 503, methods: ['dialplan.translate'] } });
    expect((await fetch(faultsUrl(), { method: 'POST', body: JSON.stringify({ failRpc: { count: -1 } }) })).status).toBe(400);
  });
});

test('statistics: memory, the listening JSON-RPC socket and counts', async () => {
  const stats = await pbx.statistics();
  expect(stats.memory.usedBytes + stats.memory.freeBytes).toBe(stats.memory.totalBytes);
  expect(stats.ports.listening).toEqual([{ proto: 'tcp', address: '127.0.0.1', port: Number(new URL(sim.rpcUrl).port) }]);
  expect(stats.ports.extensions).toBe((await pbx.listExtensions()).length);
  expect(stats.ports.trunks).toBe((await pbx.trunkStatus()).length);
});

describe('agrees with what Kamailio 5.6.3 answered for the same rows', () => {
  const row = (id: number, r: Partial<DialplanRow>): DialplanRow => ({
    id,
    dpid: 1,
    pr: id,
    match_op: 1,
    match_exp: '',
    subst_exp: '',
    repl_exp: '',
    attrs: '',
    ...r,
  });
  const plans = compileDialplan(
    [
      row(1, { match_exp: '^77(.*)$', subst_exp: '^77(.*)$', repl_exp: 'x\\1y', attrs: 'a=b' }),
      row(2, { match_exp: '^7', subst_exp: '^7(.)', repl_exp: 'Q\\1\\1' }),
      row(3, { match_exp: '^88', subst_exp: '8', repl_exp: 'Z' }),
      row(4, { match_exp: '^66', subst_exp: '5', repl_exp: 'Z' }),
      row(5, { match_exp: '^55', subst_exp: '^55$', repl_exp: '' }),
      row(6, { match_op: 0, match_exp: '123', subst_exp: '^1(2)3$', repl_exp: 'a\\1\\0b' }),
      row(7, { match_exp: '^4', subst_exp: '^(4)(5)?', repl_exp: '[\\1][\\2]' }),
      row(8, { dpid: 3, pr: 1, match_exp: '^9', subst_exp: '^9(.*)$', repl_exp: '\\1' }),
      row(9, { dpid: 3, pr: 1, match_exp: '^99', subst_exp: '^99(.*)$', repl_exp: 'X\\1' }),
    ],
    () => undefined,
  );

  test.each([
    [1, '771401', { Output: 'x1401y', Attributes: 'a=b' }],
    [1, '7123', { Output: 'Q11', Attributes: null }],
    [1, '8888', { Output: 'Z', Attributes: null }],
    [1, '55', { Output: '', Attributes: null }],
    [1, '123', { Output: 'a2123b', Attributes: null }],
    [1, '4', { Output: '[4][]', Attributes: null }],
    [3, '9912', { Output: '912', Attributes: null }],
  ])('dialplan.translate %i %s', (dpid, input, expected) => {
    expect(translate(plans, dpid, input)).toEqual(expected);
  });

  test.each([
    [1, '6612', 'No translation'],
    [1, '1234', 'No translation'],
    [5, '123', 'Dialplan ID not matched'],
  ])('dialplan.translate %i %s fails: %s', (dpid, input, message) => {
    expect(() => translate(plans, dpid, input)).toThrow(message);
  });

  test('dispatcher.list: sets newest first, flags as letters, ATTRS only where the row has attrs', () => {
    const dest = (id: number, setid: number, destination: string, flags: number, attrs = '') => ({ id, setid, destination, flags, priority: 0, attrs });
    const sets = groupDispatcher(
      [
        dest(1, 9, 'sip:127.0.0.1:5999', 0, 'duid=test-answering-point'),
        dest(2, 150, 'sip:10.0.0.1:5060', 4),
        dest(3, 150, 'sip:10.0.0.2:5060', 2),
        dest(4, 150, 'sip:10.0.0.3:5060', 8),
        dest(5, 150, 'sip:10.0.0.4:5060', 5),
      ],
      () => undefined,
    );
    expect(dispatcherList(sets)).toEqual({
      NRSETS: 2,
      RECORDS: [
        {
          SET: {
            ID: 150,
            TARGETS: [
              { DEST: { URI: 'sip:10.0.0.4:5060', FLAGS: 'IX', PRIORITY: 0 } },
              { DEST: { URI: 'sip:10.0.0.3:5060', FLAGS: 'AP', PRIORITY: 0 } },
              { DEST: { URI: 'sip:10.0.0.2:5060', FLAGS: 'TX', PRIORITY: 0 } },
              { DEST: { URI: 'sip:10.0.0.1:5060', FLAGS: 'DX', PRIORITY: 0 } },
            ],
          },
        },
        {
          SET: {
            ID: 9,
            TARGETS: [
              {
                DEST: {
                  URI: 'sip:127.0.0.1:5999',
                  FLAGS: 'AX',
                  PRIORITY: 0,
                  ATTRS: {
                    BODY: 'duid=test-answering-point',
                    DUID: 'test-answering-point',
                    MAXLOAD: 0,
                    WEIGHT: 0,
                    RWEIGHT: 0,
                    SOCKET: null,
                    SOCKNAME: null,
                    OBPROXY: null,
                  },
                },
              },
            ],
          },
        },
      ],
    });
    expect(() => dispatcherList(new Map())).toThrow('No Destination Sets');
  });
});
