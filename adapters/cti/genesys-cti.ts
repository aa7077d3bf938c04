import type { IdempotencyKey } from '../pbx/pbx-client';
import { VendorConflictError, VendorNotFoundError } from '../vendor-errors';
import type { AgentSkill, CtiAgent, CtiClient, CtiQueue, CtiSkill, CtiTeam } from './cti-client';
import { genesysAgentTalk } from './genesys-agent-talk';
import { genesysCallVolume } from './genesys-call-volume';
import { createGenesysHttp, withQuery, type GenesysHttpOptions } from './genesys-http';
import { genesysIvrSchedules } from './genesys-ivr-schedule';
import { genesysLicences } from './genesys-licences';
import type { NamedEntity, TeamMemberAddListingResponse, User, UserRoutingSkill, UsersSearchResponse } from './genesys-models';

/**
 * CtiClient over the Genesys Cloud Platform API v2 (and Butler's CTI
 * emulator, which speaks the same subset). Every mutating call sends the
 * caller's idempotency key — suffixed when one operation takes several calls —
 * and failures are vendor errors; retrying is Temporal's job.
 *
 * Genesys ignores that key: it has no idempotency keys. What makes a retried
 * create safe is its natural key (user: e-mail; team, skill: name), which
 * Genesys refuses to duplicate with a 409. So every create looks up first,
 * adopts what it finds, and on a 409 looks up again and adopts (`ensure`).
 */

export interface GenesysCtiOptions extends GenesysHttpOptions {
  /** The role whose holders have a recording-system account. */
  recordingRoleName?: string;
  /** Page size for listings (Genesys allows up to 100 on most). */
  pageSize?: number;
}

const TEAM_BATCH = 25;
const QUEUE_BATCH = 100;

