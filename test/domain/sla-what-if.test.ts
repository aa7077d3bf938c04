import { evaluateWhatIf, WhatIfRequest, type WhatIfCase } from '../../domain/sla/what-if';
import { HOUR, KR_CALENDAR } from './fixtures';

/** The what-if's arithmetic on hand-made cases: groups, flips and their explanations, holiday corrections, the restore distribution. */

const P2_COMPLEX = { severity: 'P2' as const, complexity: 'complex' as const };

/** A P2 complex incident opened at `openedAt`, assigned after 10 minutes, resolved after `restoreHours` (wall). */
function incident(id: string, openedAt: string, restoreHours: number, clock: '24x7' | 'business' = '24x7'): WhatIfCase {
  const t0 = Date.parse(openedAt);
  const at = (h: number) => new Date(t0 + h * HOUR * 1000).toISOString();
  return {
    incidentId: id,
    title: `장애 ${id}`,
    sla: {
      ...P2_COMPLEX,
      clock,
      responseTargetSeconds: HOUR,
      restoreTargetSeconds: 4 * HOUR,
      statusReportIntervalSeconds: null,
      autoCloseAfterSeconds: 5 * 24 * HOUR,
      calendar: KR_CALENDAR,
    },
    events: [
      { type: 'opened', at: at(0) },
      { type: 'assigned', at: at(1 / 6) },
      { type: 'resolved', at: at(restoreHours) },
    ],
    asOf: at(restoreHours + 1),
    cancelled: false,
  };
}

const request = (extra: Partial<WhatIfRequest> = {}) => WhatIfRequest.parse({ from: '2026-07-01', to: '2026-10-01', ...extra });

// Tuesday 2026-09-01 10:00 KST and friends: 2 h, 3.5 h and 5 h to restore, on 24×7.
const cases = [incident('INC-1', '2026-09-01T01:00:00Z', 2), incident('INC-2', '2026-09-02T01:00:00Z', 3.5), incident('INC-3', '2026-09-03T01:00:00Z', 5)];

test('the same policies judge as before: one restore breach, nothing flips', () => {
  const r = evaluateWhatIf(request(), cases);
  expect(r.totals).toEqual({ breachedNow: { response: 0, restore: 1 }, breachedCandidate: { response: 0, restore: 1 } });
  expect(r.flips).toEqual([]);
  expect(r.groups).toEqual([
    expect.objectContaining({
      ...P2_COMPLEX,
      incidents: 3,
      nowPolicies: [{ clock: '24x7', responseTargetSeconds: HOUR, restoreTargetSeconds: 4 * HOUR, incidents: 3 }],
      candidate: null,
      restore: {
        p50Seconds: 3.5 * HOUR,
        p90Seconds: 5 * HOUR,
        maxSeconds: 5 * HOUR,
        // 2 h is 50 % of 4 h; 3.5 h is 87.5 %; 5 h is beyond.
        buckets: [
          { upToPercent: 50, now: 1, candidate: 1 },
          { upToPercent: 75, now: 0, candidate: 0 },
          { upToPercent: 90, now: 1, candidate: 1 },
          { upToPercent: 100, now: 0, candidate: 0 },
          { upToPercent: null, now: 1, candidate: 1 },
        ],
      },
    }),
  ]);
});

test('a 3-hour restore target flips the 3.5-hour incident, explained in Korean and English', () => {
  const r = evaluateWhatIf(request({ policies: [{ ...P2_COMPLEX, clock: '24x7', responseTargetSeconds: HOUR, restoreTargetSeconds: 3 * HOUR }] }), cases);
  expect(r.flips).toEqual([
    expect.objectContaining({
      incidentId: 'INC-2',
      clock: 'restore',
      now: { breached: false, elapsedSeconds: 3.5 * HOUR, targetSeconds: 4 * HOUR, clock: '24x7', breachedAt: null },
      candidate: { breached: true, elapsedSeconds: 3.5 * HOUR, targetSeconds: 3 * HOUR, clock: '24x7', breachedAt: '2026-09-02T04:00:00.000Z' },
      explanation: {
        ko: '복구: 현재 기준 3시간 30분 / 목표 4시간(24×7) 준수 → 후보 기준 3시간 30분 / 목표 3시간(24×7) 위반 2026-09-02 13:00 KST',
        en: 'restore: now 3 h 30 min of 4 h (24×7), met → candidate 3 h 30 min of 3 h (24×7), breached 2026-09-02 13:00 KST',
      },
    }),
  ]);
  expect(r.totals.breachedCandidate).toEqual({ response: 0, restore: 2 });
});

