import { ApplicationFailure } from '@temporalio/common';
import { Client } from 'pg';
import { createChangeActivities } from '../../../activities/changes';
import type { ChangeHandlerDeps } from '../../../activities/changes/handler';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import { acceptancePlan, dialplanRuleFor } from '../../../adapters/pbx/line-routing';
import { createSippAcceptance } from '../../../adapters/pbx/sipp-acceptance';
import { startSippAnsweringPoint, type SippAnsweringPoint } from '../../../adapters/pbx/sipp-answering-point';
import { deleteHoliday, listHolidays, putHoliday } from '../../../db/holidays.repo';
import { seedDefaults } from '../../../db/seed';
import { seedLines } from '../../../db/line-seed';
import { listTrunkCapacities, saveTrunkCapacity } from '../../../db/trunks.repo';
import type { ChangeRequest, Verification } from '../../../domain/change/contracts';
import { startCtiEmulator, type CtiEmulator } from '../../../emulators/cti/emulator';
import { freshDatabase } from '../../support/db';
import { freePort } from '../../../system/ports';
import { startTestKamailio, type TestKamailio } from '../../support/kamailio';

/**
 * Every change handler against real parts: Kamailio through its adapter, the
 * CTI emulator through the Genesys adapter, SIPp for the line acceptance, and
 * PostgreSQL for Butler's holiday calendar. Each change goes snapshot → apply
 * → verify → restore through the activities the change workflow calls, with
 * the snapshot passed through JSON as the workflow history would.
 */

const TEST_NUMBER = '0999';
/** A number behind a trunk whose carrier side (an answering point) is absent. */
const DEAD_NUMBER = '0998';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let k: TestKamailio;
let kamailioDb: Client;
let answeringPoint: SippAnsweringPoint;
let emulator: CtiEmulator;
let cti: CtiClient;
let deps: ChangeHandlerDeps;
let setupSeq = 0;
let changeSeq = 0;
const setupKey = (what: string) => ({ key: `setup-${++setupSeq}:${what}` });

beforeAll(async () => {
  db = await freshDatabase();
  await seedDefaults(db.pool);
  answeringPoint = await startSippAnsweringPoint({ port: await freePort() });
  k = await startTestKamailio({ testLine: { number: TEST_NUMBER, answeringPoint: answeringPoint.address } });
  kamailioDb = new Client({ connectionString: k.kamailio.databaseUrl });
  await kamailioDb.connect();
  emulator = await startCtiEmulator({ port: await freePort() });
  cti = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 5_000 });
  deps = {
    pool: db.pool,
    pbx: k.pbx,
    cti,
    acceptance: createSippAcceptance({ pbxSipAddress: k.kamailio.sipAddress, localIp: '127.0.0.1', timeoutMs: 10_000, callHoldMs: 100 }),
    acceptancePlan: acceptancePlan({ domain: k.kamailio.domain, testNumber: TEST_NUMBER, callerDn: '0990' }),
  };
});

afterAll(async () => {
  await emulator?.stop();
  await kamailioDb?.end();
  await k?.stop();
  await answeringPoint?.stop();
  await db?.drop();
});

// ---- helpers --------------------------------------------------------------------------

const window = { start: '2026-12-01T01:00:00+09:00', end: '2026-12-01T03:00:00+09:00' };
const request = <T extends ChangeRequest['type']>(type: T, target: string, params: Extract<ChangeRequest, { type: T }>['params']) =>
  ({ type, target, params, window, reason: 'change handler test' }) as Extract<ChangeRequest, { type: T }>;

const activities = (overrides: Partial<ChangeHandlerDeps> = {}) => createChangeActivities({ ...deps, ...overrides });

/** As the workflow history carries it. */
const throughHistory = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function snapshotOf(change: ChangeRequest): Promise<unknown> {
  return throughHistory(await activities().snapshotChange({ changeId: `peek-${++changeSeq}`, change }));
}

/**
 * The idempotency keys of the vendor writes `work` made: PBX changes recorded
 * by the Kamailio adapter, and mutating requests that reached the CTI.
 */
