import { check, verification, type Check } from './checks';
import { isLive, liveAgent } from './cti-lookups';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/** An agent-account change renames an agent and/or (de)activates the account. */

type AgentAccountChange = ChangeOf<'agent-account'>;

export type AgentAccountSnapshot = { agentId: string; loginId: string; name: string; state: 'active' | 'inactive' };

export function agentAccountHandler({ cti }: ChangeHandlerDeps): ChangeHandler<AgentAccountChange, AgentAccountSnapshot> {
  return {
    async snapshot({ target: loginId }) {
      const agent = await liveAgent(cti, loginId);
      return { agentId: agent.id, loginId: agent.loginId, name: agent.name, state: agent.state };
    },

    async apply({ params }, { agentId }, keys) {
      const current = await cti.getAgent(agentId);
      const differs = (params.name !== undefined && params.name !== current.name) || (params.state !== undefined && params.state !== current.state);
      if (differs) await cti.updateAgent(agentId, { name: params.name, state: params.state }, keys('agent'));
    },

    async verify({ target: loginId, params }) {
      const agent = await cti.findAgentByLogin(loginId);
      if (!isLive(agent)) return verification([check(`agent ${loginId}`, 'present', 'absent')]);
      const checks: Check[] = [];
      if (params.name !== undefined) checks.push(check(`name of ${loginId}`, params.name, agent.name));
      if (params.state !== undefined) checks.push(check(`state of ${loginId}`, params.state, agent.state));
      return verification(checks);
    },

    async restore(_req, snapshot, keys) {
      const current = await cti.getAgent(snapshot.agentId);
      if (current.name !== snapshot.name || current.state !== snapshot.state) {
        await cti.updateAgent(snapshot.agentId, { name: snapshot.name, state: snapshot.state }, keys('agent'));
      }
    },
  };
}
