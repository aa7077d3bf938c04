import fc from 'fast-check';
import { computeSla, type SlaClockTerms } from '../../domain/sla/clock';
import type { BusinessCalendar, ClockEvent, ClockEventType, PendReason } from '../../domain/sla/model';
import { secondOpinion } from '../../domain/sla/second-opinion';
import { HOUR, KR_CALENDAR } from './fixtures';

/**
 * The differential test of the two SLA evaluations: the workflow's clock (computeSla) and the
 * second opinion written from the contract (second-opinion.ts) must agree on every generated
 * timeline — elapsed time, breach, and the breach instant — on 24×7 and on business hours with
 * generated calendars (other hours, workdays, holidays and UTC offsets), events out of order included. A bug in either shows as a disagreement, with the smallest timeline that
 * makes it.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

const openedAt = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-01T00:00:00Z') });

/** Any lifecycle, nonsense orders included, at millisecond precision and with same-instant events. */
const timeline = fc
  .tuple(
    openedAt,
    fc.array(
      fc.record({
        // Mostly forward; sometimes backwards (an event recorded out of order, or before the opening).
        gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 * DAY }), fc.integer({ min: 1, max: 90 * 60_000 }), fc.integer({ min: -2 * DAY, max: -1 })),
        type: fc.constantFrom<ClockEventType>('assigned', 'started', 'pended', 'resumed', 'resolved', 'reopened', 'closed', 'cancelled', 'opened'),
        reason: fc.constantFrom<PendReason>('customer', 'vendor'),
      }),
      { maxLength: 14 },
    ),
    fc.double({ min: 0, max: 1.3, noNaN: true }),
  )
  .map(([start, steps, f]) => {
    const events: ClockEvent[] = [{ seq: 1, at: iso(start), type: 'opened' }];
    let t = start;
    steps.forEach((step, i) => {
      t += step.gapMs;
      events.push({ seq: i + 2, at: iso(t), type: step.type, ...(step.type === 'pended' ? { reason: step.reason } : {}) });
    });
    return { events, asOf: iso(start + Math.round(f * (t - start + 6 * HOUR * 1000))) };
  });

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Calendars as an operator might correct them: other hours, other workdays, holidays added and removed. */
const calendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    startMinutes: fc.integer({ min: 0, max: 12 * 60 }),
    // Other zones than Seoul's too (the calendar carries its offset), half and quarter hours included.
    offset: fc.constantFrom(540, 0, -300, -600, 330, 345, 585, 720, 840),
    lengthMinutes: fc.integer({ min: 30, max: 12 * 60 }),
    workdays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
    dropped: fc.subarray(KR_CALENDAR.holidays.slice(0, 30)),
    added: fc.array(
      fc.integer({ min: 0, max: 3 * 365 }).map((d) => iso(Date.parse('2025-01-01T00:00:00Z') + d * DAY).slice(0, 10)),
      { maxLength: 20 },
    ),
  })
  .map(({ startMinutes, offset, lengthMinutes, workdays, dropped, added }) => ({
    ...KR_CALENDAR,
    utcOffsetMinutes: offset,
    dayStart: hhmm(startMinutes),
    dayEnd: hhmm(Math.min(startMinutes + lengthMinutes, 23 * 60 + 59)),
    workdays: [...workdays].sort(),
    holidays: [...new Set([...KR_CALENDAR.holidays.filter((d) => !dropped.includes(d)), ...added])].sort(),
  }));

const terms = fc.record({
  clock: fc.constantFrom<'24x7' | 'business'>('24x7', 'business'),
  responseTargetSeconds: fc.integer({ min: 1, max: 3 * 9 * HOUR }),
  restoreTargetSeconds: fc.integer({ min: 1, max: 5 * 9 * HOUR }),
  calendar: fc.oneof(fc.constant(KR_CALENDAR), calendar),
});

function agree(snapshot: SlaClockTerms & { calendar: BusinessCalendar }, events: ClockEvent[], asOf: string): void {
  const first = computeSla({ snapshot, events, now: asOf });
  const second = secondOpinion(snapshot, events, asOf);
  for (const name of ['response', 'restore'] as const) {
    const clock = first[name];
    expect({ clock: name, elapsed: second[name].elapsedSeconds, breached: second[name].breached, at: second[name].breachedAt }).toEqual({
      clock: name,
      elapsed: clock.elapsedSeconds,
      breached: clock.breached,
      at: clock.breached ? clock.dueAt : null,
    });
  }
}

describe('the second opinion agrees with the workflow’s clock', () => {
  it('on every generated timeline, clock and calendar', () => {
    fc.assert(
      fc.property(timeline, terms, ({ events, asOf }, t) => agree(t, events, asOf)),
      { numRuns: 1500 },
    );
  });

  it('at the edges: a breach exactly at the end of a working day, an event exactly at opening, a target of one second', () => {
    const business = { clock: 'business' as const, responseTargetSeconds: 1, restoreTargetSeconds: 9 * HOUR, calendar: KR_CALENDAR };
    // Opened Monday 2026-03-09 09:00 KST (the 2nd is the substitute holiday of 3·1절): nine business hours end at 18:00 the same day, not 09:00 the next.
    const monday = [{ at: '2026-03-09T00:00:00.000Z', type: 'opened' as const }];
    agree(business, monday, '2026-03-11T00:00:00.000Z');
    expect(secondOpinion(business, monday, '2026-03-11T00:00:00.000Z').restore.breachedAt).toBe('2026-03-09T09:00:00.000Z');
    // Opened Friday 17:00 KST on a 4-hour target: 1 h on Friday, 3 h on Monday → Monday 12:00.
    const friday = [{ at: '2026-03-06T08:00:00.000Z', type: 'opened' as const }];
    const four = { ...business, restoreTargetSeconds: 4 * HOUR };
    agree(four, friday, '2026-03-10T00:00:00.000Z');
    expect(secondOpinion(four, friday, '2026-03-10T00:00:00.000Z').restore.breachedAt).toBe('2026-03-09T03:00:00.000Z');
  });
});
