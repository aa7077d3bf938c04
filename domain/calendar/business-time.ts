import type { BusinessCalendar } from '../sla/model';
import { DAY_MS, MINUTE_MS, SECOND_MS, formatInstant, isoDateOfDay, isoWeekdayOfDay, localDayIndex, parseInstant, timeOfDayMs } from './local-time';

/**
 * Business time over a BusinessCalendar: workdays between dayStart and dayEnd in the
 * calendar's fixed offset, minus holidays. Windows are half-open, [09:00, 18:00).
 *
 * Every loop walks at most one step per calendar day, so adding a month of business
 * seconds costs about a hundred iterations. Pure: safe inside workflow code.
 */

export interface CompiledCalendar {
  offsetMs: number;
  offsetMinutes: number;
  dayStartMs: number;
  dayEndMs: number;
  workdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
}

export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  const dayStartMs = timeOfDayMs(calendar.dayStart);
  const dayEndMs = timeOfDayMs(calendar.dayEnd);
  const workdays = new Set(calendar.workdays);
  // Without at least one working window a week, "add business time" would never end.
  if (dayEndMs <= dayStartMs) throw new RangeError(`business day ends before it starts: ${calendar.dayStart}–${calendar.dayEnd}`);
  if (workdays.size === 0) throw new RangeError('business calendar has no workdays');
  return {
    offsetMs: calendar.utcOffsetMinutes * MINUTE_MS,
    offsetMinutes: calendar.utcOffsetMinutes,
    dayStartMs,
    dayEndMs,
    workdays,
    holidays: new Set(calendar.holidays),
  };
}

export type DayKind = 'workday' | 'weekend' | 'holiday';

export function kindOfDay(cal: CompiledCalendar, dayIndex: number): DayKind {
  if (!cal.workdays.has(isoWeekdayOfDay(dayIndex))) return 'weekend';
  return cal.holidays.has(isoDateOfDay(dayIndex)) ? 'holiday' : 'workday';
}

/** The day's working window in local milliseconds, or null on weekends and holidays. */
function windowOfDay(cal: CompiledCalendar, dayIndex: number): { start: number; end: number } | null {
  if (kindOfDay(cal, dayIndex) !== 'workday') return null;
  return { start: dayIndex * DAY_MS + cal.dayStartMs, end: dayIndex * DAY_MS + cal.dayEndMs };
}

export function isBusinessMs(cal: CompiledCalendar, utcMs: number): boolean {
  const local = utcMs + cal.offsetMs;
  const window = windowOfDay(cal, Math.floor(local / DAY_MS));
  return window !== null && local >= window.start && local < window.end;
}

/** Business milliseconds in [from, to); 0 when to is not after from. */
export function businessMsBetween(cal: CompiledCalendar, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const from = fromMs + cal.offsetMs;
  const to = toMs + cal.offsetMs;
  let total = 0;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const window = windowOfDay(cal, day);
    if (!window) continue;
    const overlap = Math.min(to, window.end) - Math.max(from, window.start);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** The earliest instant at which `ms` business milliseconds have elapsed since fromMs. */
export function addBusinessMs(cal: CompiledCalendar, fromMs: number, ms: number): number {
  if (ms < 0 || !Number.isFinite(ms)) throw new RangeError(`cannot add ${ms} ms of business time`);
  if (ms === 0) return fromMs;
  const from = fromMs + cal.offsetMs;
  let remaining = ms;
  for (let day = Math.floor(from / DAY_MS); ; day++) {
    const window = windowOfDay(cal, day);
    if (!window) continue;
    const start = Math.max(from, window.start);
    if (start >= window.end) continue;
    // "<=" so that a target ending exactly at 18:00 lands at 18:00, not at 09:00 next day.
    if (remaining <= window.end - start) return start + remaining - cal.offsetMs;
    remaining -= window.end - start;
  }
}

/** Seconds → whole milliseconds, rounding up so "at least N seconds" stays true. */
export function secondsToMs(seconds: number): number {
  if (seconds < 0 || !Number.isFinite(seconds)) throw new RangeError(`invalid number of seconds: ${seconds}`);
  return Math.ceil(seconds * SECOND_MS - 1e-6);
}

export function isBusinessInstant(calendar: BusinessCalendar, iso: string): boolean {
  return isBusinessMs(compileCalendar(calendar), parseInstant(iso));
}

/** Business seconds between two instants; 0 when toIso is not after fromIso. */
export function businessSecondsBetween(calendar: BusinessCalendar, fromIso: string, toIso: string): number {
  return businessMsBetween(compileCalendar(calendar), parseInstant(fromIso), parseInstant(toIso)) / SECOND_MS;
}

/**
 * The earliest instant (UTC ISO) at which `seconds` business seconds have elapsed since
 * fromIso. Adding 0 returns fromIso itself, even outside business hours.
 */
export function addBusinessSeconds(calendar: BusinessCalendar, fromIso: string, seconds: number): string {
  return formatInstant(addBusinessMs(compileCalendar(calendar), parseInstant(fromIso), secondsToMs(seconds)));
}

/** What a span of time looked like day by day, for explanations to people. */
export interface BusinessDay {
  date: string;
  kind: DayKind;
  /** The part of the span inside this day's business window; null when none. */
  counted: { fromMs: number; toMs: number } | null;
}

export function businessDaysBetween(cal: CompiledCalendar, fromMs: number, toMs: number): BusinessDay[] {
  const days: BusinessDay[] = [];
  if (toMs <= fromMs) return days;
  const lastDay = localDayIndex(toMs - 1, cal.offsetMinutes);
  for (let day = localDayIndex(fromMs, cal.offsetMinutes); day <= lastDay; day++) {
    const window = windowOfDay(cal, day);
    const start = window ? Math.max(fromMs, window.start - cal.offsetMs) : 0;
    const end = window ? Math.min(toMs, window.end - cal.offsetMs) : 0;
    days.push({
      date: isoDateOfDay(day),
      kind: kindOfDay(cal, day),
      counted: window && end > start ? { fromMs: start, toMs: end } : null,
    });
  }
  return days;
}
