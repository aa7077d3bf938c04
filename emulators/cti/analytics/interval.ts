import { badRequest, notImplementedError } from '../genesys-errors';
import { addLocalDays } from '../time-zone';

/**
 * The time side of an analytics query: `interval` ("<start>/<end>", ISO-8601
 * instants, each with its own offset; none means UTC), at most 93 days, cut
 * into buckets of `granularity`. Day-long granularities step in local days of
 * `timeZone` when one is given (so a bucket stays midnight to midnight across
 * a clock change); otherwise, as Genesys does, every bucket has the same length
 * counted from the interval's start. The last bucket ends with the interval.
 */

export const MAX_INTERVAL_DAYS = 93;
const DAY_MS = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

type Step = { ms: number } | { days: number };

/** Granularities Genesys documents; P1M is real but calendar months are not emulated. */
const GRANULARITIES: Record<string, Step | 'not-emulated'> = {
  PT15M: { ms: 15 * 60_000 },
  PT30M: { ms: 30 * 60_000 },
  PT1H: { ms: 3_600_000 },
  P1D: { days: 1 },
  P7D: { days: 7 },
  P1W: { days: 7 },
  P1M: 'not-emulated',
};

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseInterval(text: string): Interval {
  const [startText, endText, ...rest] = text.split('/');
  const start = parseInstant(startText ?? '');
  const end = parseInstant(endText ?? '');
  const bad = (why: string) => badRequest(`interval ${text}: ${why}`, [{ fieldName: 'interval' }]);
  if (rest.length > 0 || start === undefined || end === undefined) throw bad('expected <ISO-8601 start>/<ISO-8601 end>');
  if (end <= start) throw bad('the end must be after the start');
  if (end - start > MAX_INTERVAL_DAYS * DAY_MS) throw bad(`an aggregate query covers at most ${MAX_INTERVAL_DAYS} days`);
  return { start, end };
}

/** Milliseconds since the epoch, or undefined when the text is not a real instant (2026-02-30 is not). */
function parseInstant(text: string): number | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return undefined;
  if (mi > 59 || s > 59) return undefined;
  return wall - offsetMinutes(m[8]) * 60_000;
}

function offsetMinutes(text: string | undefined): number {
  if (!text || text === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return text.startsWith('-') ? -minutes : minutes;
}

/** [start, end) of each bucket, in order. */
export function buckets(interval: Interval, granularity: string | undefined, timeZone: string | undefined): Array<[number, number]> {
  if (granularity === undefined) return [[interval.start, interval.end]];
  const step = GRANULARITIES[granularity];
  if (step === 'not-emulated') throw notImplementedError(`Granularity ${granularity}`);
  if (!step) throw badRequest(`granularity ${granularity} is not one of ${Object.keys(GRANULARITIES).join(', ')}`, [{ fieldName: 'granularity' }]);
  const next = (from: number): number => {
    if ('ms' in step) return from + step.ms;
    return timeZone ? addLocalDays(from, step.days, timeZone) : from + step.days * DAY_MS;
  };
  const result: Array<[number, number]> = [];
  for (let from = interval.start; from < interval.end; from = next(from)) result.push([from, Math.min(next(from), interval.end)]);
  return result;
}

export function isoInterval([start, end]: [number, number]): string {
  return `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
}
