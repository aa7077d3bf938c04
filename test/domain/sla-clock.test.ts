import { computeSla, nextThreshold, type SlaClockTerms } from '../../domain/sla/clock';
import { SlaSnapshot, type ClockEvent, type ClockEventType, type ClockState, type PendReason } from '../../domain/sla/model';
import { HOUR, KR_CALENDAR, kst } from './fixtures';

const business = (responseTargetSeconds: number, restoreTargetSeconds: number): SlaClockTerms => ({
  clock: 'business',
  responseTargetSeconds,
  restoreTargetSeconds,
  calendar: KR_CALENDAR,
});
const allDay = (responseTargetSeconds: number, restoreTargetSeconds: number): SlaClockTerms => ({
  clock: '24x7',
  responseTargetSeconds,
  restoreTargetSeconds,
  calendar: KR_CALENDAR,
});
const event = (seq: number, local: string, type: ClockEventType, reason?: PendReason): ClockEvent =>
  reason ? { seq, at: kst(local), type, reason } : { seq, at: kst(local), type };
const thresholdTimes = (state: ClockState) => state.thresholds.map((t) => t.at);

describe('computeSla on the business clock', () => {
  it('P3 opened Friday 17:00 with a 4 h restore target is due Monday 12:00, thresholds projected', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: [event(1, '2026-03-06 17:00', 'opened')], now: kst('2026-03-06 17:30') });
    expect(result.restore).toMatchObject({
      elapsedSeconds: 1800,
      running: true,
      paused: false,
      stopped: false,
      breached: false,
      dueAt: kst('2026-03-09 12:00'),
    });
    expect(thresholdTimes(result.restore)).toEqual([kst('2026-03-09 10:00'), kst('2026-03-09 11:00'), kst('2026-03-09 11:36'), kst('2026-03-09 12:00')]);
    expect(result.restore.thresholds.every((t) => !t.reached)).toBe(true);
  });

  it('opened Friday 2026-02-13 16:00 is due Thursday 2026-02-19 11:00, past the weekend and 설날', () => {
    const events = [event(1, '2026-02-13 16:00', 'opened')];
    expect(computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-02-13 16:01') }).restore.dueAt).toBe(kst('2026-02-19 11:00'));

    const later = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-02-19 10:00') });
    expect(later.restore.elapsedSeconds).toBe(3 * HOUR);
    expect(later.explanation).toEqual(
      expect.arrayContaining([
        'restore: counted 2026-02-13 16:00 → 18:00 KST (7200 s, business hours)',
        'restore: skipped weekend 2026-02-14 (Sat)',
        'restore: skipped holiday 2026-02-16 설날 전날',
        'restore: skipped holiday 2026-02-17 설날',
        'restore: skipped holiday 2026-02-18 설날 다음날',
        'restore: counted 2026-02-19 09:00 → 10:00 KST (3600 s, business hours)',
      ]),
    );
  });

  it('explains a substitute holiday it skipped', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: [event(1, '2026-02-27 17:00', 'opened')], now: kst('2026-03-03 10:00') });
    expect(result.restore.elapsedSeconds).toBe(2 * HOUR);
    expect(result.explanation).toContain('restore: skipped holiday 2026-03-02 대체공휴일 (삼일절)');
  });

  it('counts nothing while opened during a weekend, then starts Monday 09:00', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: [event(1, '2026-03-07 14:00', 'opened')], now: kst('2026-03-08 20:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 0, running: true, dueAt: kst('2026-03-09 13:00') });
    expect(result.response.dueAt).toBe(kst('2026-03-09 10:00'));
  });

  it('takes holiday names from the caller when given', () => {
    const result = computeSla({
      snapshot: business(HOUR, 4 * HOUR),
      events: [event(1, '2026-02-27 17:00', 'opened')],
      now: kst('2026-03-03 10:00'),
      holidayName: (date) => (date === '2026-03-02' ? 'Substitute holiday' : undefined),
    });
    expect(result.explanation).toContain('restore: skipped holiday 2026-03-02 Substitute holiday');
  });
});