async function writesDuring(work: () => Promise<unknown>): Promise<string[]> {
  const pbxKeys = async () => (await kamailioDb.query<{ idem_key: string }>('SELECT idem_key FROM butler_pbx_request')).rows.map((r) => r.idem_key);
  const pbxBefore = new Set(await pbxKeys());
  const ctiBefore = emulator.requests().length;
  await work();
  const ctiWrites = emulator
    .requests()
    .slice(ctiBefore)
    .filter((r) => r.method !== 'GET' && !r.path.endsWith('/search') && r.path !== '/oauth/token');
  return [...(await pbxKeys()).filter((key) => !pbxBefore.has(key)), ...ctiWrites.map((r) => r.idempotencyKey ?? `(no key) ${r.method} ${r.path}`)];
}

/** Snapshot → apply → apply again (a retry, which writes nothing) → verify. */
async function carryOut(change: ChangeRequest, overrides: Partial<ChangeHandlerDeps> = {}) {
  const act = activities(overrides);
  const changeId = `CR-${String(++changeSeq).padStart(6, '0')}`;
  const snapshot = throughHistory(await act.snapshotChange({ changeId, change }));
  const applied = await writesDuring(() => act.applyChange({ changeId, change, snapshot }));
  expect(applied.length).toBeGreaterThan(0);
  expect(applied.filter((key) => !key.startsWith(`${changeId}:apply:`))).toEqual([]);
  expect(await writesDuring(() => act.applyChange({ changeId, change, snapshot }))).toEqual([]);
  const verification = await act.verifyChange({ changeId, change });
  return { changeId, snapshot, verification };
}

/** Restore → restore again (writes nothing) → the target reads back as the snapshot had it. */
async function rollBack(change: ChangeRequest, { changeId, snapshot }: { changeId: string; snapshot: unknown }) {
  const act = activities();
  const restored = await writesDuring(() => act.restoreChange({ changeId, change, snapshot }));
  expect(restored.filter((key) => !key.startsWith(`${changeId}:restore:`))).toEqual([]);
  expect(await writesDuring(() => act.restoreChange({ changeId, change, snapshot }))).toEqual([]);
  expect(await snapshotOf(change)).toEqual(snapshot);
}

const failedChecks = (v: Verification) => v.checks.filter((c) => !c.ok).map((c) => c.what);

function expectAllOk(v: Verification): void {
  expect(failedChecks(v)).toEqual([]);
  expect(v.ok).toBe(true);
}

async function extension(dn: string, phoneIp?: string): Promise<void> {
  await k.pbx.createExtension({ dn, displayName: `Agent ${dn}`, domain: k.kamailio.domain, password: `pw-${dn}-secret` }, setupKey(`ext-${dn}`));
  if (phoneIp) await k.pbx.createPhone({ dn, ip: phoneIp, model: 'Yealink T54W' }, setupKey(`phone-${dn}`));
}

async function agent(loginId: string) {
  return cti.createAgent({ loginId, name: loginId.split('@')[0]! }, setupKey(`agent-${loginId}`));
}

// ---- PBX ------------------------------------------------------------------------------

