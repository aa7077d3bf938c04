import type { BusinessCalendar, ClockKind } from '../sla/model';
import { addBusinessMs, businessMsBetween, compileCalendar, isBusinessMs, secondsToMs } from './business-time';
import { SECOND_MS, formatInstant, parseInstant } from './local-time';

/**
 * One interface over both SLA clocks, so the SLA code never branches on 24×7 vs business.
 * Millisecond methods keep sums exact; the second-based ones are for callers.
 */
export interface ClockMath {
  kind: ClockKind;
  /** Counted milliseconds in [from, to); 0 when to is not after from. */
  msBetween(fromMs: number, toMs: number): number;
  /** The earliest instant at which `ms` counted milliseconds have elapsed since fromMs. */
  addMs(fromMs: number, ms: number): number;
  /** Whether the clock counts at this instant. */
  countsAt(utcMs: number): boolean;
  secondsBetween(fromIso: string, toIso: string): number;
  addSeconds(fromIso: string, seconds: number): string;
}

export function wallSecondsBetween(fromIso: string, toIso: string): number {
  return Math.max(0, parseInstant(toIso) - parseInstant(fromIso)) / SECOND_MS;
}

export function addWallSeconds(fromIso: string, seconds: number): string {
  return formatInstant(parseInstant(fromIso) + secondsToMs(seconds));
}

/** The business clock needs its calendar; the 24×7 clock ignores it. */
export function clockMath(kind: ClockKind, calendar?: BusinessCalendar): ClockMath {
  const counting = kind === '24x7' ? wallCounting() : businessCounting(calendar ?? missingCalendar());
  return {
    kind,
    ...counting,
    secondsBetween: (fromIso, toIso) => counting.msBetween(parseInstant(fromIso), parseInstant(toIso)) / SECOND_MS,
    addSeconds: (fromIso, seconds) => formatInstant(counting.addMs(parseInstant(fromIso), secondsToMs(seconds))),
  };
}

type Counting = Pick<ClockMath, 'msBetween' | 'addMs' | 'countsAt'>;

function wallCounting(): Counting {
  return {
    msBetween: (fromMs, toMs) => Math.max(0, toMs - fromMs),
    addMs: (fromMs, ms) => {
      if (ms < 0 || !Number.isFinite(ms)) throw new RangeError(`cannot add ${ms} ms of wall time`);
      return fromMs + ms;
    },
    countsAt: () => true,
  };
}

function businessCounting(calendar: BusinessCalendar): Counting {
  const compiled = compileCalendar(calendar);
  return {
    msBetween: (fromMs, toMs) => businessMsBetween(compiled, fromMs, toMs),
    addMs: (fromMs, ms) => addBusinessMs(compiled, fromMs, ms),
    countsAt: (utcMs) => isBusinessMs(compiled, utcMs),
  };
}

function missingCalendar(): never {
  throw new TypeError('the business-hours clock needs a BusinessCalendar');
}