test('business hours and a holiday correction: the same incident counted on the calendar, a day added as a holiday no longer counts', () => {
  // Friday 2026-09-04 16:00 KST, resolved 20 h later (Saturday 12:00): 2 business hours on Friday.
  const friday = incident('INC-4', '2026-09-04T07:00:00Z', 20, 'business');
  expect(evaluateWhatIf(request(), [friday]).totals.breachedNow.restore).toBe(0);
  const onWall = evaluateWhatIf(request({ policies: [{ ...P2_COMPLEX, clock: '24x7', responseTargetSeconds: HOUR, restoreTargetSeconds: 4 * HOUR }] }), [
    friday,
  ]);
  expect(onWall.flips.map((f) => [f.clock, f.candidate.elapsedSeconds])).toEqual([['restore', 20 * HOUR]]);
  // With 2026-09-04 made a holiday, the Friday hours do not count either: nothing at all is counted.
  const holiday = evaluateWhatIf(request({ calendar: { addHolidays: ['2026-09-04'], removeHolidays: [] } }), [friday]);
  expect(holiday.groups[0]!.restore.maxSeconds).toBe(0);
  // Removing 추석 (2026-09-24..26) makes an incident over it count those days.
  const chuseok = incident('INC-5', '2026-09-24T01:00:00Z', 2, 'business');
  expect(evaluateWhatIf(request(), [chuseok]).groups[0]!.restore.maxSeconds).toBe(0);
  expect(evaluateWhatIf(request({ calendar: { addHolidays: [], removeHolidays: ['2026-09-24'] } }), [chuseok]).groups[0]!.restore.maxSeconds).toBe(2 * HOUR);
});

test('the request: a period, one policy per severity and complexity, real dates', () => {
  expect(WhatIfRequest.safeParse({ from: '2026-10-01', to: '2026-07-01' }).success).toBe(false);
  expect(WhatIfRequest.safeParse({ from: '2020-01-01', to: '2026-01-01' }).success).toBe(false);
  const twice = { ...P2_COMPLEX, clock: '24x7', responseTargetSeconds: 1, restoreTargetSeconds: 1 };
  expect(WhatIfRequest.safeParse({ from: '2026-07-01', to: '2026-10-01', policies: [twice, twice] }).success).toBe(false);
});

test('a cancelled incident counts its breach before the cancellation, as in the QSR, but gives no restore time', () => {
  // Opened, nobody assigned, cancelled as a duplicate after 2 h: past a 1-hour response target before it was cancelled.
  const t0 = Date.parse('2026-09-07T01:00:00Z');
  const cancelled = {
    ...incident('INC-6', '2026-09-07T01:00:00Z', 2),
    events: [
      { type: 'opened' as const, at: new Date(t0).toISOString() },
      { type: 'cancelled' as const, at: new Date(t0 + 2 * HOUR * 1000).toISOString() },
    ],
    cancelled: true,
  };
  const r = evaluateWhatIf(request({ policies: [{ ...P2_COMPLEX, clock: '24x7', responseTargetSeconds: 3 * HOUR, restoreTargetSeconds: 4 * HOUR }] }), [
    ...cases,
    cancelled,
  ]);
  const group = r.groups[0]!;
  expect(group).toMatchObject({ incidents: 4, cancelled: 1, breachedNow: { response: 1, restore: 1 }, breachedCandidate: { response: 0, restore: 1 } });
  // The distribution is of the three restored incidents only.
  expect(group.restore.buckets.reduce((n, b) => n + b.now, 0)).toBe(3);
  expect(r.flips).toEqual([
    expect.objectContaining({
      incidentId: 'INC-6',
      clock: 'response',
      cancelled: true,
      explanation: expect.objectContaining({
        ko: expect.stringMatching(/^\(취소됨\) 응답: 현재 기준 2시간 \/ 목표 1시간\(24×7\) 위반 .+ → 후보 기준 2시간 \/ 목표 3시간\(24×7\) 준수$/),
      }),
    }),
  ]);
});