describe('dn-change', () => {
  test('moves the extension, its phone and the rules routing to it; the new DN registers and calls; restore moves all back', async () => {
    await extension('2101', '10.1.0.21');
    const own = await k.pbx.createDialplanRule({ ...dialplanRuleFor({ lineType: 'extension', dn: '2101' }), id: 'ext-2101' }, setupKey('rule'));
    const did = await k.pbx.createDialplanRule(
      { ...dialplanRuleFor({ lineType: 'did', dn: '0212340001', routeTo: '2101' }), id: 'did-0212340001' },
      setupKey('did'),
    );
    const change = request('dn-change', '2101', { newDn: '2102' });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({
      extension: { dn: '2101', displayName: 'Agent 2101', domain: k.kamailio.domain },
      phone: { dn: '2101', ip: '10.1.0.21', model: 'Yealink T54W' },
      routedBy: expect.arrayContaining([expect.objectContaining({ id: own.id, replace: '2101' }), expect.objectContaining({ id: did.id, replace: '2101' })]),
    });
    expect(JSON.stringify(snapshot)).not.toContain('pw-2101-secret');
    expectAllOk(verification);
    expect(verification.checks.map((c) => c.what)).toEqual(expect.arrayContaining(['SIP register of 2102', `SIP test call from 2102 to ${TEST_NUMBER}`]));
    expect(await k.pbx.getPhone('2102')).toEqual({ dn: '2102', ip: '10.1.0.21', model: 'Yealink T54W' });
    expect(await k.pbx.translate(1, '0212340001')).toBe('2102');
    // The line's own rule moved with it: the new number dials the line, the old one nothing (it is free);
    // the DID, the customer's numbering, still dials its number.
    expect(await k.pbx.getDialplanRule(own.id)).toMatchObject({ match: '^2102$', substitute: '^2102$', replace: '2102', description: 'extension 2102' });
    expect(await k.pbx.translate(1, '2102')).toBe('2102');
    expect(await k.pbx.translate(1, '2101')).toBeUndefined();
    expect(await k.pbx.getDialplanRule(did.id)).toMatchObject({ match: '^0212340001$', replace: '2102' });

    await rollBack(change, { changeId, snapshot });
    expect(await k.pbx.getDialplanRule(own.id)).toMatchObject({ match: '^2101$', replace: '2101', description: 'extension 2101' });
    expect(await k.pbx.getExtension('2102')).toBeUndefined();
    expect(await k.pbx.getPhone('2101')).toEqual({ dn: '2101', ip: '10.1.0.21', model: 'Yealink T54W' });
    expect(await k.pbx.translate(1, '0212340001')).toBe('2101');
  });

  test('fails verification at the SIP test call when the test number is not answered', async () => {
    // The carrier side of this number is a port nobody listens on: the call cannot be answered.
    const trunk = await k.pbx.createTrunk(
      { id: 'dead-end', setId: 1098, uri: `sip:127.0.0.1:${await freePort()}`, description: 'nobody answers' },
      setupKey('dead-trunk'),
    );
    await k.pbx.createDialplanRule(dialplanRuleFor({ lineType: 'pri', dn: DEAD_NUMBER, trunk }), setupKey('dead-rule'));
    await extension('2111');
    const change = request('dn-change', '2111', { newDn: '2112' });
    const deadPlan = acceptancePlan({ domain: k.kamailio.domain, testNumber: DEAD_NUMBER, callerDn: '0990' });

    const { changeId, snapshot, verification } = await carryOut(change, { acceptancePlan: deadPlan });

    expect(verification.ok).toBe(false);
    expect(failedChecks(verification)).toEqual([`SIP test call from 2112 to ${DEAD_NUMBER}`]);
    // Registration worked: what failed is the call, and it says how.
    expect(verification.checks.find((c) => c.what === 'SIP register of 2112')).toMatchObject({ ok: true });
    expect(verification.checks.find((c) => !c.ok)?.observed).toMatch(/^last response 408 Request Timeout/);

    await rollBack(change, { changeId, snapshot });
    expect(await k.pbx.getExtension('2111')).toMatchObject({ dn: '2111' });
  });

  test('after a crash mid-apply (extension moved, rules not yet), a retry finishes the move and a restore puts all of it back', async () => {
    for (const dn of ['2131', '2141']) {
      await extension(dn, `10.1.0.${dn.slice(2)}`);
      await k.pbx.createDialplanRule({ ...dialplanRuleFor({ lineType: 'extension', dn }), id: `ext-${dn}` }, setupKey(`rule-${dn}`));
    }
    const act = activities();
    const crashedMidApply = async (changeId: string, change: Extract<ChangeRequest, { type: 'dn-change' }>) => {
      const snapshot = throughHistory(await act.snapshotChange({ changeId, change }));
      // The first write of the apply went through under its own key; then the worker died.
      await k.pbx.updateExtension(change.target, { newDn: change.params.newDn }, { key: `${changeId}:apply:extension:move` });
      return snapshot;
    };

    const retried = request('dn-change', '2131', { newDn: '2132' });
    const retriedSnapshot = await crashedMidApply('CR-crash-retry', retried);
    expect(await k.pbx.translate(1, '2131')).toBe('2131');
    await act.applyChange({ changeId: 'CR-crash-retry', change: retried, snapshot: retriedSnapshot });
    // The line's own rule moved with it: its new number dials it, the old one is free.
    expect(await k.pbx.translate(1, '2132')).toBe('2132');
    expect(await k.pbx.translate(1, '2131')).toBeUndefined();
    expectAllOk(await act.verifyChange({ changeId: 'CR-crash-retry', change: retried }));

    const rolledBack = request('dn-change', '2141', { newDn: '2142' });
    const rolledBackSnapshot = await crashedMidApply('CR-crash-restore', rolledBack);
    await rollBack(rolledBack, { changeId: 'CR-crash-restore', snapshot: rolledBackSnapshot });
    expect(await k.pbx.getPhone('2141')).toMatchObject({ ip: '10.1.0.41' });
  });

  test('a new DN that is already taken is refused at the snapshot, before anything is touched', async () => {
    await extension('2121');
    await extension('2122');
    const refused = activities().snapshotChange({ changeId: 'CR-taken', change: request('dn-change', '2121', { newDn: '2122' }) });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: 'VendorConflict', nonRetryable: true, message: 'pbx: DN 2122 is already in use' });
  });
});

