import type { IdempotencyKey } from '../pbx/pbx-client';

/**
 * What Butler asks of the contact-center platform (CTI). The implementation
 * (`genesys-cti.ts`) speaks the Genesys Cloud Platform API shape; Butler's CTI
 * emulator (emulators/cti) serves that subset for development and tests.
 *
 * Mutating calls take an idempotency key (sent as `Idempotency-Key`, which
 * Genesys ignores: it has no idempotency keys); failures are VendorError
 * subclasses (vendor-errors.ts). Lookups by name return undefined when nothing
 * matches, lookups by id throw VendorNotFoundError.
 *
 * Creates are idempotent on the real vendor by their natural key (a user's
 * login e-mail, a team's or skill's name): each looks the object up first and
 * returns the one it finds (`adopted: true`) instead of creating a second; a
 * create answered 409 (taken meanwhile, or by this caller's own earlier
 * request whose response was lost) is looked up again and adopted.
 */

/** What a create returns: the object, and whether it was found (adopted) rather than made by this call. */
export type Ensured<T> = T & { adopted: boolean };

export interface CtiAgent {
  id: string;
  /** Login id (Genesys `username`/`email`). */
  loginId: string;
  name: string;
  state: 'active' | 'inactive' | 'deleted';
}

export interface CtiTeam {
  id: string;
  name: string;
}

export interface CtiSkill {
  id: string;
  name: string;
}

export interface AgentSkill {
  skillId: string;
  name: string;
  /** 0–5 as in Genesys. */
  proficiency: number;
}

export interface CtiQueue {
  id: string;
  name: string;
}

/** One holiday (or other closure) of an IVR schedule group. */
export interface IvrScheduleEntry {
  id?: string;
  name: string;
  /** Local date YYYY-MM-DD in the schedule's time zone; closed the whole day. */
  date: string;
}

export interface IvrHolidaySchedule {
  /** The schedule group the IVR consults (e.g. "센터1 휴일"). */
  groupId: string;
  groupName: string;
  timeZone: string;
  holidays: IvrScheduleEntry[];
}

export interface LicenceUsage {
  licence: string;
  assigned: number;
  total: number;
}

/**
 * Whole local days [from, to) in `timeZone`. Each bound is a date (YYYY-MM-DD:
 * that day's midnight) or an instant with an offset that is a local midnight,
 * e.g. domain/report/periods' quarterBounds for Asia/Seoul.
 */
export interface CallVolumeRange {
  from: string;
  to: string;
  timeZone: string;
}

/** Inbound voice calls of one center on one local day. */
export interface CenterCallVolume {
  /** Local date YYYY-MM-DD in the range's time zone. */
  date: string;
  /** The center: the division of the queues the calls came to (e.g. 상담1센터). */
  center: string;
  offered: number;
  answered: number;
}

/** One agent's calls on one local day: those it took, those it placed, and their talk time. */
export interface AgentDayTalk {
  agentId: string;
  /** Local date YYYY-MM-DD in the range's time zone. */
  date: string;
  callsIn: number;
  callsOut: number;
  talkSeconds: number;
}

export interface CtiClient {
  createAgent(agent: { loginId: string; name: string }, idem: IdempotencyKey): Promise<Ensured<CtiAgent>>;
  getAgent(id: string): Promise<CtiAgent>;
  /** The live (not deleted) agent with this login, if any. */
  findAgentByLogin(loginId: string): Promise<CtiAgent | undefined>;
  updateAgent(id: string, patch: { name?: string; state?: 'active' | 'inactive' }, idem: IdempotencyKey): Promise<CtiAgent>;
  deleteAgent(id: string, idem: IdempotencyKey): Promise<void>;

  findTeamByName(name: string): Promise<CtiTeam | undefined>;
  createTeam(name: string, idem: IdempotencyKey): Promise<Ensured<CtiTeam>>;
  listTeamMembers(teamId: string): Promise<string[]>;
  addTeamMembers(teamId: string, agentIds: string[], idem: IdempotencyKey): Promise<void>;
  removeTeamMembers(teamId: string, agentIds: string[], idem: IdempotencyKey): Promise<void>;

  findSkillByName(name: string): Promise<CtiSkill | undefined>;
  createSkill(name: string, idem: IdempotencyKey): Promise<Ensured<CtiSkill>>;
  getAgentSkills(agentId: string): Promise<AgentSkill[]>;
  /** Replaces the agent's whole skill set (PUT …/routingskills/bulk). */
  setAgentSkills(agentId: string, skills: Array<{ skillId: string; proficiency: number }>, idem: IdempotencyKey): Promise<AgentSkill[]>;

  findQueueByName(name: string): Promise<CtiQueue | undefined>;
  listQueueMembers(queueId: string): Promise<string[]>;
  addQueueMembers(queueId: string, agentIds: string[], idem: IdempotencyKey): Promise<void>;
  removeQueueMembers(queueId: string, agentIds: string[], idem: IdempotencyKey): Promise<void>;

  getIvrHolidaySchedule(groupName: string): Promise<IvrHolidaySchedule | undefined>;
  /** Makes the group's holidays exactly `holidays` (creates the group when missing). */
  setIvrHolidaySchedule(groupName: string, timeZone: string, holidays: IvrScheduleEntry[], idem: IdempotencyKey): Promise<IvrHolidaySchedule>;

  /** Agents holding a recording-system account (the recording role). */
  listRecordingUsers(): Promise<string[]>;
  grantRecordingUser(agentId: string, idem: IdempotencyKey): Promise<void>;
  revokeRecordingUser(agentId: string, idem: IdempotencyKey): Promise<void>;

  licenceUsage(): Promise<LicenceUsage[]>;

  /**
   * Daily call volume per center, summed over the center's queues: a row for
   * every day of the range and every center that took a call in it (0 on days
   * it took none), by date then center. Calls that reached no queue are not
   * counted; calls of a queue whose center cannot be found fail the call.
   */
  callVolume(range: CallVolumeRange): Promise<CenterCallVolume[]>;
  /** Every agent's days with talk in [from, to) (conversation aggregates: tTalkComplete by agent and direction). */
  agentTalk(range: CallVolumeRange): Promise<AgentDayTalk[]>;
}
