import { Client } from 'pg';
import { createKamailioPbx } from '../../../adapters/pbx/kamailio-pbx';
import { createKamailioRpc } from '../../../adapters/pbx/kamailio-rpc';
import { VendorConflictError, VendorNotFoundError, VendorTransientError, VendorValidationError } from '../../../adapters/vendor-errors';
import { freePort } from '../../../system/ports';
import { startTestKamailio, type TestKamailio } from '../../support/kamailio';

/**
 * The Kamailio adapter against a real Kamailio: every change is read back
 * through Kamailio's own view of it (RPC dumps, translate, dispatcher.list),
 * not only through the tables the adapter wrote.
 */

let k: TestKamailio;
let db: Client;
const key = (name: string) => ({ key: `${expect.getState().currentTestName}:${name}` });

beforeAll(async () => {
  k = await startTestKamailio();
  db = new Client({ connectionString: k.kamailio.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await k?.stop();
});

const rpc = () => createKamailioRpc(k.kamailio.rpcUrl);
const count = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`, params)).rows[0]!.n;

describe('extensions', () => {
  test('create, read, rename, move to a new DN and remove', async () => {
    const ext = { dn: '1001', displayName: 'Kim Agent', domain: k.kamailio.domain, password: 'pw-1001-secret' };
    expect(await k.pbx.createExtension(ext, key('create'))).toEqual({ dn: '1001', displayName: 'Kim Agent', domain: '127.0.0.1' });
    expect(await k.pbx.getExtension('1001')).toEqual({ dn: '1001', displayName: 'Kim Agent', domain: '127.0.0.1' });
    expect(await k.pbx.getSipCredentials('1001')).toEqual({ username: '1001', domain: '127.0.0.1', password: 'pw-1001-secret' });

    await k.pbx.updateExtension('1001', { displayName: 'Kim Supervisor', newDn: '1002' }, key('move'));
    expect(await k.pbx.getExtension('1001')).toBeUndefined();
    expect(await k.pbx.getExtension('1002')).toEqual({ dn: '1002', displayName: 'Kim Supervisor', domain: '127.0.0.1' });
    expect((await k.pbx.listExtensions()).map((e) => e.dn)).toContain('1002');

    await k.pbx.removeExtension('1002', key('remove'));
    expect(await k.pbx.getExtension('1002')).toBeUndefined();
    expect(await count('FROM subscriber WHERE username = $1', ['1002'])).toBe(0);
  });

  test('creating what already exists identically succeeds; with other settings it conflicts', async () => {
    const ext = { dn: '1101', displayName: 'Lee', domain: '127.0.0.1', password: 'secret-1101' };
    await k.pbx.createExtension(ext, key('first'));
    await expect(k.pbx.createExtension(ext, key('again'))).resolves.toEqual({ dn: '1101', displayName: 'Lee', domain: '127.0.0.1' });
    await expect(k.pbx.createExtension({ ...ext, password: 'other' }, key('other'))).rejects.toBeInstanceOf(VendorConflictError);
    await k.pbx.createExtension({ ...ext, dn: '1102' }, key('second'));
    await expect(k.pbx.updateExtension('1101', { newDn: '1102' }, key('move-onto'))).rejects.toBeInstanceOf(VendorConflictError);
  });
});

describe('phones', () => {
  test('a phone is an address row Kamailio loads (permissions.addressDump), tagged with its DN', async () => {
    await k.pbx.createPhone({ dn: '1201', ip: '10.20.30.40', mac: '00:11:22:33:44:55', model: 'Yealink T46U' }, key('create'));
    expect(await k.pbx.getPhone('1201')).toEqual({ dn: '1201', ip: '10.20.30.40', mac: '00:11:22:33:44:55', model: 'Yealink T46U' });
    expect(await rpc().call('permissions.addressDump')).toEqual(
      expect.arrayContaining([expect.objectContaining({ group: 1, item: expect.objectContaining({ ip: '10.20.30.40', tag: '1201' }) })]),
    );

    await k.pbx.updatePhone('1201', { ip: '10.20.30.41' }, key('update'));
    const dump = JSON.stringify(await rpc().call('permissions.addressDump'));
    expect(dump).toContain('10.20.30.41');
    expect(dump).not.toContain('10.20.30.40');

    await k.pbx.removePhone('1201', key('remove'));
    expect(await k.pbx.getPhone('1201')).toBeUndefined();
    expect(JSON.stringify(await rpc().call('permissions.addressDump'))).not.toContain('10.20.30.41');
  });

  test('the phone at an IP is found whichever DN it serves; a free IP finds none', async () => {
    await k.pbx.createPhone({ dn: '1202', ip: '10.20.31.1', model: 'IP-450S' }, key('by-ip'));
    expect(await k.pbx.findPhoneByIp('10.20.31.1')).toEqual({ dn: '1202', ip: '10.20.31.1', model: 'IP-450S' });
    expect(await k.pbx.findPhoneByIp('10.20.31.2')).toBeUndefined();
    await k.pbx.removePhone('1202', key('by-ip-remove'));
    expect(await k.pbx.findPhoneByIp('10.20.31.1')).toBeUndefined();
  });
});

describe('trunks', () => {
  test('a trunk is live in dispatcher.list after create, follows an update, and is gone after remove', async () => {
    const created = await k.pbx.createTrunk({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1' }, key('create'));
    expect(created).toEqual({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1' });
    expect(await k.pbx.trunkStatus()).toContainEqual({ id: 'pri-1', setId: 150, uri: 'sip:10.1.2.3:5060', description: 'KT PRI 1', state: 'active' });

    await k.pbx.updateTrunk('pri-1', { uri: 'sip:10.1.2.4:5060' }, key('update'));
    expect(await k.pbx.getTrunk('pri-1')).toMatchObject({ uri: 'sip:10.1.2.4:5060' });
    expect((await k.pbx.trunkStatus()).find((t) => t.id === 'pri-1')).toMatchObject({ uri: 'sip:10.1.2.4:5060', state: 'active' });

    await k.pbx.removeTrunk('pri-1', key('remove'));
    expect(await k.pbx.getTrunk('pri-1')).toBeUndefined();
    expect((await k.pbx.trunkStatus()).map((t) => t.id)).not.toContain('pri-1');
  });

  test('without an id the trunk is named after its row, and that name is what dispatcher.list reports', async () => {
    const created = await k.pbx.createTrunk({ setId: 151, uri: 'sip:10.9.9.9:5060' }, key('create'));
    expect(created.id).toMatch(/^ds-\d+$/);
    expect((await k.pbx.trunkStatus()).map((t) => t.id)).toContain(created.id);
  });
});

describe('dial plan', () => {
  test('a rule changes what Kamailio translates a number into, until it is removed', async () => {
    expect(await k.pbx.translate(1, '0212345678')).toBeUndefined();
    const rule = await k.pbx.createDialplanRule(
      { dpid: 1, priority: 10, match: '^0212345678$', substitute: '^0212345678$', replace: '1301', description: 'DID to 1301' },
      key('create'),
    );
    expect(await k.pbx.translate(1, '0212345678')).toBe('1301');
    expect(await k.pbx.listDialplanRules(1)).toContainEqual(rule);

    await k.pbx.updateDialplanRule(rule.id, { replace: '1302' }, key('update'));
    expect(await k.pbx.translate(1, '0212345678')).toBe('1302');

    await k.pbx.removeDialplanRule(rule.id, key('remove'));
    expect(await k.pbx.getDialplanRule(rule.id)).toBeUndefined();
    expect(await k.pbx.translate(1, '0212345678')).toBeUndefined();
  });

  test('a rule Kamailio cannot compile is undone, and later changes still load', async () => {
    // Variable-length lookbehind: JavaScript accepts it, Kamailio's PCRE does not.
    const bad = { id: 'lookbehind', dpid: 1, priority: 5, match: '(?<=1+)2$', substitute: '^(.*)$', replace: '\\1' };
    const err = await k.pbx.createDialplanRule(bad, key('bad')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorValidationError);
    expect((err as Error).message).toMatch(/Dialplan Reload Failed.*undone/);
    expect(await k.pbx.getDialplanRule('lookbehind')).toBeUndefined();
    expect(await count('FROM butler_pbx_request WHERE idem_key = $1', [key('bad').key])).toBe(0);

    await k.pbx.createDialplanRule({ dpid: 1, priority: 6, match: '^77(.*)$', substitute: '^77(.*)$', replace: '\\1' }, key('good'));
    expect(await k.pbx.translate(1, '771401')).toBe('1401');
  });

  test('two changes in quick succession both load although Kamailio rate-limits reloads', async () => {
    const limited = await startTestKamailio({ reloadDeltaSeconds: 2 });
    try {
      await limited.pbx.createDialplanRule({ dpid: 2, priority: 1, match: '^81$', substitute: '^81$', replace: '1801' }, key('one'));
      await limited.pbx.createDialplanRule({ dpid: 2, priority: 2, match: '^82$', substitute: '^82$', replace: '1802' }, key('two'));
      expect(await limited.pbx.translate(2, '81')).toBe('1801');
      expect(await limited.pbx.translate(2, '82')).toBe('1802');
    } finally {
      await limited.stop();
    }
  });
});

describe('concurrent changes', () => {
  test('many rule, trunk and phone changes at once: every one loads and Kamailio stays up (overlapping reloads crash it)', async () => {
    const pid = async () => ((await rpc().call('core.ps')) as number[])[0];
    const before = await pid();
    // Rounds of changes in parallel over a dial plan of a realistic size; each change reloads its table.
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, j) => {
          const i = round * 30 + j;
          return Promise.all([
            k.pbx.createDialplanRule({ dpid: 7, priority: 10, match: `^77${i}$`, substitute: `^77${i}$`, replace: `88${i}` }, key(`rule-${i}`)),
            k.pbx.createTrunk({ id: `burst-${i}`, setId: 700 + i, uri: `sip:10.7.0.${(i % 250) + 1}:5060` }, key(`trunk-${i}`)),
            k.pbx.createPhone({ dn: `77${i}`, ip: `10.7.${Math.floor(i / 250) + 1}.${(i % 250) + 1}` }, key(`phone-${i}`)),
          ]);
        }),
      );
    }
    for (const i of [0, 59, 119]) expect(await k.pbx.translate(7, `77${i}`)).toBe(`88${i}`);
    expect((await k.pbx.trunkStatus()).filter((t) => t.id.startsWith('burst-'))).toHaveLength(120);
    // The same Kamailio process answers: it did not die.
    expect(await pid()).toBe(before);
  });
});

describe('idempotency', () => {
  test('the same key twice acts once and returns the same result', async () => {
    const idem = key('trunk');
    const first = await k.pbx.createTrunk({ setId: 160, uri: 'sip:10.6.0.1:5060' }, idem);
    const second = await k.pbx.createTrunk({ setId: 160, uri: 'sip:10.6.0.1:5060' }, idem);
    expect(second).toEqual(first);
    expect(await count('FROM dispatcher WHERE setid = $1', [160])).toBe(1);

    await k.pbx.removeTrunk(first.id, key('remove'));
    // A repeated removal is the first removal's result, not "not found".
    await expect(k.pbx.removeTrunk(first.id, key('remove'))).resolves.toBeUndefined();
  });

  test('a key reused for another operation is a conflict, and nothing is done', async () => {
    const idem = key('shared');
    await k.pbx.createExtension({ dn: '1501', displayName: 'Park', domain: '127.0.0.1', password: 'pw-1501' }, idem);
    const err = await k.pbx.createExtension({ dn: '1502', displayName: 'Choi', domain: '127.0.0.1', password: 'pw-1502' }, idem).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorConflictError);
    expect((err as Error).message).toMatch(/createExtension:1501/);
    expect(await k.pbx.getExtension('1502')).toBeUndefined();
  });
});

describe('typed errors', () => {
  test('not found', async () => {
    await expect(k.pbx.updateExtension('1999', { displayName: 'x' }, key('a'))).rejects.toBeInstanceOf(VendorNotFoundError);
    await expect(k.pbx.getSipCredentials('1999')).rejects.toBeInstanceOf(VendorNotFoundError);
    await expect(k.pbx.removeTrunk('no-such-trunk', key('b'))).rejects.toBeInstanceOf(VendorNotFoundError);
    await expect(k.pbx.updatePhone('1999', { ip: '10.0.0.1' }, key('c'))).rejects.toBeInstanceOf(VendorNotFoundError);
    await expect(k.pbx.removeDialplanRule('no-such-rule', key('d'))).rejects.toBeInstanceOf(VendorNotFoundError);
  });

  test.each([
    ['a DN that is not digits', () => k.pbx.createExtension({ dn: '10a1', displayName: 'x', domain: '127.0.0.1', password: 'pw' }, key('dn')), /2–15 digits/],
    [
      'another SIP domain',
      () => k.pbx.createExtension({ dn: '1601', displayName: 'x', domain: 'example.com', password: 'pw' }, key('domain')),
      /serves domain/,
    ],
    ['a bad IP', () => k.pbx.createPhone({ dn: '1601', ip: '999.1.1.1' }, key('ip')), /not an IP address/],
    ['a bad SIP URI', () => k.pbx.createTrunk({ setId: 1, uri: 'http://x' }, key('uri')), /not a SIP URI/],
    [
      'a bad regular expression',
      () => k.pbx.createDialplanRule({ dpid: 1, priority: 1, match: '^(12', substitute: '^(.*)$', replace: '\\1' }, key('re')),
      /not a valid regular expression/,
    ],
    [
      'a replacement group the substitution lacks',
      () => k.pbx.createDialplanRule({ dpid: 1, priority: 1, match: '^1', substitute: '^(.*)$', replace: '\\2' }, key('group')),
      /\\2/,
    ],
    ['an empty idempotency key', () => k.pbx.removePhone('1601', { key: '' }), /idempotency key/],
  ])('validation: %s', async (_what, call, message) => {
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorValidationError);
    expect((err as Error).message).toMatch(message);
  });

  test('transient when Kamailio’s RPC port is down; the retry with the same key finishes the job', async () => {
    const deadRpc = `http://127.0.0.1:${await freePort()}/RPC`;
    const cut = createKamailioPbx({ databaseUrl: k.kamailio.databaseUrl, rpcUrl: deadRpc, domain: '127.0.0.1' });
    try {
      await expect(cut.trunkStatus()).rejects.toBeInstanceOf(VendorTransientError);
      await expect(cut.translate(1, '123')).rejects.toBeInstanceOf(VendorTransientError);
      const idem = key('create');
      const err = await cut.createTrunk({ id: 'pri-cut', setId: 170, uri: 'sip:10.7.0.1:5060' }, idem).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VendorTransientError);
      expect((err as Error).cause).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
      // Written but not yet live: the retry reloads instead of writing again.
      expect((await k.pbx.trunkStatus()).map((t) => t.id)).not.toContain('pri-cut');
      await k.pbx.createTrunk({ id: 'pri-cut', setId: 170, uri: 'sip:10.7.0.1:5060' }, idem);
      expect((await k.pbx.trunkStatus()).map((t) => t.id)).toContain('pri-cut');
      expect(await count('FROM dispatcher WHERE setid = $1', [170])).toBe(1);
    } finally {
      await cut.close();
    }
  });

  test('transient when PostgreSQL is not there', async () => {
    const url = new URL(k.kamailio.databaseUrl);
    url.port = String(await freePort());
    const cut = createKamailioPbx({ databaseUrl: url.toString(), rpcUrl: k.kamailio.rpcUrl, domain: '127.0.0.1' });
    try {
      const err = await cut.getExtension('1001').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VendorTransientError);
      expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await cut.close();
    }
  });
});

test('statistics: memory, listening sockets and counts, as Kamailio reports them', async () => {
  const stats = await k.pbx.statistics();
  expect(stats.memory.totalBytes).toBe(64 * 1024 * 1024);
  expect(stats.memory.usedBytes + stats.memory.freeBytes).toBe(stats.memory.totalBytes);
  const [host, port] = k.kamailio.sipAddress.split(':');
  expect(stats.ports.listening).toContainEqual({ proto: 'udp', address: host, port: Number(port) });
  expect(stats.ports.listening).toContainEqual({ proto: 'tcp', address: host, port: Number(new URL(k.kamailio.rpcUrl).port) });
  expect(stats.ports.extensions).toBe((await k.pbx.listExtensions()).length);
  expect(stats.ports.trunks).toBe((await k.pbx.trunkStatus()).length);
  expect(stats.ports.registered).toBe(0);
});
