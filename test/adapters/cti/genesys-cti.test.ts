import type { CtiClient } from '../../../adapters/cti/cti-client';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import { VendorConflictError, VendorNotFoundError, VendorTransientError } from '../../../adapters/vendor-errors';
import type { CtiEmulator } from '../../../emulators/cti/emulator';
import { startTestEmulator } from '../../emulators/cti/support';

// Every CtiClient method, driven through the Genesys adapter against the CTI emulator.
let emulator: CtiEmulator;
let cti: CtiClient;
let seq = 0;
const idem = (what: string) => ({ key: `T-${++seq}:${what}` });

beforeAll(async () => {
  emulator = await startTestEmulator();
  cti = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 5_000 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const mutating = () => emulator.requests().filter((r) => r.method !== 'GET' && !r.path.endsWith('/search') && r.path !== '/oauth/token');

describe('agents', () => {
  it('creates, finds by login, updates and deletes an agent', async () => {
    const agent = await cti.createAgent({ loginId: 'kim.minji@example.com', name: '김민지' }, idem('create'));
    expect(agent).toEqual({ id: expect.any(String), loginId: 'kim.minji@example.com', name: '김민지', state: 'active', adopted: false });
    const { adopted: _made, ...created } = agent;
    expect(await cti.findAgentByLogin('KIM.MINJI@example.com')).toEqual(created);
    expect(await cti.findAgentByLogin('nobody@example.com')).toBeUndefined();
    const key = idem('rename');
    const renamed = await cti.updateAgent(agent.id, { name: '김민지(휴직)', state: 'inactive' }, key);
    expect(renamed).toMatchObject({ name: '김민지(휴직)', state: 'inactive' });
    // Repeating the same update finds nothing left to do.
    expect(await cti.updateAgent(agent.id, { name: '김민지(휴직)', state: 'inactive' }, key)).toEqual(renamed);
    expect(mutating().filter((r) => r.method === 'PATCH')).toHaveLength(1);
    await cti.deleteAgent(agent.id, idem('delete'));
    await expect(cti.getAgent(agent.id)).rejects.toBeInstanceOf(VendorNotFoundError);
  });

  it('a create finds an agent with that login and adopts it, whatever the key: Genesys has no idempotency keys', async () => {
    const first = await cti.createAgent({ loginId: 'lee@example.com', name: '이서준' }, idem('create'));
    expect(first.adopted).toBe(false);
    const again = await cti.createAgent({ loginId: 'LEE@example.com', name: '이서준' }, idem('other'));
    expect(again).toEqual({ ...first, adopted: true });
    expect(mutating().filter((r) => r.method === 'POST' && r.path === '/api/v2/users')).toHaveLength(1);
  });

  it('a create whose answer is lost (the user was made) is refused as a duplicate on retry, then adopted: one user', async () => {
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users', exact: true }, loseResponseNext: { count: 1 } });
    await expect(cti.createAgent({ loginId: 'lost@example.com', name: '유실' }, idem('lost'))).rejects.toBeInstanceOf(VendorTransientError);
    const retried = await cti.createAgent({ loginId: 'lost@example.com', name: '유실' }, idem('lost'));
    expect(retried).toMatchObject({ loginId: 'lost@example.com', adopted: true });
    const posts = emulator.requests({ method: 'POST' }).filter((r) => r.path === '/api/v2/users');
    expect(posts.map((r) => [r.fault ?? null, r.status])).toEqual([['lose-response', 200]]);
    expect((await cti.findAgentByLogin('lost@example.com'))?.id).toBe(retried.id);
  });

  it('two creates of one login at once: both find nothing, one creates, the other is refused (409) and adopts it', async () => {
    const other = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 5_000 });
    // Creates are held back, so both lookups are over before either create is handled.
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/users', exact: true }, latencyMs: 1_000 });
    const both = await Promise.all([
      cti.createAgent({ loginId: 'race@example.com', name: '경합' }, idem('race')),
      other.createAgent({ loginId: 'race@example.com', name: '경합' }, idem('race-other')),
    ]);
    expect(both.map((a) => a.adopted).sort()).toEqual([false, true]);
    expect(both[0].id).toBe(both[1].id);
    const posts = emulator.requests({ method: 'POST' }).filter((r) => r.path === '/api/v2/users');
    expect(posts.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('a deleted user with that login is not adopted: a new one is created', async () => {
    const old = await cti.createAgent({ loginId: 'gone@example.com', name: '퇴사' }, idem('old'));
    await cti.deleteAgent(old.id, idem('delete'));
    const fresh = await cti.createAgent({ loginId: 'gone@example.com', name: '재입사' }, idem('new'));
    expect(fresh.adopted).toBe(false);
    expect(fresh.id).not.toBe(old.id);
  });
});

describe('teams and skills are created once by name', () => {
  it('createTeam and createSkill adopt an existing one (Genesys compares names ignoring case) and a lost create', async () => {
    const seeded = (await cti.findTeamByName('상담1팀'))!;
    expect(await cti.createTeam('상담1팀', idem('team'))).toEqual({ ...seeded, adopted: true });
    emulator.faults.set({ route: { method: 'POST', path: '/api/v2/routing/skills', exact: true }, loseResponseNext: { count: 1 } });
    await expect(cti.createSkill('Thai', idem('skill'))).rejects.toBeInstanceOf(VendorTransientError);
    const skill = await cti.createSkill('Thai', idem('skill'));
    expect(skill).toMatchObject({ name: 'Thai', adopted: true });
    expect(await cti.createSkill('THAI', idem('skill-upper'))).toEqual({ ...skill, adopted: true });
    const made = await cti.createTeam('상담7팀', idem('team7'));
    expect(made.adopted).toBe(false);
    const skills = await emulatorGet('/api/v2/routing/skills?name=thai');
    expect(skills.entities.map((e) => e.name)).toEqual(['Thai']);
  });
});

describe('teams, skills, queues', () => {
  it('agent → team member → skills set and read back', async () => {
    const agent = await cti.createAgent({ loginId: 'park@example.com', name: '박상담' }, idem('agent'));
    const team = (await cti.findTeamByName('상담1팀'))!;
    expect(team.name).toBe('상담1팀');
    expect(await cti.findTeamByName('상담')).toBeUndefined();
    await cti.addTeamMembers(team.id, [agent.id], idem('join'));
    expect(await cti.listTeamMembers(team.id)).toEqual([agent.id]);
    const other = await cti.createTeam('상담3팀', idem('team'));
    await expect(cti.addTeamMembers(other.id, [agent.id], idem('join-other'))).rejects.toThrow(VendorConflictError);
    await expect(cti.addTeamMembers(other.id, ['ghost'], idem('join-ghost'))).rejects.toThrow(VendorNotFoundError);
    await cti.removeTeamMembers(team.id, [agent.id], idem('leave'));
    expect(await cti.listTeamMembers(team.id)).toEqual([]);

    const counsel = (await cti.findSkillByName('상담'))!;
    const chinese = await cti.createSkill('중국어', idem('skill'));
    const set = await cti.setAgentSkills(
      agent.id,
      [
        { skillId: counsel.id, proficiency: 4 },
        { skillId: chinese.id, proficiency: 2 },
      ],
      idem('skills'),
    );
    const expected = [
      { skillId: counsel.id, name: '상담', proficiency: 4 },
      { skillId: chinese.id, name: '중국어', proficiency: 2 },
    ];
    expect(set).toEqual(expected);
    expect(await cti.getAgentSkills(agent.id)).toEqual(expected);
    await cti.setAgentSkills(agent.id, [{ skillId: chinese.id, proficiency: 5 }], idem('skills-2'));
    expect(await cti.getAgentSkills(agent.id)).toEqual([{ skillId: chinese.id, name: '중국어', proficiency: 5 }]);
  });

  it('walks every page of numbered, cursor and nextUri-only listings', async () => {
    const small = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, pageSize: 2 });
    const agent = await small.createAgent({ loginId: 'many@example.com', name: '다기능' }, idem('agent'));
    const skills = [];
    for (let n = 1; n <= 7; n += 1) skills.push(await small.createSkill(`언어-${n}`, idem('skill')));
    await small.setAgentSkills(
      agent.id,
      skills.map((s) => ({ skillId: s.id, proficiency: 3 })),
      idem('skills'),
    );
    expect((await small.getAgentSkills(agent.id)).map((s) => s.name)).toEqual(skills.map((s) => s.name));
    expect(emulator.requests({ method: 'GET', path: `/api/v2/users/${agent.id}/routingskills` })).toHaveLength(4);

    const others = [];
    for (let n = 1; n <= 4; n += 1) others.push(await small.createAgent({ loginId: `m${n}@example.com`, name: `팀원 ${n}` }, idem('agent')));
    const team = await small.createTeam('상담9팀', idem('team'));
    const queue = (await small.findQueueByName('대표번호'))!;
    const ids = [agent, ...others].map((a) => a.id);
    await small.addTeamMembers(team.id, ids, idem('join'));
    await small.addQueueMembers(queue.id, ids, idem('queue'));
    expect((await small.listTeamMembers(team.id)).sort()).toEqual([...ids].sort());
    expect((await small.listQueueMembers(queue.id)).sort()).toEqual([...ids].sort());
    expect(emulator.requests({ method: 'GET', path: `/api/v2/teams/${team.id}/members` })).toHaveLength(3);
    expect(emulator.requests({ method: 'GET', path: `/api/v2/routing/queues/${queue.id}/members` })).toHaveLength(3);
  });

  it('queue members added and removed', async () => {
    const agents = await Promise.all(['a', 'b', 'c'].map((x) => cti.createAgent({ loginId: `${x}@example.com`, name: `상담원 ${x}` }, idem(`agent-${x}`))));
    const queue = (await cti.findQueueByName('VIP 상담'))!;
    expect(await cti.findQueueByName('VIP')).toBeUndefined();
    await cti.addQueueMembers(
      queue.id,
      agents.map((a) => a.id),
      idem('queue'),
    );
    await cti.removeQueueMembers(queue.id, [agents[1].id], idem('queue-out'));
    expect((await cti.listQueueMembers(queue.id)).sort()).toEqual([agents[0].id, agents[2].id].sort());
  });
});

describe('IVR holiday schedule', () => {
  const holidays = [
    { name: '설날', date: '2026-02-17' },
    { name: '삼일절', date: '2026-03-01' },
    { name: '설날 연휴', date: '2026-02-16' },
  ];

  it('set → read back sorted → set fewer removes extras → repeating is a no-op', async () => {
    expect(await cti.getIvrHolidaySchedule('센터1 휴일')).toBeUndefined();
    const written = await cti.setIvrHolidaySchedule('센터1 휴일', 'Asia/Seoul', holidays, idem('ivr'));
    expect(written).toMatchObject({ groupName: '센터1 휴일', timeZone: 'Asia/Seoul' });
    expect(written.holidays.map((h) => [h.date, h.name])).toEqual([
      ['2026-02-16', '설날 연휴'],
      ['2026-02-17', '설날'],
      ['2026-03-01', '삼일절'],
    ]);
    expect(await cti.getIvrHolidaySchedule('센터1 휴일')).toEqual(written);

    const fewer = await cti.setIvrHolidaySchedule('센터1 휴일', 'Asia/Seoul', [holidays[1]], idem('ivr-2'));
    expect(fewer.holidays).toEqual([{ id: written.holidays[2].id, name: '삼일절', date: '2026-03-01' }]);
    const schedules = await emulatorGet('/api/v2/architect/schedules');
    expect(schedules.entities.map((s: { name: string }) => s.name)).toEqual(['센터1 휴일 2026-03-01']);

    const before = mutating().length;
    expect(await cti.setIvrHolidaySchedule('센터1 휴일', 'Asia/Seoul', [holidays[1]], idem('ivr-3'))).toEqual(fewer);
    expect(mutating()).toHaveLength(before);
  });

  it('creates whose answers are lost (a holiday schedule, then the group): the retries adopt them, nothing is duplicated', async () => {
    emulator.faults.set([
      { route: { method: 'POST', path: '/api/v2/architect/schedules', exact: true }, loseResponseNext: { count: 1 } },
      { route: { method: 'POST', path: '/api/v2/architect/schedulegroups', exact: true }, loseResponseNext: { count: 1 } },
    ]);
    await expect(cti.setIvrHolidaySchedule('센터3 휴일', 'Asia/Seoul', [holidays[0]], idem('ivr'))).rejects.toBeInstanceOf(VendorTransientError);
    await expect(cti.setIvrHolidaySchedule('센터3 휴일', 'Asia/Seoul', [holidays[0]], idem('ivr'))).rejects.toBeInstanceOf(VendorTransientError);
    const written = await cti.setIvrHolidaySchedule('센터3 휴일', 'Asia/Seoul', [holidays[0]], idem('ivr'));
    expect(written.holidays.map((h) => h.date)).toEqual([holidays[0].date]);
    expect((await emulatorGet('/api/v2/architect/schedules')).entities.map((s) => s.name)).toEqual([`센터3 휴일 ${holidays[0].date}`]);
    expect((await emulatorGet('/api/v2/architect/schedulegroups')).entities.map((g) => g.name)).toEqual(['센터3 휴일']);
  });

  it('a renamed holiday and a new time zone are written in place', async () => {
    await cti.setIvrHolidaySchedule('센터2 휴일', 'Asia/Seoul', [holidays[0]], idem('ivr'));
    const changed = await cti.setIvrHolidaySchedule('센터2 휴일', 'Asia/Tokyo', [{ name: '구정', date: '2026-02-17' }], idem('ivr-2'));
    expect(changed).toMatchObject({ timeZone: 'Asia/Tokyo', holidays: [{ name: '구정', date: '2026-02-17' }] });
  });
});

describe('recording users and licences', () => {
  it('grant and revoke a recording account; licence use follows agents and the recording role', async () => {
    const usage = async () => Object.fromEntries((await cti.licenceUsage()).map((u) => [u.licence, [u.assigned, u.total]]));
    expect(await usage()).toEqual({ 'genesys-cloud-cx-3': [0, 50], 'wem-add-on-ii': [0, 10] });
    const agent = await cti.createAgent({ loginId: 'han@example.com', name: '한상담' }, idem('agent'));
    await cti.grantRecordingUser(agent.id, idem('grant'));
    expect(await cti.listRecordingUsers()).toEqual([agent.id]);
    expect(await usage()).toEqual({ 'genesys-cloud-cx-3': [1, 50], 'wem-add-on-ii': [1, 10] });
    await cti.revokeRecordingUser(agent.id, idem('revoke'));
    expect(await cti.listRecordingUsers()).toEqual([]);
    await cti.deleteAgent(agent.id, idem('delete'));
    expect(await usage()).toEqual({ 'genesys-cloud-cx-3': [0, 50], 'wem-add-on-ii': [0, 10] });
  });
});

it('sends an Idempotency-Key on every mutating call', async () => {
  const agent = await cti.createAgent({ loginId: 'all@example.com', name: '전부' }, idem('agent'));
  await cti.addQueueMembers((await cti.findQueueByName('대표번호'))!.id, [agent.id], idem('queue'));
  await cti.setIvrHolidaySchedule('센터3 휴일', 'Asia/Seoul', [{ name: '광복절', date: '2026-08-15' }], idem('ivr'));
  await cti.grantRecordingUser(agent.id, idem('grant'));
  expect(mutating().length).toBeGreaterThanOrEqual(5);
  expect(mutating().filter((r) => !r.idempotencyKey)).toEqual([]);
});

async function emulatorGet(path: string) {
  const res = await fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.credentials.clientId, client_secret: emulator.credentials.clientSecret }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return (await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } })).json() as Promise<{
    entities: Array<{ name: string }>;
  }>;
}
