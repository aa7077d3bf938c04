import type { CtiEmulator } from '../../../emulators/cti/emulator';
import { caller, expectGenesysError, fetchToken, startTestEmulator } from './support';

// The Genesys resources the emulator serves, spoken to in raw HTTP with the Genesys shapes.
let emulator: CtiEmulator;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const token = await fetchToken(emulator);
  call = caller(emulator, () => token);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const createUser = async (name: string, email: string) => (await call('POST', '/api/v2/users', { body: { name, email } })).body;
const byName = async (path: string, name: string) => (await call('GET', `${path}?name=${encodeURIComponent(name)}`)).body.entities[0];

describe('users', () => {
  it('creates a User with Genesys fields, patches it by version, soft-deletes it', async () => {
    const user = await createUser('김민지', 'minji@example.com');
    expect(user).toMatchObject({ name: '김민지', email: 'minji@example.com', username: 'minji@example.com', state: 'active', version: 1 });
    expect(user.selfUri).toBe(`/api/v2/users/${user.id}`);
    expectGenesysError(await call('PATCH', `/api/v2/users/${user.id}`, { body: { version: 7, name: 'x' } }), 409, 'general.conflict');
    const patched = await call('PATCH', `/api/v2/users/${user.id}`, { body: { version: 1, state: 'inactive' } });
    expect(patched.body).toMatchObject({ state: 'inactive', version: 2, name: '김민지' });
    expect((await call('DELETE', `/api/v2/users/${user.id}`)).body).toEqual({});
    expectGenesysError(await call('GET', `/api/v2/users/${user.id}`), 404, 'not.found');
    expect((await call('GET', `/api/v2/users/${user.id}?state=deleted`)).body.state).toBe('deleted');
  });

  it('searches with the Genesys query shape; deleted users are not found; unsupported types → 501', async () => {
    await createUser('김민지', 'minji@example.com');
    const gone = await createUser('이서준', 'seojun@example.com');
    await call('DELETE', `/api/v2/users/${gone.id}`);
    const search = (value: string) => call('POST', '/api/v2/users/search', { body: { query: [{ type: 'EXACT', fields: ['email', 'username'], value }] } });
    const found = await search('MINJI@example.com');
    expect(found.body).toMatchObject({ total: 1, pageCount: 1, pageSize: 25, pageNumber: 1, types: ['users'] });
    expect(found.body.results[0].name).toBe('김민지');
    expect((await search('seojun@example.com')).body).toMatchObject({ total: 0, results: [] });
    const fuzzy = await call('POST', '/api/v2/users/search', { body: { query: [{ type: 'QUERY_STRING', fields: ['name'], value: '김' }] } });
    expectGenesysError(fuzzy, 501, 'not.implemented');
  });
});

describe('routing skills', () => {
  it('PUT …/bulk replaces the set, PATCH …/bulk adds, DELETE removes one', async () => {
    const user = await createUser('박상담', 'park@example.com');
    const [counsel, english, vip] = await Promise.all(['상담', '영어', 'VIP'].map((n) => byName('/api/v2/routing/skills', n)));
    const path = `/api/v2/users/${user.id}/routingskills`;
    const put = await call('PUT', `${path}/bulk`, {
      body: [
        { id: counsel.id, proficiency: 4 },
        { id: english.id, proficiency: 2.5 },
      ],
    });
    expect(put.body.entities.map((s: { name: string; proficiency: number }) => [s.name, s.proficiency])).toEqual([
      ['상담', 4],
      ['영어', 2.5],
    ]);
    await call('PATCH', `${path}/bulk`, { body: [{ id: vip.id, proficiency: 5 }] });
    await call('PUT', `${path}/bulk`, { body: [{ id: vip.id, proficiency: 1 }] });
    expect((await call('GET', path)).body.entities).toEqual([
      { id: vip.id, name: 'VIP', proficiency: 1, state: 'active', skillUri: `/api/v2/routing/skills/${vip.id}`, selfUri: `${path}/${vip.id}` },
    ]);
    expect((await call('DELETE', `${path}/${vip.id}`)).status).toBe(204);
    expectGenesysError(await call('DELETE', `${path}/${vip.id}`), 404, 'not.found');
    expectGenesysError(await call('PUT', `${path}/bulk`, { body: [{ id: counsel.id, proficiency: 6 }] }), 400, 'bad.request');
  });
});

