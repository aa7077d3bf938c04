import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { listHolidays } from '../../db/holidays.repo';
import type { IvrScheduleEntry } from '../../adapters/cti/cti-client';
import { SEOUL_OFFSET_MS, SEOUL_TIME_ZONE } from '../../domain/calendar/seoul';

/**
 * Which of Butler's holidays go to an IVR schedule group. The calendar is the
 * one the SLA business clock runs on (domain.md: one reviewed calendar feeds both).
 */

export const IVR_TIME_ZONE = SEOUL_TIME_ZONE;

export type HolidayRange = { from: string; to: string };
export type HolidayEntry = { name: string; date: string };

/** The requested range, by default this year and next as the calendar is read in Seoul. */
export function holidayRange(params: { from?: string; to?: string }, now: Date): HolidayRange {
  const thisYear = Number(new Date(now.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 4));
  const range = { from: params.from ?? `${thisYear}-01-01`, to: params.to ?? `${thisYear + 1}-12-31` };
  if (range.from > range.to) {
    throw ApplicationFailure.create({ type: 'Validation', message: `holiday range ${range.from}..${range.to} is empty`, nonRetryable: true });
  }
  return range;
}

export const inRange = ({ from, to }: HolidayRange, date: string): boolean => date >= from && date <= to;

export async function calendarHolidays(pool: Pool, range: HolidayRange): Promise<HolidayEntry[]> {
  const years = [];
  for (let y = Number(range.from.slice(0, 4)); y <= Number(range.to.slice(0, 4)); y++) years.push(y);
  const perYear = await Promise.all(years.map((y) => listHolidays(pool, y)));
  return perYear
    .flat()
    .filter((h) => inRange(range, h.date))
    .map((h) => ({ name: h.name, date: h.date }));
}

/**
 * The group's holidays after a push: Butler's calendar inside the range, and
 * what the group already holds outside it kept, so pushing one month does not
 * erase the rest of the year.
 */
export function withCalendar(current: IvrScheduleEntry[], calendar: HolidayEntry[], range: HolidayRange): HolidayEntry[] {
  return sortedEntries([...current.filter((e) => !inRange(range, e.date)), ...calendar]);
}

export function sortedEntries(entries: IvrScheduleEntry[]): HolidayEntry[] {
  return entries.map((e) => ({ name: e.name, date: e.date })).sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
}
