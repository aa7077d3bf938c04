import { randomUUID } from 'node:crypto';

/**
 * The emulator's whole world, in memory. Records hold what Genesys would keep;
 * the JSON a client sees is built from them in the route files (views.ts for
 * the shapes several resources share).
 */

export type UserState = 'active' | 'inactive' | 'deleted';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  department?: string;
  title?: string;
  state: UserState;
  version: number;
  dateCreated: string;
  /** skillId → proficiency (0–5). */
  skills: Map<string, number>;
}

export interface SkillRecord {
  id: string;
  name: string;
  dateModified: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  description?: string;
  dateCreated: string;
  dateModified: string;
  memberIds: Set<string>;
}

export interface QueueRecord {
  id: string;
  name: string;
  /** Genesys puts every queue in one division; Butler's centers are divisions (e.g. 상담1센터). */
  divisionId: string;
  description?: string;
  dateCreated: string;
  dateModified: string;
  memberIds: Set<string>;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  description?: string;
  /** Local date-times (no offset) in the time zone of the group that uses the schedule. */
  start: string;
  end: string;
  rrule?: string;
  version: number;
  dateCreated: string;
  dateModified: string;
}

export interface ScheduleGroupRecord {
  id: string;
  name: string;
  description?: string;
  timeZone: string;
  openScheduleIds: string[];
  closedScheduleIds: string[];
  holidayScheduleIds: string[];
  version: number;
  dateCreated: string;
  dateModified: string;
}

export interface RoleRecord {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  /** Every new user is given the default role (Genesys: the "employee" role). */
  isDefault: boolean;
  /** Licences a holder of the role consumes: how Genesys infers licences from roles. */
  baseLicense?: string;
  addonLicenses: string[];
  userIds: Set<string>;
}

export interface LicenceRecord {
  id: string;
  description: string;
  permissions: string[];
  /** Seats bought, reported as the billing usage's prepayQuantity. */
  prepayQuantity: number;
  partNumber: string;
}

export interface DivisionRecord {
  id: string;
  name: string;
  description?: string;
}

/** A day of one queue's calls fixed by a test (`PUT /__emulator/call-volume`) instead of the synthetic volume. */
export interface CallVolumePin {
  queueId: string;
  /** Local date YYYY-MM-DD in Asia/Seoul. */
  date: string;
  offered: number;
  answered: number;
}

/**
 * A day of one agent's calls fixed by a test (`PUT /__emulator/agent-calls`): replaces every leg
 * the synthetic model gives the agent that day (the calls its queues hand it, and its own).
 */
export interface AgentCallsPin {
  userId: string;
  /** Local date YYYY-MM-DD in Asia/Seoul. */
  date: string;
  inboundCalls: number;
  inboundTalkSeconds: number;
  outboundCalls: number;
  outboundTalkSeconds: number;
}

export interface CtiState {
  org: { id: string; name: string };
  /** The home division: where anything created without a division goes. */
  division: DivisionRecord;
  /** Every division, the home division included. */
  divisions: Map<string, DivisionRecord>;
  users: Map<string, UserRecord>;
  skills: Map<string, SkillRecord>;
  teams: Map<string, TeamRecord>;
  queues: Map<string, QueueRecord>;
  schedules: Map<string, ScheduleRecord>;
  scheduleGroups: Map<string, ScheduleGroupRecord>;
  roles: Map<string, RoleRecord>;
  licences: Map<string, LicenceRecord>;
  /** Keyed by `callVolumeKey(queueId, date)`. */
  callVolumePins: Map<string, CallVolumePin>;
  /** Keyed by `agentCallsKey(userId, date)`. */
  agentCallsPins: Map<string, AgentCallsPin>;
}

export function emptyState(): CtiState {
  const home: DivisionRecord = { id: randomUUID(), name: 'Home', description: 'Home division' };
  return {
    org: { id: randomUUID(), name: 'Butler CTI Emulator' },
    division: home,
    divisions: new Map([[home.id, home]]),
    users: new Map(),
    skills: new Map(),
    teams: new Map(),
    queues: new Map(),
    schedules: new Map(),
    scheduleGroups: new Map(),
    roles: new Map(),
    licences: new Map(),
    callVolumePins: new Map(),
    agentCallsPins: new Map(),
  };
}

export function callVolumeKey(queueId: string, date: string): string {
  return `${queueId}|${date}`;
}

export function agentCallsKey(userId: string, date: string): string {
  return `${userId}|${date}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Genesys compares names case-insensitively when it refuses duplicates. */
export function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

export function byName<T extends { name: string; id: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name, 'ko') || a.id.localeCompare(b.id);
}

export function liveUsers(state: CtiState): UserRecord[] {
  return [...state.users.values()].filter((u) => u.state !== 'deleted');
}

/** Routes read the state through this at request time, so a reset swaps the whole world at once. */
export interface StateHolder {
  state: CtiState;
}