describe('ip-change', () => {
  test("re-addresses the DN's phone, the DN still registers and calls; restore puts the old IP back", async () => {
    await extension('2201', '10.1.0.22');
    const change = request('ip-change', '2201', { ip: '10.1.0.99' });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ phone: { dn: '2201', ip: '10.1.0.22', model: 'Yealink T54W' } });
    expectAllOk(verification);
    expect(verification.checks).toContainEqual({ what: 'IP of the phone of 2201', expected: '10.1.0.99', observed: '10.1.0.99', ok: true });
    expect(verification.checks.map((c) => c.what)).toContain('SIP register of 2201');

    await rollBack(change, { changeId, snapshot });
    expect((await k.pbx.getPhone('2201'))?.ip).toBe('10.1.0.22');
  });
});

describe('dialplan', () => {
  test('rewrites the named fields of a rule; restore puts the rule back', async () => {
    await k.pbx.createDialplanRule({ ...dialplanRuleFor({ lineType: 'did', dn: '0212340301', routeTo: '2301' }), id: 'did-0212340301' }, setupKey('rule'));
    const change = request('dialplan', 'did-0212340301', { replace: '2302', priority: 12 });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({
      rule: { id: 'did-0212340301', dpid: 1, priority: 10, match: '^0212340301$', substitute: '^0212340301$', replace: '2301', description: 'DID 0212340301' },
    });
    expectAllOk(verification);
    expect(await k.pbx.translate(1, '0212340301')).toBe('2302');

    await rollBack(change, { changeId, snapshot });
    expect(await k.pbx.translate(1, '0212340301')).toBe('2301');
  });

  test('fails verification when someone else altered the rule after it was applied, naming the field', async () => {
    await k.pbx.createDialplanRule({ ...dialplanRuleFor({ lineType: 'did', dn: '0212340311', routeTo: '2311' }), id: 'did-0212340311' }, setupKey('rule'));
    const change = request('dialplan', 'did-0212340311', { replace: '2312' });
    const act = activities();
    const snapshot = throughHistory(await act.snapshotChange({ changeId: 'CR-behind-back', change }));
    await act.applyChange({ changeId: 'CR-behind-back', change, snapshot });

    await k.pbx.updateDialplanRule('did-0212340311', { replace: '2399' }, setupKey('someone-else'));
    const verification = await act.verifyChange({ changeId: 'CR-behind-back', change });

    expect(verification).toEqual({
      ok: false,
      checks: [{ what: 'replace of dial-plan rule did-0212340311', expected: '2312', observed: '2399', ok: false }],
    });
    await rollBack(change, { changeId: 'CR-behind-back', snapshot });
  });
});

describe('trunk', () => {
  test("points the trunk at a new gateway, as the PBX's dispatcher sees it; restore puts the old URI back", async () => {
    await k.pbx.createTrunk({ id: 'pri-3101', setId: 3201, uri: 'sip:10.9.0.1:5060', description: 'PRI 3101 (KT)' }, setupKey('trunk'));
    const change = request('trunk', 'pri-3101', { uri: 'sip:10.9.0.2:5060', description: 'PRI 3101 (LG U+)' });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ trunk: { id: 'pri-3101', setId: 3201, uri: 'sip:10.9.0.1:5060', description: 'PRI 3101 (KT)' } });
    expectAllOk(verification);
    expect(verification.checks).toContainEqual(
      expect.objectContaining({
        what: "trunk pri-3101 in the PBX's dispatcher list",
        observed: expect.objectContaining({ uri: 'sip:10.9.0.2:5060' }),
        ok: true,
      }),
    );

    await rollBack(change, { changeId, snapshot });
    expect((await k.pbx.trunkStatus()).find((t) => t.id === 'pri-3101')?.uri).toBe('sip:10.9.0.1:5060');
  });
});