export function createGenesysCti(options: GenesysCtiOptions): CtiClient {
  const http = createGenesysHttp(options);
  const pageSize = options.pageSize ?? 100;
  const recordingRoleName = options.recordingRoleName ?? 'Recording Administrator';
  const ivr = genesysIvrSchedules(http);
  const licences = genesysLicences(http, pageSize);
  const volume = genesysCallVolume(http, pageSize);
  const talk = genesysAgentTalk(http);

  const findByName = async <T extends NamedEntity>(path: string, name: string): Promise<T | undefined> =>
    (await http.listAll<T>(withQuery(path, { name, pageSize }))).find((e) => e.name === name);
  /** What a duplicate create collides with: Genesys compares names ignoring case, so the exact name first, else the same name in another case. */
  const findTaken = async <T extends NamedEntity>(path: string, name: string): Promise<T | undefined> => {
    const all = await http.listAll<T>(withQuery(path, { name, pageSize }));
    return all.find((e) => e.name === name) ?? all.find((e) => e.name.toLowerCase() === name.toLowerCase());
  };

  async function findAgentByLogin(loginId: string): Promise<CtiAgent | undefined> {
    const query = [{ type: 'EXACT', fields: ['email', 'username'], value: loginId }];
    const found = await http.search<UsersSearchResponse>('/api/v2/users/search', { query, pageSize: 25, pageNumber: 1 });
    const user = (found.results ?? []).find((u) => u.state !== 'deleted' && [u.email, u.username].some((v) => v?.toLowerCase() === loginId.toLowerCase()));
    return user && toAgent(user);
  }

  /**
   * Find-or-create by natural key: what exists is adopted; a create that meets
   * a 409 (the key was taken meanwhile, perhaps by this caller's own earlier
   * request whose answer was lost) adopts what the key now names.
   */
  async function ensure<T>(what: string, find: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T & { adopted: boolean }> {
    const existing = await find();
    if (existing) return { ...existing, adopted: true };
    try {
      return { ...(await create()), adopted: false };
    } catch (err) {
      if (!(err instanceof VendorConflictError)) throw err;
      const taken = await find();
      if (!taken) throw new VendorConflictError('cti', `${what}: the create was refused as a duplicate, but no such object can be found`, { cause: err });
      return { ...taken, adopted: true };
    }
  }

  async function recordingRoleId(): Promise<string> {
    const role = await findByName<NamedEntity>('/api/v2/authorization/roles', recordingRoleName);
    if (!role) throw new VendorNotFoundError('cti', `no authorization role named ${recordingRoleName} (recording-system users)`);
    return role.id;
  }

  /** Sends `ids` in batches the API accepts; one batch uses the caller's key as is. */
  async function inBatches(ids: string[], size: number, idem: IdempotencyKey, send: (batch: string[], key: string) => Promise<unknown>): Promise<void> {
    const batches = Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));
    for (const [i, batch] of batches.entries()) await send(batch, batches.length === 1 ? idem.key : `${idem.key}:${i + 1}`);
  }

  return {
    async createAgent(agent, idem) {
      return ensure(
        `user ${agent.loginId}`,
        () => findAgentByLogin(agent.loginId),
        async () => toAgent((await http.send<User>('POST', '/api/v2/users', idem.key, { name: agent.name, email: agent.loginId }))!),
      );
    },
    async getAgent(id) {
      return toAgent(await http.get<User>(`/api/v2/users/${encodeURIComponent(id)}`));
    },
    findAgentByLogin,
    async updateAgent(id, patch, idem) {
      const path = `/api/v2/users/${encodeURIComponent(id)}`;
      const user = await http.get<User>(path);
      // Already as asked (e.g. a retry after the PATCH went through): nothing to send.
      if ((patch.name ?? user.name) === user.name && (patch.state ?? user.state) === user.state) return toAgent(user);
      return toAgent((await http.send<User>('PATCH', path, `${idem.key}:v${user.version}`, { ...patch, version: user.version }))!);
    },
    async deleteAgent(id, idem) {
      await http.send('DELETE', `/api/v2/users/${encodeURIComponent(id)}`, idem.key);
    },

    findTeamByName: (name) => findByName<CtiTeam>('/api/v2/teams', name).then((t) => t && toNamed(t)),
    async createTeam(name, idem) {
      return ensure(
        `team ${name}`,
        () => findTaken<NamedEntity>('/api/v2/teams', name).then((t) => t && toNamed(t)),
        async () => toNamed((await http.send<NamedEntity>('POST', '/api/v2/teams', idem.key, { name }))!),
      );
    },
    async listTeamMembers(teamId) {
      return (await http.listAll<{ id: string }>(withQuery(`/api/v2/teams/${encodeURIComponent(teamId)}/members`, { pageSize }))).map((m) => m.id);
    },
    async addTeamMembers(teamId, agentIds, idem) {
      await inBatches(agentIds, TEAM_BATCH, idem, async (memberIds, key) => {
        const result = await http.send<TeamMemberAddListingResponse>('POST', `/api/v2/teams/${encodeURIComponent(teamId)}/members`, key, { memberIds });
        throwTeamFailures(teamId, result?.failures ?? []);
      });
    },
    async removeTeamMembers(teamId, agentIds, idem) {
      await inBatches(agentIds, TEAM_BATCH, idem, (ids, key) =>
        http.send('DELETE', withQuery(`/api/v2/teams/${encodeURIComponent(teamId)}/members`, { id: ids.join(',') }), key),
      );
    },

    findSkillByName: (name) => findByName<CtiSkill>('/api/v2/routing/skills', name).then((s) => s && toNamed(s)),
    async createSkill(name, idem) {
      return ensure(
        `skill ${name}`,
        () => findTaken<NamedEntity>('/api/v2/routing/skills', name).then((t) => t && toNamed(t)),
        async () => toNamed((await http.send<NamedEntity>('POST', '/api/v2/routing/skills', idem.key, { name }))!),
      );
    },
    async getAgentSkills(agentId) {
      return (await http.listAll<UserRoutingSkill>(withQuery(`/api/v2/users/${encodeURIComponent(agentId)}/routingskills`, { pageSize }))).map(toAgentSkill);
    },
    async setAgentSkills(agentId, skills, idem) {
      const body = skills.map((s) => ({ id: s.skillId, proficiency: s.proficiency }));
      const result = await http.send<{ entities?: UserRoutingSkill[] }>(
        'PUT',
        `/api/v2/users/${encodeURIComponent(agentId)}/routingskills/bulk`,
        idem.key,
        body,
      );
      return (result?.entities ?? []).map(toAgentSkill);
    },

    findQueueByName: (name) => findByName<CtiQueue>('/api/v2/routing/queues', name).then((q) => q && toNamed(q)),
    async listQueueMembers(queueId) {
      return (await http.listAll<{ id: string }>(withQuery(`/api/v2/routing/queues/${encodeURIComponent(queueId)}/members`, { pageSize }))).map((m) => m.id);
    },
    async addQueueMembers(queueId, agentIds, idem) {
      await inBatches(agentIds, QUEUE_BATCH, idem, (ids, key) =>
        http.send(
          'POST',
          `/api/v2/routing/queues/${encodeURIComponent(queueId)}/members`,
          key,
          ids.map((id) => ({ id })),
        ),
      );
    },
    async removeQueueMembers(queueId, agentIds, idem) {
      await inBatches(agentIds, QUEUE_BATCH, idem, (ids, key) =>
        http.send(
          'POST',
          `/api/v2/routing/queues/${encodeURIComponent(queueId)}/members?delete=true`,
          key,
          ids.map((id) => ({ id })),
        ),
      );
    },

    getIvrHolidaySchedule: (groupName) => ivr.get(groupName),
    setIvrHolidaySchedule: (groupName, timeZone, holidays, idem) => ivr.set(groupName, timeZone, holidays, idem),

    async listRecordingUsers() {
      const roleId = await recordingRoleId();
      return (await http.listAll<{ id: string }>(withQuery(`/api/v2/authorization/roles/${roleId}/users`, { pageSize }))).map((u) => u.id);
    },
    async grantRecordingUser(agentId, idem) {
      await http.send('PUT', `/api/v2/authorization/roles/${await recordingRoleId()}/users/add`, idem.key, [agentId]);
    },
    async revokeRecordingUser(agentId, idem) {
      await http.send('PUT', `/api/v2/authorization/roles/${await recordingRoleId()}/users/remove`, idem.key, [agentId]);
    },

    licenceUsage: () => licences.usage(),
    callVolume: (range) => volume.callVolume(range),
    agentTalk: (range) => talk.agentTalk(range),
  };
}

function toAgent(user: User): CtiAgent {
  return { id: user.id, loginId: user.username ?? user.email ?? '', name: user.name, state: user.state };
}

function toNamed(entity: NamedEntity): { id: string; name: string } {
  return { id: entity.id, name: entity.name };
}

function toAgentSkill(skill: UserRoutingSkill): AgentSkill {
  return { skillId: skill.id, name: skill.name ?? '', proficiency: skill.proficiency ?? 0 };
}

/** Genesys answers 200 with per-member failures; Butler treats any as a failed call. */
function throwTeamFailures(teamId: string, failures: NonNullable<TeamMemberAddListingResponse['failures']>): void {
  if (failures.length === 0) return;
  const summary = failures.map((f) => `${f.id}: ${f.reason}`).join(', ');
  const message = `POST /api/v2/teams/${teamId}/members: ${failures.length} member(s) not added (${summary})`;
  if (failures.every((f) => f.reason === 'UserNotFound')) throw new VendorNotFoundError('cti', message);
  throw new VendorConflictError('cti', message);
}
