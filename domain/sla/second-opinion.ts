import type { ClockEvent, ClockKind } from './model';

/**
 * A second, independent evaluation of an incident's SLA, written from the contract in
 * shared/domain.md and not from the workflow's clock (clock.ts): its own reading of the rules,
 * its own business-time arithmetic (whole local days in the calendar's fixed offset), no shared
 * helper. The SLA proof and the what-if report both ask it; a differential property test holds
 * it against computeSla over generated timelines, so one bug cannot hide in both.
 *
 * Where the contract is silent (what else ends the wait for a response, what resumes a customer
 * pend, a reopened incident), it takes the choices the clock documents (clock.ts's header): those
 * readings are shared, so the differential test cannot catch a misreading common to both; it
 * catches the arithmetic and the state machine. The rules:
 * - Response runs from the incident's opening until someone takes it on: assigned (or work
 *   started, or it was resolved, closed or cancelled before anyone was assigned).
 * - Restore runs from the opening until resolved (or closed, or cancelled). It pauses while
 *   the incident is pending on the customer, and runs on while pending on a vendor (the vendor
 *   is the provider's responsibility). A reopened incident runs on from what it had used.
 * - A clock on business hours counts only the calendar's working windows (workdays, day start
 *   to day end, local time), holidays excluded; on 24×7 every second counts.
 * - Breached once the counted time reaches the target; the breach instant is the first moment
 *   the count reaches it.
 */

export interface SecondOpinionCalendar {
  utcOffsetMinutes: number;
  /** ISO weekdays, 1 = Monday. */
  workdays: readonly number[];
  dayStart: string;
  dayEnd: string;
  holidays: readonly string[];
}

export interface SecondOpinionTerms {
  clock: ClockKind;
  responseTargetSeconds: number;
  restoreTargetSeconds: number;
  calendar?: SecondOpinionCalendar;
}

export interface ClockVerdict {
  /** Counted up to `asOf`. */
  elapsedSeconds: number;
  breached: boolean;
  /** When the count reached the target; null when it has not. */
  breachedAt: string | null;
}

export interface SecondOpinion {
  response: ClockVerdict;
  restore: ClockVerdict;
}

const DAY_MS = 86_400_000;

/** [from, to) in epoch ms during which a clock counted. */
type Span = readonly [number, number];

export function secondOpinion(terms: SecondOpinionTerms, events: readonly ClockEvent[], asOf: string): SecondOpinion {
  const end = Date.parse(asOf);
  // Same-instant events keep the order they were given in (the order they happened).
  const timeline = events
    .map((e, i) => ({ e, t: Date.parse(e.at), i }))
    .filter((x) => x.t <= end)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const counter = terms.clock === 'business' ? businessCounter(terms.calendar) : wallCounter;
  return {
    response: judge(responseSpans(timeline, end), terms.responseTargetSeconds * 1000, counter),
    restore: judge(restoreSpans(timeline, end), terms.restoreTargetSeconds * 1000, counter),
  };
}

type Timed = { e: ClockEvent; t: number };

const TAKEN_ON = new Set(['assigned', 'started', 'resolved', 'closed', 'cancelled']);

function responseSpans(timeline: readonly Timed[], end: number): Span[] {
  const start = timeline.findIndex((x) => x.e.type === 'opened');
  if (start < 0) return [];
  const answer = timeline.slice(start + 1).find((x) => TAKEN_ON.has(x.e.type));
  return [[timeline[start]!.t, answer ? answer.t : end]];
}

const RESTORED = new Set(['resolved', 'closed', 'cancelled']);

/** Restore: a small state machine over the events after the opening. */
function restoreSpans(timeline: readonly Timed[], end: number): Span[] {
  const start = timeline.findIndex((x) => x.e.type === 'opened');
  if (start < 0) return [];
  const spans: Span[] = [];
  let state: 'counting' | 'on-customer' | 'restored' = 'counting';
  let since = timeline[start]!.t;
  for (const { e, t } of timeline.slice(start + 1)) {
    const onCustomer = e.type === 'pended' && e.reason === 'customer';
    if (state === 'counting') {
      if (RESTORED.has(e.type)) {
        spans.push([since, t]);
        state = 'restored';
      } else if (onCustomer) {
        spans.push([since, t]);
        state = 'on-customer';
      }
    } else if (state === 'on-customer') {
      if (RESTORED.has(e.type)) state = 'restored';
      else if (e.type === 'resumed' || e.type === 'started' || e.type === 'reopened' || (e.type === 'pended' && !onCustomer)) {
        state = 'counting';
        since = t;
      }
    } else if (e.type === 'reopened') {
      state = 'counting';
      since = t;
    }
  }
  if (state === 'counting') spans.push([since, end]);
  return spans;
}

/** Counts the time of [from, to) that the clock runs on; `reach` finds when `need` ms of it have passed from `from`. */
interface Counter {
  count(from: number, to: number): number;
  reach(from: number, to: number, need: number): number | null;
}

const wallCounter: Counter = {
  count: (from, to) => Math.max(0, to - from),
  reach: (from, to, need) => (from + need <= to ? from + need : null),
};

function businessCounter(calendar: SecondOpinionCalendar | undefined): Counter {
  if (!calendar) throw new Error('a business-hours clock needs its calendar');
  const offset = calendar.utcOffsetMinutes * 60_000;
  const open = minutesOf(calendar.dayStart) * 60_000;
  const close = minutesOf(calendar.dayEnd) * 60_000;
  const holidays = new Set(calendar.holidays);
  const workdays = new Set(calendar.workdays);
  /** The working window of local day `d` (days since 1970-01-01, local), in epoch ms; null if none. */
  const windowOf = (d: number): Span | null => {
    // 1970-01-01 was a Thursday (ISO 4).
    const weekday = ((((d + 3) % 7) + 7) % 7) + 1;
    if (!workdays.has(weekday) || close <= open) return null;
    const date = new Date(d * DAY_MS).toISOString().slice(0, 10);
    if (holidays.has(date)) return null;
    return [d * DAY_MS + open - offset, d * DAY_MS + close - offset];
  };
  const days = (from: number, to: number) => {
    const first = Math.floor((from + offset) / DAY_MS);
    const last = Math.floor((to + offset) / DAY_MS);
    const out: Span[] = [];
    for (let d = first; d <= last; d++) {
      const w = windowOf(d);
      if (!w) continue;
      const a = Math.max(w[0], from);
      const b = Math.min(w[1], to);
      if (b > a) out.push([a, b]);
    }
    return out;
  };
  return {
    count: (from, to) => (to <= from ? 0 : days(from, to).reduce((sum, [a, b]) => sum + (b - a), 0)),
    reach: (from, to, need) => {
      if (to <= from) return need <= 0 ? from : null;
      let left = need;
      for (const [a, b] of days(from, to)) {
        if (b - a >= left) return a + left;
        left -= b - a;
      }
      return null;
    },
  };
}

function judge(spans: readonly Span[], targetMs: number, counter: Counter): ClockVerdict {
  let counted = 0;
  let breachedAt: number | null = null;
  for (const [from, to] of spans) {
    const here = counter.count(from, to);
    if (breachedAt === null && counted + here >= targetMs) breachedAt = counter.reach(from, to, targetMs - counted);
    counted += here;
  }
  return { elapsedSeconds: counted / 1000, breached: breachedAt !== null, breachedAt: breachedAt === null ? null : new Date(breachedAt).toISOString() };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}