// ---- CTI ------------------------------------------------------------------------------

describe('cti-team-add / cti-team-remove', () => {
  test('adds the named agents; restore removes only those who were not members before', async () => {
    const [newcomer, veteran] = [await agent('team.new@example.com'), await agent('team.old@example.com')];
    const team = (await cti.findTeamByName('상담1팀'))!;
    await cti.addTeamMembers(team.id, [veteran.id], setupKey('veteran'));
    const change = request('cti-team-add', '상담1팀', { loginIds: [newcomer.loginId, veteran.loginId] });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({
      team: { id: team.id, name: '상담1팀' },
      agents: [
        { loginId: newcomer.loginId, agentId: newcomer.id, member: false },
        { loginId: veteran.loginId, agentId: veteran.id, member: true },
      ],
    });
    expectAllOk(verification);
    expect(verification.checks).toHaveLength(2);

    await rollBack(change, { changeId, snapshot });
    expect(await cti.listTeamMembers(team.id)).toEqual([veteran.id]);
  });

  test('removes the named agents; restore adds them back', async () => {
    const [leaving, staying] = [await agent('team.leaving@example.com'), await agent('team.staying@example.com')];
    const team = (await cti.findTeamByName('상담2팀'))!;
    await cti.addTeamMembers(team.id, [leaving.id, staying.id], setupKey('members'));
    const change = request('cti-team-remove', '상담2팀', { loginIds: [leaving.loginId] });

    const { changeId, snapshot, verification } = await carryOut(change);

    expectAllOk(verification);
    expect(await cti.listTeamMembers(team.id)).toEqual([staying.id]);
    await rollBack(change, { changeId, snapshot });
    expect((await cti.listTeamMembers(team.id)).sort()).toEqual([leaving.id, staying.id].sort());
  });

  test('fails verification when the agent was taken out of the team again, naming the agent', async () => {
    const joiner = await agent('team.flaky@example.com');
    const change = request('cti-team-add', '상담1팀', { loginIds: [joiner.loginId] });
    const act = activities();
    const snapshot = throughHistory(await act.snapshotChange({ changeId: 'CR-team-undone', change }));
    await act.applyChange({ changeId: 'CR-team-undone', change, snapshot });
    await cti.removeTeamMembers((await cti.findTeamByName('상담1팀'))!.id, [joiner.id], setupKey('someone-else'));

    const verification = await act.verifyChange({ changeId: 'CR-team-undone', change });

    expect(verification.ok).toBe(false);
    expect(verification.checks).toEqual([{ what: `${joiner.loginId} in team 상담1팀`, expected: 'member', observed: 'not a member', ok: false }]);
  });

  test('an unknown login or team is a permanent failure before anything is touched', async () => {
    const unknownLogin = activities().snapshotChange({ changeId: 'CR-ghost', change: request('cti-team-add', '상담1팀', { loginIds: ['ghost@example.com'] }) });
    await expect(unknownLogin).rejects.toMatchObject({ type: 'VendorNotFound', nonRetryable: true, message: 'cti: agent "ghost@example.com" does not exist' });
    const unknownTeam = activities().snapshotChange({
      changeId: 'CR-no-team',
      change: request('cti-team-remove', '상담9팀', { loginIds: ['team.old@example.com'] }),
    });
    await expect(unknownTeam).rejects.toMatchObject({ type: 'VendorNotFound', nonRetryable: true, message: 'cti: team "상담9팀" does not exist' });
  });
});

describe('skillset', () => {
  test("replaces the agent's skills; restore puts the old ones back", async () => {
    const a = await agent('skills.kim@example.com');
    const 상담 = (await cti.findSkillByName('상담'))!;
    await cti.setAgentSkills(a.id, [{ skillId: 상담.id, proficiency: 3 }], setupKey('skills'));
    const change = request('skillset', a.loginId, {
      skills: [
        { name: '영어', proficiency: 4 },
        { name: 'VIP', proficiency: 2 },
      ],
    });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ agentId: a.id, loginId: a.loginId, skills: [{ skillId: 상담.id, proficiency: 3 }] });
    expectAllOk(verification);
    expect(verification.checks.map((c) => c.what)).toEqual([
      `proficiency of ${a.loginId} in 영어`,
      `proficiency of ${a.loginId} in VIP`,
      `skills of ${a.loginId} not requested`,
    ]);

    await rollBack(change, { changeId, snapshot });
    expect(await cti.getAgentSkills(a.id)).toEqual([{ skillId: 상담.id, name: '상담', proficiency: 3 }]);
  });

  test('an unknown skill fails the apply permanently', async () => {
    const a = await agent('skills.lee@example.com');
    const change = request('skillset', a.loginId, { skills: [{ name: '중국어', proficiency: 3 }] });
    const act = activities();
    const snapshot = throughHistory(await act.snapshotChange({ changeId: 'CR-no-skill', change }));
    await expect(act.applyChange({ changeId: 'CR-no-skill', change, snapshot })).rejects.toMatchObject({
      type: 'VendorNotFound',
      nonRetryable: true,
      message: 'cti: skill "중국어" does not exist',
    });
  });
});