describe('computeSla: pauses, vendor pends, reopen', () => {
  const pendedAt = (reason: PendReason) => [
    event(1, '2026-03-03 09:00', 'opened'),
    event(2, '2026-03-03 09:20', 'assigned'),
    event(3, '2026-03-03 10:00', 'pended', reason),
    event(4, '2026-03-03 11:00', 'resumed'),
    event(5, '2026-03-03 12:00', 'resolved'),
  ];

  it('pauses the restore clock while pending on the customer', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: pendedAt('customer'), now: kst('2026-03-03 15:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 2 * HOUR, running: false, stopped: true, stoppedBy: 'resolved', breached: false, dueAt: null });
    expect(result.restore.intervals).toEqual([
      { from: kst('2026-03-03 09:00'), to: kst('2026-03-03 10:00'), seconds: HOUR, sinceSeq: 1 },
      { from: kst('2026-03-03 11:00'), to: kst('2026-03-03 12:00'), seconds: HOUR, sinceSeq: 4 },
    ]);
    // 50 % (2 h) was reached exactly as it was resolved; 75 % never was.
    expect(result.restore.thresholds.map((t) => [t.percent, t.at, t.reached])).toEqual([
      [50, kst('2026-03-03 12:00'), true],
      [75, null, false],
      [90, null, false],
      [100, null, false],
    ]);
    expect(result.explanation).toContain('restore: paused 2026-03-03 10:00 → 11:00 KST (pending on customer; #3 pended → #4 resumed)');
    expect(result.explanation).toContain('restore: elapsed 7200 s of 14400 s (50 %): met');
    expect(result.response).toMatchObject({ elapsedSeconds: 1200, stopped: true, stoppedBy: 'assigned', breached: false });
  });

  it('is paused, not running, with no due date while the customer pend lasts', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: pendedAt('customer'), now: kst('2026-03-03 10:30') });
    expect(result.restore).toMatchObject({ elapsedSeconds: HOUR, running: false, paused: true, stopped: false, dueAt: null });
    expect(thresholdTimes(result.restore)).toEqual([null, null, null, null]);
    expect(result.explanation).toContain('restore: paused since 2026-03-03 10:00 KST (pending on customer (#3)): not counting');
  });

  it('keeps counting while pending on a vendor', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: pendedAt('vendor'), now: kst('2026-03-03 15:00') });
    expect(result.restore.elapsedSeconds).toBe(3 * HOUR);
    expect(result.restore.intervals).toHaveLength(1);
    expect(result.explanation).toContain('restore: pending on vendor from 2026-03-03 10:00 KST (#3): keeps counting (only a customer pend pauses)');
  });

  it('resumes counting when a customer pend turns into a vendor pend', () => {
    const events = [
      event(1, '2026-03-03 09:00', 'opened'),
      event(2, '2026-03-03 10:00', 'pended', 'customer'),
      event(3, '2026-03-03 11:00', 'pended', 'vendor'),
    ];
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-03 12:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 2 * HOUR, running: true });
  });

  it('continues from the elapsed total when reopened', () => {
    const events = [event(1, '2026-03-03 09:00', 'opened'), event(2, '2026-03-03 10:00', 'resolved'), event(3, '2026-03-04 13:00', 'reopened')];
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-04 14:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 2 * HOUR, running: true, stopped: false, dueAt: kst('2026-03-04 16:00') });
    expect(result.restore.stoppedBy).toBeUndefined();
    expect(result.restore.intervals.map((i) => i.sinceSeq)).toEqual([1, 3]);
    expect(result.explanation).toContain('restore: reopened 2026-03-04 13:00 KST (#3): counting continues from 3600 s');
  });
});

