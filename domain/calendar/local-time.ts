import { SEOUL_OFFSET_MINUTES } from './seoul';

/**
 * Instants ↔ wall-clock dates in a fixed UTC offset, in plain arithmetic.
 * Runs inside the workflow sandbox: no Intl, no time-zone database, no clock reads.
 * Asia/Seoul has had no daylight saving since 1988, so a fixed offset is exact.
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const DAY_MS = 86_400_000;

/** Epoch milliseconds of an ISO-8601 instant; throws on anything that is not one. */
export function parseInstant(iso: string): number {
  // A bare date or a zone-less time would be read in the host's zone: not deterministic.
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso)) {
    throw new RangeError(`not an ISO-8601 instant with a zone: ${JSON.stringify(iso)}`);
  }
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** The one spelling every function here returns, so instants compare as strings too. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Days since 1970-01-01 of the local date an instant falls on. */
export function localDayIndex(utcMs: number, offsetMinutes: number): number {
  return Math.floor((utcMs + offsetMinutes * MINUTE_MS) / DAY_MS);
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfDay(dayIndex: number): number {
  return ((((dayIndex + 3) % 7) + 7) % 7) + 1;
}

export function isoDateOfDay(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

/** Day index of a YYYY-MM-DD date; throws on impossible dates such as 2026-02-30. */
export function dayOfIsoDate(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms) || isoDateOfDay(ms / DAY_MS) !== date) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return ms / DAY_MS;
}

/** Milliseconds after local midnight of an "HH:MM" time of day. */
export function timeOfDayMs(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new RangeError(`not an HH:MM time: ${JSON.stringify(hhmm)}`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  // 24:00 is allowed so a calendar can say "until midnight".
  if (minutes > 59 || hours * 60 + minutes > 24 * 60) throw new RangeError(`not an HH:MM time: ${hhmm}`);
  return (hours * 60 + minutes) * MINUTE_MS;
}

/** "2026-03-02 09:00" (seconds only when not zero) in the given offset. */
export function formatLocal(utcMs: number, offsetMinutes: number): string {
  const local = new Date(utcMs + offsetMinutes * MINUTE_MS).toISOString();
  const seconds = local.slice(17, 19);
  return `${local.slice(0, 10)} ${local.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}

/** "2026-03-02 09:00 → 12:00 KST": the end's date is left out when it is the same day. */
export function formatLocalRange(fromMs: number, toMs: number, offsetMinutes: number): string {
  const from = formatLocal(fromMs, offsetMinutes);
  const to = formatLocal(toMs, offsetMinutes);
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return `${from} → ${sameDay ? to.slice(11) : to} ${zoneLabel(offsetMinutes)}`;
}

export function zoneLabel(offsetMinutes: number): string {
  if (offsetMinutes === SEOUL_OFFSET_MINUTES) return 'KST';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