describe('agent-account', () => {
  test('renames and deactivates the agent; restore puts name and state back', async () => {
    const a = await agent('account.park@example.com');
    const change = request('agent-account', a.loginId, { name: '박상담(휴직)', state: 'inactive' });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ agentId: a.id, loginId: a.loginId, name: 'account.park', state: 'active' });
    expectAllOk(verification);
    expect(await cti.getAgent(a.id)).toMatchObject({ name: '박상담(휴직)', state: 'inactive' });

    await rollBack(change, { changeId, snapshot });
    expect(await cti.getAgent(a.id)).toMatchObject({ name: 'account.park', state: 'active' });
  });
});

describe('rec-account', () => {
  test('grants the recording account; restore revokes it', async () => {
    const a = await agent('rec.choi@example.com');
    const change = request('rec-account', a.loginId, { enabled: true });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ agentId: a.id, loginId: a.loginId, enabled: false });
    expect(verification).toEqual({ ok: true, checks: [{ what: `recording account of ${a.loginId}`, expected: 'held', observed: 'held', ok: true }] });
    expect(await cti.listRecordingUsers()).toContain(a.id);

    await rollBack(change, { changeId, snapshot });
    expect(await cti.listRecordingUsers()).not.toContain(a.id);
  });
});

// ---- the carrier's side (issue 16's savings) -------------------------------------------

describe('trunk-channels', () => {
  // Butler's inventory, not a vendor, takes this change: no vendor write (carryOut's check) is expected.
  test("records the trunk's new channels in the inventory; restore puts the old capacity back", async () => {
    await saveTrunkCapacity(db.pool, '4242', { channels: 30, warnAtPercent: 80, criticalAtPercent: 95, center: '상담 1센터', description: 'E1' }, 'setup');
    const change = request('trunk-channels', '4242', { channels: 10 });
    const act = activities();
    const changeId = 'CR-TRUNK-1';
    const channels = async () => (await listTrunkCapacities(db.pool)).find((t) => t.trunk === '4242')?.channels;

    const snapshot = throughHistory(await act.snapshotChange({ changeId, change }));
    expect(snapshot).toEqual({ channels: 30, warnAtPercent: 80, criticalAtPercent: 95, center: '상담 1센터', description: 'E1' });
    await act.applyChange({ changeId, change, snapshot });
    await act.applyChange({ changeId, change, snapshot });
    expect(await channels()).toBe(10);
    expect(await act.verifyChange({ changeId, change })).toEqual({
      ok: true,
      checks: [{ what: 'channels of trunk 4242', expected: 10, observed: 10, ok: true }],
    });
    await act.restoreChange({ changeId, change, snapshot });
    expect((await listTrunkCapacities(db.pool)).find((t) => t.trunk === '4242')).toMatchObject({ channels: 30, warnAtPercent: 80, center: '상담 1센터' });
  });

  test('a trunk the inventory does not know fails the snapshot, permanently', async () => {
    await expect(activities().snapshotChange({ changeId: 'CR-TRUNK-2', change: request('trunk-channels', '4343', { channels: 10 }) })).rejects.toMatchObject({
      type: 'VendorNotFound',
      nonRetryable: true,
    });
  });
});

