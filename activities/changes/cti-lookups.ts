import type { CtiAgent, CtiClient, CtiTeam } from '../../adapters/cti/cti-client';
import { VendorNotFoundError } from '../../adapters/vendor-errors';

/** Lookups every CTI change starts from; what a change names but the CTI does not know is a permanent failure. */

export type LiveAgent = CtiAgent & { state: 'active' | 'inactive' };

export function isLive(agent: CtiAgent | undefined): agent is LiveAgent {
  return agent !== undefined && agent.state !== 'deleted';
}

/** A deleted agent counts as unknown: it can be neither changed nor restored. */
export async function liveAgent(cti: CtiClient, loginId: string): Promise<LiveAgent> {
  const agent = await cti.findAgentByLogin(loginId);
  if (!isLive(agent)) throw new VendorNotFoundError('cti', `agent "${loginId}" does not exist`);
  return agent;
}

export async function existingTeam(cti: CtiClient, name: string): Promise<CtiTeam> {
  const team = await cti.findTeamByName(name);
  if (!team) throw new VendorNotFoundError('cti', `team "${name}" does not exist`);
  return team;
}
