import { VendorValidationError } from '../vendor-errors';

/**
 * Local days in an IANA time zone, with Intl alone: where a day starts as an
 * instant, how to write that instant with its offset for Genesys, and which
 * local date an instant falls on. "Wall time" is a local date-time written as
 * if it were UTC milliseconds. (The CTI emulator keeps its own copy: it must
 * not depend on the adapter it stands in for.)
 */

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    const numeric = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', ...numeric });
    formatters.set(zone, f);
  }
  return f;
}

function wallTime(instant: number, zone: string): number {
  const p = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(instant))
      .map((x) => [x.type, Number(x.value)]),
  );
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The instant a local date begins in `zone`. */
export function localMidnight(date: string, zone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const guess = wall - (wallTime(wall, zone) - wall);
  return wall - (wallTime(guess, zone) - guess);
}

/** The local date YYYY-MM-DD in `zone` at `instant`. */
export function localDate(instant: number, zone: string): string {
  return new Date(wallTime(instant, zone)).toISOString().slice(0, 10);
}

/** e.g. 2026-04-01T00:00:00+09:00: the local time with its offset, as Genesys reads an interval's bounds. */
export function withOffset(instant: number, zone: string): string {
  const offsetMinutes = Math.round((wallTime(instant, zone) - Math.floor(instant / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(wallTime(instant, zone)).toISOString().slice(0, 19)}${sign}${hhmm}`;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `from` up to, not including, `to`. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/**
 * One bound of a range of whole local days, as the local date it starts:
 * either a date (YYYY-MM-DD) or an instant with an offset that is a midnight
 * in `zone` (what domain/report/periods' quarterBounds gives for Asia/Seoul).
 */
export function dayBound(text: string, zone: string, name: string): string {
  if (DATE.test(text)) {
    const at = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(at) || !new Date(at).toISOString().startsWith(text)) throw new VendorValidationError('cti', `${name} ${text} is not a calendar date`);
    return text;
  }
  const at = WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new VendorValidationError('cti', `${name} ${text} is neither a date (YYYY-MM-DD) nor an instant with an offset`);
  const date = localDate(at, zone);
  // Anything else would cut a day in two and count part of it as the whole.
  if (localMidnight(date, zone) !== at)
    throw new VendorValidationError('cti', `${name} ${text} is not a midnight in ${zone}: call volume is counted in whole days`);
  return date;
}