describe('teams and queues', () => {
  it('adds and removes team members the Genesys way; a member of another team is a failure', async () => {
    const user = await createUser('최상담', 'choi@example.com');
    const [team1, team2] = [await byName('/api/v2/teams', '상담1팀'), await byName('/api/v2/teams', '상담2팀')];
    const added = await call('POST', `/api/v2/teams/${team1.id}/members`, { body: { memberIds: [user.id, 'ghost'] } });
    expect(added.body).toEqual({ entities: [{ id: user.id, selfUri: `/api/v2/users/${user.id}` }], failures: [{ id: 'ghost', reason: 'UserNotFound' }] });
    const elsewhere = await call('POST', `/api/v2/teams/${team2.id}/members`, { body: { memberIds: [user.id] } });
    expect(elsewhere.body.failures).toEqual([{ id: user.id, reason: 'UserAlreadyInAnotherTeam' }]);
    expect((await call('GET', `/api/v2/teams/${team1.id}/members?expand=entities`)).body.entities).toEqual([
      { id: user.id, name: '최상담', selfUri: `/api/v2/users/${user.id}` },
    ]);
    expectGenesysError(await call('DELETE', `/api/v2/teams/${team1.id}`), 409, 'general.conflict');
    expect((await call('DELETE', `/api/v2/teams/${team1.id}/members?id=${user.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v2/teams/${team1.id}`)).body.memberCount).toBe(0);
  });

  it('queue members: POST [{id}] adds, ?delete=true removes; the listing has no totals', async () => {
    const user = await createUser('정상담', 'jung@example.com');
    const queue = await byName('/api/v2/routing/queues', 'VIP 상담');
    expect((await byName('/api/v2/routing/queues', 'VIP*')).id).toBe(queue.id);
    expect((await call('POST', `/api/v2/routing/queues/${queue.id}/members`, { body: [{ id: user.id }] })).status).toBe(204);
    const members = (await call('GET', `/api/v2/routing/queues/${queue.id}/members`)).body;
    expect(members.entities).toEqual([expect.objectContaining({ id: user.id, name: '정상담', memberBy: 'user', joined: false })]);
    expect(members.total).toBeUndefined();
    await call('POST', `/api/v2/routing/queues/${queue.id}/members?delete=true`, { body: [{ id: user.id }] });
    expect((await call('GET', `/api/v2/routing/queues/${queue.id}`)).body.memberCount).toBe(0);
    expectGenesysError(await call('POST', `/api/v2/routing/queues/${queue.id}/members`, { body: [{ id: 'ghost' }] }), 404, 'not.found');
  });
});

describe('architect schedules', () => {
  it('normalizes local date-times, refuses a bad time zone, and protects a schedule a group uses', async () => {
    const schedule = await call('POST', '/api/v2/architect/schedules', { body: { name: '설날', start: '2026-02-17T00:00', end: '2026-02-18T00:00' } });
    expect(schedule.body).toMatchObject({ start: '2026-02-17T00:00:00.000', end: '2026-02-18T00:00:00.000', version: 1, state: 'active' });
    const bad = await call('POST', '/api/v2/architect/schedulegroups', { body: { name: '센터1 휴일', timeZone: 'Mars/Olympus' } });
    expectGenesysError(bad, 400, 'bad.request');
    const group = await call('POST', '/api/v2/architect/schedulegroups', {
      body: { name: '센터1 휴일', timeZone: 'Asia/Seoul', holidaySchedules: [{ id: schedule.body.id }] },
    });
    expect(group.body.holidaySchedules).toEqual([{ id: schedule.body.id, name: '설날', selfUri: `/api/v2/architect/schedules/${schedule.body.id}` }]);
    expectGenesysError(await call('DELETE', `/api/v2/architect/schedules/${schedule.body.id}`), 409, 'general.conflict');
    const backwards = await call('POST', '/api/v2/architect/schedules', { body: { name: 'x', start: '2026-02-18T00:00', end: '2026-02-17T00:00' } });
    expectGenesysError(backwards, 400, 'bad.request');
  });
});

describe('roles and licences', () => {
  it('the seeded recording role gains and loses users; licence holders follow roles and deletions', async () => {
    const role = await byName('/api/v2/authorization/roles', 'Recording Administrator');
    const user = await createUser('한상담', 'han@example.com');
    expect((await call('PUT', `/api/v2/authorization/roles/${role.id}/users/add`, { body: [user.id] })).body).toEqual([user.id]);
    expect((await call('GET', `/api/v2/authorization/roles/${role.id}/users`)).body).toMatchObject({ entities: [{ id: user.id }], total: 1 });
    const licences = async () => (await call('GET', '/api/v2/license/users')).body.entities;
    expect(await licences()).toEqual([{ id: user.id, licenses: ['genesys-cloud-cx-3', 'wem-add-on-ii'], selfUri: `/api/v2/license/users/${user.id}` }]);
    await call('PUT', `/api/v2/authorization/roles/${role.id}/users/remove`, { body: [user.id] });
    expect((await licences())[0].licenses).toEqual(['genesys-cloud-cx-3']);
    await call('DELETE', `/api/v2/users/${user.id}`);
    expect(await licences()).toEqual([]);
  });

  it('licence definitions and the seats bought, through the organization and its billing overview', async () => {
    const definitions = (await call('GET', '/api/v2/license/definitions')).body;
    expect(definitions.map((d: { id: string; description: string }) => [d.id, d.description])).toEqual([
      ['genesys-cloud-cx-3', 'Genesys Cloud CX 3'],
      ['wem-add-on-ii', 'WEM Add-on II'],
    ]);
    const org = (await call('GET', '/api/v2/organizations/me')).body;
    const billing = (await call('GET', `/api/v2/billing/trusteebillingoverview/${org.id}`)).body;
    expect(billing.usages).toEqual([
      expect.objectContaining({ name: 'Genesys Cloud CX 3', prepayQuantity: '50', usageQuantity: '0' }),
      expect.objectContaining({ name: 'WEM Add-on II', prepayQuantity: '10', usageQuantity: '0' }),
    ]);
    expectGenesysError(await call('GET', '/api/v2/billing/trusteebillingoverview/someone-else'), 404, 'not.found');
  });
});

it('reset brings back the seed data only', async () => {
  await call('POST', '/api/v2/routing/skills', { body: { name: '중국어' } });
  emulator.reset();
  const names = (await call('GET', '/api/v2/routing/skills')).body.entities.map((s: { name: string }) => s.name);
  expect(names.sort()).toEqual(['VIP', '상담', '영어'].sort());
});
