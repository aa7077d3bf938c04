import { createHash } from 'node:crypto';
import { check, sameJson, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';
import { calendarHolidays, holidayRange, inRange, IVR_TIME_ZONE, sortedEntries, withCalendar, type HolidayEntry } from './ivr-holiday-calendar';

/** Pushes Butler's holiday calendar to an IVR schedule group (IVR 휴일 설정). */

type IvrHolidaysChange = ChangeOf<'ivr-holidays'>;

export type IvrHolidaysSnapshot = {
  group: string;
  /** False when the group did not exist: a restore then leaves it with no holidays. */
  existed: boolean;
  timeZone: string | null;
  holidays: HolidayEntry[];
};

export function ivrHolidaysHandler({ pool, cti }: ChangeHandlerDeps): ChangeHandler<IvrHolidaysChange, IvrHolidaysSnapshot> {
  return {
    async snapshot({ target: group, params }) {
      holidayRange(params, new Date()); // refuses an empty range before anything is touched
      const current = await cti.getIvrHolidaySchedule(group);
      if (!current) return { group, existed: false, timeZone: null, holidays: [] };
      return { group, existed: true, timeZone: current.timeZone, holidays: sortedEntries(current.holidays) };
    },

    async apply({ target: group, params }, _snapshot, keys) {
      const range = holidayRange(params, new Date());
      const [current, calendar] = await Promise.all([cti.getIvrHolidaySchedule(group), calendarHolidays(pool, range)]);
      const wanted = withCalendar(current?.holidays ?? [], calendar, range);
      if (current && current.timeZone === IVR_TIME_ZONE && sameJson(sortedEntries(current.holidays), wanted)) return;
      // The calendar may be corrected between two attempts: a different push is a different operation, hence its own key.
      await cti.setIvrHolidaySchedule(group, IVR_TIME_ZONE, wanted, keys(`schedule:${digest(wanted)}`));
    },

    async verify({ target: group, params }) {
      const range = holidayRange(params, new Date());
      const [current, calendar] = await Promise.all([cti.getIvrHolidaySchedule(group), calendarHolidays(pool, range)]);
      if (!current) return verification([check(`IVR schedule group ${group}`, 'present', 'absent')]);
      const dates = (entries: HolidayEntry[]) => [...new Set(entries.map((e) => e.date))].sort();
      return verification([
        check(`time zone of ${group}`, IVR_TIME_ZONE, current.timeZone),
        check(`holidays of ${group} ${range.from}..${range.to}`, dates(calendar), dates(current.holidays.filter((h) => inRange(range, h.date)))),
      ]);
    },

    async restore({ target: group }, snapshot, keys) {
      const current = await cti.getIvrHolidaySchedule(group);
      // The push never landed on a group that did not exist: nothing to put back.
      if (!current && !snapshot.existed) return;
      const timeZone = snapshot.timeZone ?? IVR_TIME_ZONE;
      if (current && current.timeZone === timeZone && sameJson(sortedEntries(current.holidays), snapshot.holidays)) return;
      await cti.setIvrHolidaySchedule(group, timeZone, snapshot.holidays, keys('schedule'));
    },
  };
}

function digest(entries: HolidayEntry[]): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 12);
}
