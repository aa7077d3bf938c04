import type { AgentSkill } from '../../adapters/cti/cti-client';
import { resolveSkills } from '../../adapters/cti/skills';
import { check, sameJson, verification } from './checks';
import { isLive, liveAgent } from './cti-lookups';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/** A skill-set change replaces an agent's whole set of skills (and proficiencies) with the one requested. */

type SkillsetChange = ChangeOf<'skillset'>;

type HeldSkill = { skillId: string; proficiency: number };

export type SkillsetSnapshot = {
  agentId: string;
  loginId: string;
  /** Sorted by skill id, so sets compare as lists. */
  skills: HeldSkill[];
};

export function skillsetHandler({ cti }: ChangeHandlerDeps): ChangeHandler<SkillsetChange, SkillsetSnapshot> {
  const heldBy = async (agentId: string) => held(await cti.getAgentSkills(agentId));

  return {
    async snapshot({ target: loginId }) {
      const agent = await liveAgent(cti, loginId);
      return { agentId: agent.id, loginId: agent.loginId, skills: await heldBy(agent.id) };
    },

    async apply({ params }, { agentId }, keys) {
      const wanted = held(await resolveSkills(cti, params.skills));
      if (!sameJson(await heldBy(agentId), wanted)) await cti.setAgentSkills(agentId, wanted, keys('skills'));
    },

    async verify({ target: loginId, params }) {
      const agent = await cti.findAgentByLogin(loginId);
      if (!isLive(agent)) return verification([check(`agent ${loginId}`, 'present', 'absent')]);
      const observed = new Map((await cti.getAgentSkills(agent.id)).map((s) => [s.name, s.proficiency]));
      const requested = new Set(params.skills.map((s) => s.name));
      return verification([
        ...params.skills.map((s) => check(`proficiency of ${loginId} in ${s.name}`, s.proficiency, observed.get(s.name) ?? 'not held')),
        check(`skills of ${loginId} not requested`, [], [...observed.keys()].filter((name) => !requested.has(name)).sort()),
      ]);
    },

    async restore(_req, { agentId, skills }, keys) {
      if (!sameJson(await heldBy(agentId), skills)) await cti.setAgentSkills(agentId, skills, keys('skills'));
    },
  };
}

function held(skills: Array<Pick<AgentSkill, 'skillId' | 'proficiency'>>): HeldSkill[] {
  return skills.map((s) => ({ skillId: s.skillId, proficiency: s.proficiency })).sort((a, b) => a.skillId.localeCompare(b.skillId));
}