describe('line-plan', () => {
  test("snapshots the live line's contract; a DN without a live contracted line fails, permanently", async () => {
    await seedLines(db.pool, [{ id: 'LN-977001', dn: '0297700001', carrier: 'KT', monthlyFee: 30_000, activatedAt: '2025-01-02T09:00:00+09:00' }]);
    const act = activities();
    const change = request('line-plan', '0297700001', { plan: '기업 종량제', monthlyFee: 6_000 });
    expect(await act.snapshotChange({ changeId: 'CR-PLAN-1', change })).toEqual({ lineId: 'LN-977001', plan: null, monthlyFee: 30_000 });
    expect((await act.verifyChange({ changeId: 'CR-PLAN-1', change })).ok).toBe(true);
    const nobody = request('line-plan', '0297700999', { plan: '기업 종량제', monthlyFee: 6_000 });
    await expect(act.snapshotChange({ changeId: 'CR-PLAN-2', change: nobody })).rejects.toMatchObject({ type: 'VendorNotFound', nonRetryable: true });
  });
});

// ---- IVR ------------------------------------------------------------------------------

describe('ivr-holidays', () => {
  const datesOf = (entries: Array<{ date: string }>) => entries.map((e) => e.date);

  test("pushes this year's and next year's holidays from Butler's calendar; restore puts the group back", async () => {
    const thisYear = Number(new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 4));
    // What the IVR held before: an old year, and a closure that is not in the calendar.
    const before = [
      { name: '성탄절', date: `${thisYear - 1}-12-25` },
      { name: '근로자의 날', date: `${thisYear}-05-01` },
    ];
    await cti.setIvrHolidaySchedule('센터1 휴일', 'Asia/Seoul', before, setupKey('ivr'));
    const change = request('ivr-holidays', '센터1 휴일', {});

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ group: '센터1 휴일', existed: true, timeZone: 'Asia/Seoul', holidays: before });
    expectAllOk(verification);
    const calendar = [...(await listHolidays(db.pool, thisYear)), ...(await listHolidays(db.pool, thisYear + 1))];
    expect(calendar.length).toBeGreaterThan(20);
    const pushed = (await cti.getIvrHolidaySchedule('센터1 휴일'))!;
    // Inside the range exactly the calendar; outside it what the group held is kept.
    expect(datesOf(pushed.holidays)).toEqual([`${thisYear - 1}-12-25`, ...datesOf(calendar)]);

    await rollBack(change, { changeId, snapshot });
    expect((await cti.getIvrHolidaySchedule('센터1 휴일'))!.holidays.map(({ name, date }) => ({ name, date }))).toEqual(before);
  });

  test('pushes a range to a group that did not exist; restore leaves it without holidays', async () => {
    const change = request('ivr-holidays', '센터2 휴일', { from: '2026-09-01', to: '2026-10-31' });

    const { changeId, snapshot, verification } = await carryOut(change);

    expect(snapshot).toEqual({ group: '센터2 휴일', existed: false, timeZone: null, holidays: [] });
    expectAllOk(verification);
    const autumn = (await listHolidays(db.pool, 2026)).filter((h) => h.date >= '2026-09-01' && h.date <= '2026-10-31');
    expect(datesOf((await cti.getIvrHolidaySchedule('센터2 휴일'))!.holidays)).toEqual(datesOf(autumn));

    await activities().restoreChange({ changeId, change, snapshot });
    expect(await cti.getIvrHolidaySchedule('센터2 휴일')).toMatchObject({ timeZone: 'Asia/Seoul', holidays: [] });
  });

  test('fails verification when the calendar was corrected after the push', async () => {
    const change = request('ivr-holidays', '센터3 휴일', { from: '2027-06-01', to: '2027-06-30' });
    const { changeId, snapshot } = await carryOut(change);
    const before = (await listHolidays(db.pool, 2027)).filter((h) => h.date.startsWith('2027-06')).map((h) => h.date);
    await putHoliday(db.pool, { date: '2027-06-04', name: '임시공휴일', kind: 'temporary' }, 'test-admin');
    try {
      const verification = await activities().verifyChange({ changeId, change });
      expect(verification.ok).toBe(false);
      expect(verification.checks.filter((c) => !c.ok)).toEqual([
        { what: 'holidays of 센터3 휴일 2027-06-01..2027-06-30', expected: [...before, '2027-06-04'].sort(), observed: before, ok: false },
      ]);
    } finally {
      await deleteHoliday(db.pool, '2027-06-04');
    }
    await activities().restoreChange({ changeId, change, snapshot });
    expect(await cti.getIvrHolidaySchedule('센터3 휴일')).toMatchObject({ holidays: [] });
  });
});