describe('computeSla on the 24×7 clock', () => {
  it('breaches P1 restore after 4 h of wall time, with every threshold exact', () => {
    const result = computeSla({ snapshot: allDay(15 * 60, 4 * HOUR), events: [event(1, '2026-03-07 00:00', 'opened')], now: kst('2026-03-07 05:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 5 * HOUR, running: true, breached: true, dueAt: kst('2026-03-07 04:00') });
    expect(thresholdTimes(result.restore)).toEqual([kst('2026-03-07 02:00'), kst('2026-03-07 03:00'), kst('2026-03-07 03:36'), kst('2026-03-07 04:00')]);
    expect(result.restore.thresholds.every((t) => t.reached)).toBe(true);
    expect(result.explanation).toContain('restore: elapsed 18000 s of 14400 s (125 %): breached at 2026-03-07 04:00 KST');
  });

  it('places thresholds exactly by walking the counted intervals around a customer pause', () => {
    const events = [event(1, '2026-03-07 00:00', 'opened'), event(2, '2026-03-07 01:00', 'pended', 'customer'), event(3, '2026-03-07 03:00', 'resumed')];
    const result = computeSla({ snapshot: allDay(HOUR, 4 * HOUR), events, now: kst('2026-03-07 06:00') });
    expect(result.restore.elapsedSeconds).toBe(4 * HOUR);
    expect(thresholdTimes(result.restore)).toEqual([kst('2026-03-07 04:00'), kst('2026-03-07 05:00'), kst('2026-03-07 05:36'), kst('2026-03-07 06:00')]);
    expect(result.restore.breached).toBe(true);
  });
});

describe('computeSla: the response clock and edge cases', () => {
  it('stops the response clock at the first assignment only', () => {
    const events = [event(1, '2026-03-03 09:00', 'opened'), event(2, '2026-03-03 09:30', 'assigned'), event(3, '2026-03-03 11:00', 'assigned')];
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-03 12:00') });
    expect(result.response).toMatchObject({ elapsedSeconds: 1800, stopped: true, stoppedBy: 'assigned', breached: false, dueAt: null });
    expect(result.response.thresholds[0]).toEqual({ percent: 50, at: kst('2026-03-03 09:30'), reached: true });
  });

  it('stops both clocks on cancellation, which is not "met"', () => {
    const events = [event(1, '2026-03-03 09:00', 'opened'), event(2, '2026-03-03 09:10', 'cancelled')];
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-03 12:00') });
    expect(result.response).toMatchObject({ stopped: true, stoppedBy: 'cancelled', elapsedSeconds: 600 });
    expect(result.restore).toMatchObject({ stopped: true, stoppedBy: 'cancelled', elapsedSeconds: 600 });
    expect(result.explanation).toContain('restore: elapsed 600 s of 14400 s (4 %): cancelled before the target');
  });

  it('ignores events after now, so the same events answer "as of" any instant', () => {
    const events = [event(1, '2026-03-03 09:00', 'opened'), event(2, '2026-03-03 11:00', 'resolved')];
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-03 10:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: HOUR, running: true });
    expect(result.explanation).toContain('ignored 1 event(s) after now');
  });

  it('sorts events given out of order', () => {
    const events = [event(2, '2026-03-03 11:00', 'resolved'), event(1, '2026-03-03 09:00', 'opened')];
    expect(computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-03 12:00') }).restore.elapsedSeconds).toBe(2 * HOUR);
  });

  it('reports nothing running before the incident opened', () => {
    const result = computeSla({ snapshot: business(HOUR, 4 * HOUR), events: [], now: kst('2026-03-03 12:00') });
    expect(result.restore).toMatchObject({ elapsedSeconds: 0, running: false, paused: false, stopped: false, dueAt: null, intervals: [] });
    expect(nextThreshold(result, [])).toBeNull();
  });

  it('takes a whole SlaSnapshot as recorded when the incident opened', () => {
    const snapshot = SlaSnapshot.parse({
      clock: 'business',
      responseTargetSeconds: HOUR,
      restoreTargetSeconds: 4 * HOUR,
      severity: 'P3',
      complexity: 'complex',
      autoCloseAfterSeconds: 5 * 24 * HOUR,
      calendar: KR_CALENDAR,
    });
    const result = computeSla({ snapshot, events: [event(1, '2026-03-06 17:00', 'opened')], now: kst('2026-03-06 17:30') });
    expect(result.restore.dueAt).toBe(kst('2026-03-09 12:00'));
    expect(result.explanation).toContain(`clock: business hours (workdays 09:00–18:00 KST, holidays excluded, calendar ${KR_CALENDAR.version})`);
  });

  it('refuses a business clock without a calendar and a non-positive target', () => {
    const events = [event(1, '2026-03-03 09:00', 'opened')];
    expect(() =>
      computeSla({ snapshot: { clock: 'business', responseTargetSeconds: 1, restoreTargetSeconds: 1 }, events, now: kst('2026-03-03 10:00') }),
    ).toThrow(TypeError);
    expect(() => computeSla({ snapshot: business(0, HOUR), events, now: kst('2026-03-03 10:00') })).toThrow(/response target must be positive/);
  });
});

describe('nextThreshold', () => {
  const opened = [event(1, '2026-03-06 17:00', 'opened')];
  const at = (now: string) => computeSla({ snapshot: business(HOUR, 4 * HOUR), events: opened, now: kst(now) });

  it('picks the earliest threshold not fired yet among running clocks', () => {
    const result = at('2026-03-06 17:10');
    expect(nextThreshold(result, [])).toEqual({ clock: 'response', percent: 50, at: kst('2026-03-06 17:30') });
    expect(nextThreshold(result, [{ clock: 'response', percent: 50 }])).toEqual({ clock: 'response', percent: 75, at: kst('2026-03-06 17:45') });
    const allResponse = [50, 75, 90, 100].map((percent) => ({ clock: 'response' as const, percent }));
    expect(nextThreshold(result, allResponse)).toEqual({ clock: 'restore', percent: 50, at: kst('2026-03-09 10:00') });
  });

  it('returns a passed but unfired threshold first, so it fires at once', () => {
    expect(nextThreshold(at('2026-03-06 17:40'), [])).toEqual({ clock: 'response', percent: 50, at: kst('2026-03-06 17:30') });
  });

  it('ignores stopped and paused clocks', () => {
    const events = [...opened, event(2, '2026-03-06 17:05', 'assigned'), event(3, '2026-03-06 17:06', 'pended', 'customer')];
    expect(nextThreshold(computeSla({ snapshot: business(HOUR, 4 * HOUR), events, now: kst('2026-03-06 17:10') }), [])).toBeNull();
  });
});
