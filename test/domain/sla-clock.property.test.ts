import fc from 'fast-check';
import { computeSla, nextThreshold, type SlaClockTerms } from '../../domain/sla/clock';
import type { ClockEvent, ClockEventType, ClockState, PendReason, SlaResult } from '../../domain/sla/model';
import { HOUR, KR_CALENDAR } from './fixtures';

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE_MS = 60_000;

const terms = (clock: '24x7' | 'business', response: number, restore: number): SlaClockTerms => ({
  clock,
  responseTargetSeconds: response,
  restoreTargetSeconds: restore,
  calendar: KR_CALENDAR,
});
const clockKind = fc.constantFrom<'24x7' | 'business'>('24x7', 'business');
const target = fc.integer({ min: 60, max: 3 * 9 * HOUR });
const openedAt = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-12-01T00:00:00Z') });

/** Any lifecycle, including nonsense orders: the clock must stay sane whatever it is fed. */
const lifecycle = fc
  .tuple(
    openedAt,
    fc.array(
      fc.record({
        gapMinutes: fc.integer({ min: 0, max: 4 * 24 * 60 }),
        type: fc.constantFrom<ClockEventType>('assigned', 'started', 'pended', 'resumed', 'resolved', 'reopened', 'closed', 'cancelled'),
        reason: fc.constantFrom<PendReason>('customer', 'vendor'),
      }),
      { maxLength: 12 },
    ),
  )
  .map(([start, steps]) => {
    const events: ClockEvent[] = [{ seq: 1, at: iso(start), type: 'opened' }];
    let t = start;
    steps.forEach((step, i) => {
      t += step.gapMinutes * MINUTE_MS;
      events.push({ seq: i + 2, at: iso(t), type: step.type, ...(step.type === 'pended' ? { reason: step.reason } : {}) });
    });
    return { start, end: t, events };
  });

const states = (result: SlaResult): ClockState[] => [result.response, result.restore];

