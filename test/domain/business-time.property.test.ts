import fc from 'fast-check';
import { addBusinessSeconds, businessSecondsBetween, isBusinessInstant } from '../../domain/calendar/business-time';
import { wallSecondsBetween } from '../../domain/calendar/clock-math';
import { BUSINESS_DAY, KR_CALENDAR } from './fixtures';

const cal = KR_CALENDAR;
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (instant: string) => Date.parse(instant);

/** Any millisecond from late 2024 to early 2028, so spans cross every year boundary in the data. */
const anyInstant = fc.integer({ min: Date.parse('2024-12-20T00:00:00Z'), max: Date.parse('2028-01-10T00:00:00Z') }).map(iso);
/** Instants on and next to the window edges (KST midnight, 09:00, 18:00), where off-by-ones hide. */
const edgeInstant = fc
  .tuple(
    fc.integer({ min: 0, max: 1115 }),
    fc.constantFrom(0, 9, 18).map((hour) => hour * 3600_000),
    fc.constantFrom(-1, 0, 1),
  )
  .map(([day, hourMs, nudge]) => iso(Date.parse('2024-12-20T00:00:00+09:00') + day * 86_400_000 + hourMs + nudge));
const instant = fc.oneof(anyInstant, edgeInstant);
/** Up to 40 business days, in whole seconds. */
const businessSeconds = fc.integer({ min: 0, max: 40 * BUSINESS_DAY });
const orderedPair = fc.tuple(instant, instant).map(([a, b]): [string, string] => (a <= b ? [a, b] : [b, a]));

/** A deliberately naive reference: walk minute by minute, reading the wall clock in KST. */
function referenceBusinessMinutes(fromMinuteMs: number, toMinuteMs: number): number {
  const holidays = new Set(cal.holidays);
  let minutes = 0;
  for (let t = fromMinuteMs; t < toMinuteMs; t += 60_000) {
    const local = new Date(t + 9 * 3600_000);
    const weekday = local.getUTCDay();
    const hour = local.getUTCHours();
    const date = local.toISOString().slice(0, 10);
    if (weekday >= 1 && weekday <= 5 && !holidays.has(date) && hour >= 9 && hour < 18) minutes++;
  }
  return minutes;
}

describe('business time: properties', () => {
  it('businessSecondsBetween undoes addBusinessSeconds', () => {
    fc.assert(
      fc.property(instant, businessSeconds, (from, seconds) => {
        expect(businessSecondsBetween(cal, from, addBusinessSeconds(cal, from, seconds))).toBe(seconds);
      }),
    );
  });

  it('adding the business time between a and b lands at the earliest instant with that much elapsed, never after b', () => {
    fc.assert(
      fc.property(orderedPair, ([from, to]) => {
        const between = businessSecondsBetween(cal, from, to);
        const landed = addBusinessSeconds(cal, from, between);
        expect(ms(landed)).toBeLessThanOrEqual(ms(to));
        expect(businessSecondsBetween(cal, from, landed)).toBe(between);
        if (between > 0) expect(businessSecondsBetween(cal, from, iso(ms(landed) - 1))).toBeLessThan(between);
      }),
    );
  });

  it('is monotonic in both the seconds added and the end instant', () => {
    fc.assert(
      fc.property(instant, businessSeconds, businessSeconds, (from, s1, s2) => {
        const [low, high] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(ms(addBusinessSeconds(cal, from, low))).toBeLessThanOrEqual(ms(addBusinessSeconds(cal, from, high)));
      }),
    );
    fc.assert(
      fc.property(instant, orderedPair, (from, [to1, to2]) => {
        expect(businessSecondsBetween(cal, from, to1)).toBeLessThanOrEqual(businessSecondsBetween(cal, from, to2));
      }),
    );
  });

  it('never counts more business seconds than wall seconds', () => {
    fc.assert(
      fc.property(instant, instant, (from, to) => {
        expect(businessSecondsBetween(cal, from, to)).toBeLessThanOrEqual(wallSecondsBetween(from, to));
      }),
    );
  });

  it('adds up over consecutive spans', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort();
        expect(businessSecondsBetween(cal, a, b) + businessSecondsBetween(cal, b, c)).toBeCloseTo(businessSecondsBetween(cal, a, c), 6);
      }),
    );
  });

  it('lands in business time when adding more than 0 (the instant just before the result is business time)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 * BUSINESS_DAY }), (from, seconds) => {
        const landed = addBusinessSeconds(cal, from, seconds);
        expect(isBusinessInstant(cal, iso(ms(landed) - 1))).toBe(true);
      }),
    );
  });

  it('agrees with a minute-by-minute reference over spans of up to 12 days', () => {
    const minute = fc.integer({ min: Date.parse('2024-12-20T00:00:00Z') / 60_000, max: Date.parse('2028-01-10T00:00:00Z') / 60_000 });
    fc.assert(
      fc.property(minute, fc.integer({ min: 0, max: 12 * 24 * 60 }), (fromMinute, lengthMinutes) => {
        const from = fromMinute * 60_000;
        const to = from + lengthMinutes * 60_000;
        expect(businessSecondsBetween(cal, iso(from), iso(to))).toBe(referenceBusinessMinutes(from, to) * 60);
      }),
      { numRuns: 200 },
    );
  });
});
