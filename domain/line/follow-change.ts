import type { ChangeRequest, ChangeType } from '../change/contracts';
import type { InstalledItem, LineState } from './contracts';

/**
 * The inventory follows every change (issue 13): which line fields a completed
 * change alters, found how, and what they become. Pure; the change workflow's
 * `recordLineChange` activity applies it to the line's row.
 */

/** The fields of a line a change may alter. */
export type LineFields = Partial<Pick<LineState, 'dn' | 'phone' | 'agent' | 'installed'>>;

/** How the lines a change alters are found: by their DN, or by their agent's CTI login. */
export function lineKeyOf(type: ChangeType): 'dn' | 'loginId' | undefined {
  switch (type) {
    case 'dn-change':
    case 'ip-change':
      return 'dn';
    case 'skillset':
    case 'agent-account':
      return 'loginId';
    default:
      // Dial plan, trunk, team membership, IVR and recording: no field of the line record holds them.
      return undefined;
  }
}

/** The line's fields after the change, or undefined when the change alters none of them (an account state only). */
export function followChange(change: ChangeRequest, line: LineState): LineFields | undefined {
  switch (change.type) {
    case 'dn-change': {
      const { newDn } = change.params;
      const moved = (item: InstalledItem): InstalledItem =>
        (item.kind === 'pbx-extension' || item.kind === 'pbx-phone') && item.dn === line.dn ? { ...item, dn: newDn } : item;
      return { dn: newDn, installed: line.installed.map(moved) };
    }
    case 'ip-change':
      return { phone: { ...line.phone, ip: change.params.ip } };
    case 'skillset':
      return line.agent ? { agent: { ...line.agent, skills: change.params.skills } } : undefined;
    case 'agent-account':
      return line.agent && change.params.name !== undefined ? { agent: { ...line.agent, name: change.params.name } } : undefined;
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