describe('SLA clock: properties', () => {
  it('never lets elapsed time decrease as now advances', () => {
    fc.assert(
      fc.property(
        lifecycle,
        clockKind,
        target,
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        ({ start, end, events }, kind, seconds, f1, f2) => {
          const [early, late] = [f1, f2].sort((a, b) => a - b).map((f) => iso(start + Math.round(f * (end - start + HOUR * 1000))));
          const before = computeSla({ snapshot: terms(kind, seconds, seconds), events, now: early });
          const after = computeSla({ snapshot: terms(kind, seconds, seconds), events, now: late });
          expect(after.response.elapsedSeconds).toBeGreaterThanOrEqual(before.response.elapsedSeconds);
          expect(after.restore.elapsedSeconds).toBeGreaterThanOrEqual(before.restore.elapsedSeconds);
        },
      ),
    );
  });

  it('counts no more on the business clock than on the 24×7 clock, for the same events', () => {
    fc.assert(
      fc.property(lifecycle, ({ end, events }) => {
        const now = iso(end + HOUR * 1000);
        const wall = computeSla({ snapshot: terms('24x7', HOUR, HOUR), events, now });
        const business = computeSla({ snapshot: terms('business', HOUR, HOUR), events, now });
        expect(business.restore.elapsedSeconds).toBeLessThanOrEqual(wall.restore.elapsedSeconds);
        expect(business.response.elapsedSeconds).toBeLessThanOrEqual(wall.response.elapsedSeconds);
      }),
    );
  });

  it('has intervals that are ordered, disjoint and add up to elapsed', () => {
    fc.assert(
      fc.property(lifecycle, clockKind, ({ end, events }, kind) => {
        const result = computeSla({ snapshot: terms(kind, HOUR, 4 * HOUR), events, now: iso(end + HOUR * 1000) });
        for (const state of states(result)) {
          const total = state.intervals.reduce((sum, interval) => sum + interval.seconds, 0);
          expect(total).toBeCloseTo(state.elapsedSeconds, 6); // sums of millisecond fractions
          state.intervals.forEach((interval, i) => {
            expect(interval.from <= interval.to).toBe(true);
            if (i > 0) expect(state.intervals[i - 1].to <= interval.from).toBe(true);
          });
          expect([state.running, state.paused, state.stopped].filter(Boolean).length).toBeLessThanOrEqual(1);
          expect(state.breached).toBe(state.elapsedSeconds >= state.targetSeconds);
        }
      }),
    );
  });

  it('puts each threshold at the earliest instant the clock reaches it', () => {
    fc.assert(
      fc.property(lifecycle, clockKind, target, fc.double({ min: 0, max: 1.2, noNaN: true }), ({ start, end, events }, kind, seconds, f) => {
        const nowMs = start + Math.round(f * (end - start + HOUR * 1000));
        // Only what is known at `now`, so a projected instant can be checked by replaying to it.
        const known = events.filter((e) => Date.parse(e.at) <= nowMs);
        const snapshot = terms(kind, seconds, seconds);
        const result = computeSla({ snapshot, events: known, now: iso(nowMs) });
        for (const state of states(result)) {
          for (const threshold of state.thresholds) {
            if (threshold.at === null) {
              expect(threshold.reached || state.running).toBe(false);
              continue;
            }
            const atMs = Date.parse(threshold.at);
            const needed = (state.targetSeconds * threshold.percent) / 100;
            const elapsedAt = (ms: number) => states(computeSla({ snapshot, events: known, now: iso(ms) })).find((s) => s.name === state.name)!.elapsedSeconds;
            expect(threshold.reached).toBe(atMs <= nowMs);
            expect(elapsedAt(atMs)).toBeGreaterThanOrEqual(needed);
            expect(elapsedAt(atMs - 1)).toBeLessThan(needed);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('on 24×7, restore elapsed is wall time minus customer pauses', () => {
    const pendWindows = fc.array(
      fc.record({
        runMinutes: fc.integer({ min: 0, max: 600 }),
        pendMinutes: fc.integer({ min: 0, max: 600 }),
        reason: fc.constantFrom<PendReason>('customer', 'vendor'),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(openedAt, pendWindows, fc.integer({ min: 0, max: 12_000 }), (start, windows, nowMinutes) => {
        const events: ClockEvent[] = [{ at: iso(start), type: 'opened' }];
        const customerPauses: Array<[number, number]> = [];
        let t = start;
        for (const window of windows) {
          const pendAt = t + window.runMinutes * MINUTE_MS;
          const resumeAt = pendAt + window.pendMinutes * MINUTE_MS;
          events.push({ at: iso(pendAt), type: 'pended', reason: window.reason }, { at: iso(resumeAt), type: 'resumed' });
          if (window.reason === 'customer') customerPauses.push([pendAt, resumeAt]);
          t = resumeAt;
        }
        const nowMs = start + nowMinutes * MINUTE_MS;
        const paused = customerPauses.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, nowMs) - from), 0);
        const result = computeSla({ snapshot: terms('24x7', HOUR, 4 * HOUR), events, now: iso(nowMs) });
        expect(result.restore.elapsedSeconds * 1000).toBe(nowMs - start - paused);
      }),
    );
  });

  it('nextThreshold returns the earliest unfired threshold of a running clock', () => {
    const fired = fc.subarray(
      [50, 75, 90, 100].flatMap((percent) => [
        { clock: 'response' as const, percent },
        { clock: 'restore' as const, percent },
      ]),
    );
    fc.assert(
      fc.property(lifecycle, clockKind, fired, ({ end, events }, kind, alreadyFired) => {
        const result = computeSla({ snapshot: terms(kind, HOUR, 4 * HOUR), events, now: iso(end) });
        const candidates = states(result)
          .filter((s) => s.running)
          .flatMap((s) =>
            s.thresholds.filter((t) => t.at !== null && !alreadyFired.some((f) => f.clock === s.name && f.percent === t.percent)).map((t) => Date.parse(t.at!)),
          );
        const next = nextThreshold(result, alreadyFired);
        if (candidates.length === 0) expect(next).toBeNull();
        else expect(Date.parse(next!.at)).toBe(Math.min(...candidates));
      }),
    );
  });
});
