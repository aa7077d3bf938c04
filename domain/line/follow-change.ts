import type { ChangeRequest, ChangeType } from '../change/contracts';
import type { InstalledItem, LineState } from './contracts';

/**
 * The inventory follows every change (issue 13): which line fields a completed
 * change alters, found how, and what they become. Pure; the change workflow's
 * `recordLineChange` activity applies it to the line's row.
 */

/** The fields of a line a change may alter. */
export type LineFields = Partial<Pick<LineState, 'dn' | 'phone' | 'agent' | 'installed' | 'contract'>>;

/**
 * How the lines a change alters are found: by their DN (the target), their agent's CTI login (the
 * target), or the logins a team change names (`params.loginIds`).
 */
export function lineKeyOf(type: ChangeType): 'dn' | 'loginId' | 'loginIds' | undefined {
  switch (type) {
    case 'dn-change':
    case 'ip-change':
    case 'line-plan':
      return 'dn';
    case 'skillset':
    case 'agent-account':
      return 'loginId';
    case 'cti-team-add':
    case 'cti-team-remove':
      return 'loginIds';
    default:
      // Dial plan, trunk, IVR and recording: no field of the line record holds them.
      return undefined;
  }
}

/** What the change's snapshot tells of the objects it touched: for a team change, the team's id and each agent named, a member before or not. */
export interface ChangeContext {
  team?: { id: string; name: string };
  agents?: Array<{ loginId: string; agentId: string; member: boolean }>;
}

/** The line's fields after the change, or undefined when the change alters none of them (an account state only). */
export function followChange(change: ChangeRequest, line: LineState, context: ChangeContext = {}): LineFields | undefined {
  const ofTeam = (item: InstalledItem, team: string) => item.kind === 'cti-team-member' && (item.team === team || item.teamId === context.team?.id);
  switch (change.type) {
    case 'dn-change': {
      const { newDn } = change.params;
      const moved = (item: InstalledItem): InstalledItem =>
        (item.kind === 'pbx-extension' || item.kind === 'pbx-phone') && item.dn === line.dn ? { ...item, dn: newDn } : item;
      return { dn: newDn, installed: line.installed.map(moved) };
    }
    case 'ip-change':
      return { phone: { ...line.phone, ip: change.params.ip } };
    case 'line-plan':
      // The carrier's new terms: the next bills are checked against this fee.
      return line.contract ? { contract: { ...line.contract, plan: change.params.plan, monthlyFee: change.params.monthlyFee } } : undefined;
    case 'skillset':
      return line.agent ? { agent: { ...line.agent, skills: change.params.skills } } : undefined;
    case 'agent-account':
      return line.agent && change.params.name !== undefined ? { agent: { ...line.agent, name: change.params.name } } : undefined;
    case 'cti-team-add': {
      // The CTI keeps an agent in one team at most: the add went through, so this is the agent's only team now.
      if (!line.agent) return undefined;
      const loginId = line.agent.loginId;
      const named = context.agents?.find((a) => a.loginId === loginId);
      const listedAgent = line.installed.find((i) => i.kind === 'cti-agent');
      const agentId = named?.agentId ?? (listedAgent?.kind === 'cti-agent' ? listedAgent.agentId : undefined);
      const team = context.team;
      if (!agentId) return undefined;
      if (line.agent.team === change.target && line.installed.some((i) => ofTeam(i, change.target))) return undefined;
      // A membership the agent had before the change is not Butler's doing: a termination lets it be.
      const membership: InstalledItem[] = team
        ? [{ kind: 'cti-team-member', teamId: team.id, team: team.name, agentId, origin: named?.member ? 'adopted' : 'created' }]
        : [];
      return { agent: { ...line.agent, team: change.target }, installed: [...line.installed.filter((i) => i.kind !== 'cti-team-member'), ...membership] };
    }
    case 'cti-team-remove': {
      if (!line.agent) return undefined;
      const listed = line.installed.filter((i) => ofTeam(i, change.target));
      const wasIn = line.agent.team === change.target || listed.length > 0;
      if (!wasIn) return undefined;
      return { agent: { ...line.agent, team: null }, installed: line.installed.filter((i) => !listed.includes(i)) };
    }
    default:
      return undefined;
  }
}

/** The same fields as the line holds them now: the `before` of its history entry. */
export function fieldsOf(line: LineState, after: LineFields): LineFields {
  return Object.fromEntries(Object.keys(after).map((k) => [k, line[k as keyof LineFields]])) as LineFields;
}

/** The history entry type a change leaves on a line it altered. */
export const changedBy = (changeId: string) => `changed-by:${changeId}`;

/** What the activity reports to the change: each line it altered, or why none. */
export interface LineFollowResult {
  updated: Array<{ lineId: string; seq: number; before: LineFields; after: LineFields }>;
  /** Set when no line record changed: why. */
  unchanged?: string;
}
