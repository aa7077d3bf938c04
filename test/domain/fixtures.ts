import { makeCalendar } from '../../domain/calendar/calendar-version';
import { koreanHolidayDates } from '../../domain/calendar/holidays-kr';
import type { BusinessCalendar } from '../../domain/sla/model';

/** The reviewed Korean calendar, as the API would build it. */
export const KR_CALENDAR: BusinessCalendar = makeCalendar(koreanHolidayDates());

/** "2026-03-06 17:00" (or with ":SS") in KST → the UTC ISO spelling the domain returns. */
export function kst(local: string): string {
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  return new Date(`${withSeconds.replace(' ', 'T')}+09:00`).toISOString();
}

export const HOUR = 3600;
/** One full business day, 09:00–18:00. */
export const BUSINESS_DAY = 9 * HOUR;
