import type { IdempotencyKey } from '../pbx/pbx-client';
import { VendorConflictError, VendorNotFoundError, VendorTransientError, VendorValidationError } from '../vendor-errors';
import type { IvrHolidaySchedule, IvrScheduleEntry } from './cti-client';
import { withQuery, type GenesysHttp } from './genesys-http';
import type { DomainEntityRef, Schedule, ScheduleGroup } from './genesys-models';

/**
 * The IVR's holidays as Architect keeps them: a schedule group (named, with a
 * time zone) whose holiday schedules are all-day schedules, midnight to
 * midnight local time. Each holiday schedule is named "<group> <date>" (names
 * are unique per org) and carries the holiday's own name as its description.
 */

const GROUPS = '/api/v2/architect/schedulegroups';
const SCHEDULES = '/api/v2/architect/schedules';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function genesysIvrSchedules(http: GenesysHttp) {
  async function findGroup(name: string): Promise<ScheduleGroup | undefined> {
    const groups = await http.listAll<ScheduleGroup>(withQuery(GROUPS, { name, pageSize: 100 }));
    return groups.find((g) => g.name === name);
  }

  async function holidaySchedules(group: ScheduleGroup): Promise<Schedule[]> {
    return Promise.all((group.holidaySchedules ?? []).map((ref) => http.get<Schedule>(`${SCHEDULES}/${ref.id}`)));
  }

  async function get(groupName: string): Promise<IvrHolidaySchedule | undefined> {
    const group = await findGroup(groupName);
    if (!group) return undefined;
    const holidays = (await holidaySchedules(group))
      .map((s) => ({ id: s.id, name: s.description || s.name, date: s.start.slice(0, 10) }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
    return { groupId: group.id, groupName: group.name, timeZone: group.timeZone ?? '', holidays };
  }

  /** Puts a schedule for one holiday in place, adopting a same-named one left behind by an earlier attempt. */
  async function ensureHoliday(groupName: string, holiday: IvrScheduleEntry, key: string, current?: Schedule): Promise<DomainEntityRef> {
    const wanted = { name: `${groupName} ${holiday.date}`, description: holiday.name, ...allDay(holiday.date) };
    const find = async () => (await http.listAll<Schedule>(withQuery(SCHEDULES, { name: wanted.name }))).find((s) => s.name === wanted.name);
    let existing = current ?? (await find());
    if (!existing) {
      try {
        const created = await http.send<Schedule>('POST', SCHEDULES, `${key}:holiday:${holiday.date}`, wanted);
        return { id: created!.id };
      } catch (err) {
        // 409: the name was taken after the lookup (perhaps by an earlier attempt whose answer was lost): adopt it.
        existing = err instanceof VendorConflictError ? await find() : undefined;
        if (!existing) throw err;
      }
    }
    if (existing.description !== wanted.description || existing.start !== wanted.start || existing.end !== wanted.end || existing.rrule) {
      const body = { ...wanted, version: existing.version };
      await http.send('PUT', `${SCHEDULES}/${existing.id}`, `${key}:holiday:${holiday.date}:v${existing.version ?? 0}`, body);
    }
    return { id: existing.id };
  }

  async function set(groupName: string, timeZone: string, holidays: IvrScheduleEntry[], idem: IdempotencyKey): Promise<IvrHolidaySchedule> {
    const wanted = byDate(holidays);
    const group = await findGroup(groupName);
    const current = group ? await holidaySchedules(group) : [];
    const kept = new Map<string, Schedule>();
    for (const s of current) if (isAllDay(s) && wanted.has(s.start.slice(0, 10)) && !kept.has(s.start.slice(0, 10))) kept.set(s.start.slice(0, 10), s);

    const refs: DomainEntityRef[] = [];
    for (const [date, holiday] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
      refs.push(await ensureHoliday(groupName, holiday, idem.key, kept.get(date)));
    }
    if (!group) {
      await http.send('POST', GROUPS, `${idem.key}:group`, { name: groupName, timeZone, holidaySchedules: refs }).catch(async (err: unknown) => {
        // 409: made meanwhile (perhaps by an earlier attempt whose answer was lost); the next attempt finds it and puts it right.
        if (err instanceof VendorConflictError && (await findGroup(groupName)))
          throw new VendorTransientError('cti', `schedule group ${groupName} appeared meanwhile`, { cause: err });
        throw err;
      });
    } else if (group.timeZone !== timeZone || !sameIds(group.holidaySchedules ?? [], refs)) {
      // PUT replaces the group, so everything else it holds is sent back unchanged.
      const body = { ...group, timeZone, holidaySchedules: refs };
      await http.send('PUT', `${GROUPS}/${group.id}`, `${idem.key}:group:v${group.version ?? 0}`, body);
    }
    // Removed from the group first (above), since Architect refuses to delete a schedule a group uses.
    for (const extra of current.filter((s) => !refs.some((r) => r.id === s.id))) await deleteUnlessShared(extra, idem.key);
    const result = await get(groupName);
    if (!result) throw new VendorNotFoundError('cti', `schedule group ${groupName} vanished right after it was written`);
    return result;
  }

  /** A holiday schedule another group still uses is left alone; one already gone is fine. */
  async function deleteUnlessShared(schedule: Schedule, key: string): Promise<void> {
    try {
      await http.send('DELETE', `${SCHEDULES}/${schedule.id}`, `${key}:delete:${schedule.id}`);
    } catch (err) {
      if (!(err instanceof VendorConflictError || err instanceof VendorNotFoundError)) throw err;
    }
  }

  return { get, set };
}

function byDate(holidays: IvrScheduleEntry[]): Map<string, IvrScheduleEntry> {
  const wanted = new Map<string, IvrScheduleEntry>();
  for (const h of holidays) {
    if (!DATE.test(h.date) || Number.isNaN(Date.parse(`${h.date}T00:00:00Z`)))
      throw new VendorValidationError('cti', `holiday ${h.name}: ${h.date} is not a date (YYYY-MM-DD)`);
    if (wanted.has(h.date)) throw new VendorValidationError('cti', `holiday ${h.name}: ${h.date} is listed twice`);
    wanted.set(h.date, h);
  }
  return wanted;
}

function allDay(date: string): { start: string; end: string } {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { start: `${date}T00:00:00.000`, end: `${next.toISOString().slice(0, 10)}T00:00:00.000` };
}

function isAllDay(s: Schedule): boolean {
  const { start, end } = allDay(s.start.slice(0, 10));
  return !s.rrule && s.start === start && s.end === end;
}

function sameIds(a: DomainEntityRef[], b: DomainEntityRef[]): boolean {
  return a.length === b.length && a.every((ref, i) => ref.id === b[i].id);
}
