import { check, verification } from './checks';
import { isLive, liveAgent } from './cti-lookups';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/** A recording-account change grants or revokes an agent's account on the recording system (the recording role). */

type RecAccountChange = ChangeOf<'rec-account'>;

export type RecAccountSnapshot = { agentId: string; loginId: string; enabled: boolean };

export function recAccountHandler({ cti }: ChangeHandlerDeps): ChangeHandler<RecAccountChange, RecAccountSnapshot> {
  const holds = async (agentId: string) => (await cti.listRecordingUsers()).includes(agentId);

  async function setRecording(agentId: string, enabled: boolean, key: { key: string }): Promise<void> {
    if ((await holds(agentId)) === enabled) return;
    if (enabled) await cti.grantRecordingUser(agentId, key);
    else await cti.revokeRecordingUser(agentId, key);
  }

  return {
    async snapshot({ target: loginId }) {
      const agent = await liveAgent(cti, loginId);
      return { agentId: agent.id, loginId: agent.loginId, enabled: await holds(agent.id) };
    },

    apply: ({ params }, { agentId }, keys) => setRecording(agentId, params.enabled, keys('recording')),

    async verify({ target: loginId, params }) {
      const agent = await cti.findAgentByLogin(loginId);
      if (!isLive(agent)) return verification([check(`agent ${loginId}`, 'present', 'absent')]);
      return verification([check(`recording account of ${loginId}`, params.enabled ? 'held' : 'not held', (await holds(agent.id)) ? 'held' : 'not held')]);
    },

    restore: (_req, { agentId, enabled }, keys) => setRecording(agentId, enabled, keys('recording')),
  };
}
