import { check, verification } from './checks';
import { existingTeam, isLive, liveAgent } from './cti-lookups';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/**
 * Adding agents to a team, or removing them from it. Only the agents the
 * change names are touched: a restore puts back their membership as it was,
 * and leaves alone whoever else joined or left the team meanwhile.
 */

type TeamAdd = ChangeOf<'cti-team-add'>;
type TeamRemove = ChangeOf<'cti-team-remove'>;

export type TeamChangeSnapshot = {
  team: { id: string; name: string };
  /** Each named agent, and whether it was a member before the change. */
  agents: Array<{ loginId: string; agentId: string; member: boolean }>;
};

export function teamAddHandler(deps: ChangeHandlerDeps): ChangeHandler<TeamAdd, TeamChangeSnapshot> {
  const { cti } = deps;
  return {
    snapshot: (req) => teamSnapshot(deps, req),

    async apply(_req, { team, agents }, keys) {
      const joining = agents.filter((a) => !a.member).map((a) => a.agentId);
      const members = new Set(await cti.listTeamMembers(team.id));
      if (joining.some((id) => !members.has(id))) await cti.addTeamMembers(team.id, joining, keys('members'));
    },

    verify: (req) => verifyMembership(deps, req, true),

    async restore(_req, { team, agents }, keys) {
      const joined = agents.filter((a) => !a.member).map((a) => a.agentId);
      const members = new Set(await cti.listTeamMembers(team.id));
      if (joined.some((id) => members.has(id))) await cti.removeTeamMembers(team.id, joined, keys('members'));
    },
  };
}

export function teamRemoveHandler(deps: ChangeHandlerDeps): ChangeHandler<TeamRemove, TeamChangeSnapshot> {
  const { cti } = deps;
  return {
    snapshot: (req) => teamSnapshot(deps, req),

    async apply(_req, { team, agents }, keys) {
      const leaving = agents.filter((a) => a.member).map((a) => a.agentId);
      const members = new Set(await cti.listTeamMembers(team.id));
      if (leaving.some((id) => members.has(id))) await cti.removeTeamMembers(team.id, leaving, keys('members'));
    },

    verify: (req) => verifyMembership(deps, req, false),

    async restore(_req, { team, agents }, keys) {
      const left = agents.filter((a) => a.member).map((a) => a.agentId);
      const members = new Set(await cti.listTeamMembers(team.id));
      if (left.some((id) => !members.has(id))) await cti.addTeamMembers(team.id, left, keys('members'));
    },
  };
}

async function teamSnapshot({ cti }: ChangeHandlerDeps, { target, params }: TeamAdd | TeamRemove): Promise<TeamChangeSnapshot> {
  const team = await existingTeam(cti, target);
  const [members, agents] = await Promise.all([cti.listTeamMembers(team.id), Promise.all(unique(params.loginIds).map((l) => liveAgent(cti, l)))]);
  return {
    team: { id: team.id, name: team.name },
    agents: agents.map((a) => ({ loginId: a.loginId, agentId: a.id, member: members.includes(a.id) })),
  };
}

async function verifyMembership({ cti }: ChangeHandlerDeps, { target, params }: TeamAdd | TeamRemove, shouldBeMember: boolean) {
  const team = await cti.findTeamByName(target);
  if (!team) return verification([check(`team ${target}`, 'present', 'absent')]);
  const members = new Set(await cti.listTeamMembers(team.id));
  const expected = shouldBeMember ? 'member' : 'not a member';
  return verification(
    await Promise.all(
      unique(params.loginIds).map(async (loginId) => {
        const agent = await cti.findAgentByLogin(loginId);
        const observed = !isLive(agent) ? 'no such agent' : members.has(agent.id) ? 'member' : 'not a member';
        return check(`${loginId} in team ${target}`, expected, observed);
      }),
    ),
  );
}

function unique(loginIds: string[]): string[] {
  return [...new Set(loginIds)];
}
