import type { IncidentState } from '../../domain/incident/contracts';
import { quarterBounds } from '../../domain/report/periods';
import { computeKpis } from '../../domain/qsr/kpis';
import { HOUR, incidentThrough, MIN } from './incident-fixture';

/*
 * A hand-built quarter (2026-Q1 = [2025-12-31T15:00Z, 2026-03-31T15:00Z), KST month bounds).
 * Every clock is 24×7 so each figure is plain arithmetic:
 *   complex: response 30 min (1 800 s), restore 4 h (14 400 s)
 *   simple:  response 1 h (3 600 s),   restore 8 h (28 800 s)
 * "now" is the end of the quarter.
 *
 *   id  sev cx       sys  center   opened (UTC)       what happens (offsets from opening)
 *   A   P1  complex  PBX  1센터    2026-01-05 00:00   assign +10 min, start, resolve +3 h, close +5 d
 *   B   P1  complex  CTI  2센터    2026-02-10 00:00   assign +40 min (late), resolve +5 h (late)
 *   C   P2  simple   IVR  1센터    2026-01-20 01:00   assign +20 min, start, escalate +1 h, resolve +6 h
 *   D   P3  simple   PBX  —        2026-03-03 02:00   assign +30 min, start, resolve +2 h, reopen +26 h, resolve +27 h
 *   E   P2  simple   NET  2센터    2026-02-01 00:00   cancelled +2 h (its response clock would be breached)
 *   F   P1  simple   PBX  1센터    2025-12-31 14:00   before the quarter: assign, resolve +1 h
 *   G   P4  simple   CTI  3센터    2025-12-31 15:00   exactly at `from`: assign +2 h (late), still in progress
 *   H   P3  complex  REC  3센터    2026-03-31 14:50   still open 10 min before `now`: nothing breached yet
 *   I   P1  complex  PBX  3센터    2026-03-31 15:00   exactly at `to`: out of the period
 */

const { from, to } = quarterBounds('2026-Q1');
const now = to;
const incident = incidentThrough;

const incidents: IncidentState[] = [
  incident('A', 'P1', 'complex', 'PBX', '상담 1센터', '2026-01-05T00:00:00.000Z', [
    ['assign', 10 * MIN],
    ['start', 20 * MIN],
    ['resolve', 3 * HOUR],
    ['close', 5 * 24 * HOUR],
  ]),
  incident('B', 'P1', 'complex', 'CTI', '상담 2센터', '2026-02-10T00:00:00.000Z', [
    ['assign', 40 * MIN],
    ['start', 50 * MIN],
    ['resolve', 5 * HOUR],
  ]),
  incident('C', 'P2', 'simple', 'IVR', '상담 1센터', '2026-01-20T01:00:00.000Z', [
    ['assign', 20 * MIN],
    ['start', 30 * MIN],
    ['escalate', HOUR],
    ['resolve', 6 * HOUR],
  ]),
  incident('D', 'P3', 'simple', 'PBX', undefined, '2026-03-03T02:00:00.000Z', [
    ['assign', 30 * MIN],
    ['start', 40 * MIN],
    ['resolve', 2 * HOUR],
    ['reopen', 26 * HOUR],
    ['resolve', 27 * HOUR],
  ]),
  incident('E', 'P2', 'simple', 'NET', '상담 2센터', '2026-02-01T00:00:00.000Z', [['cancel', 2 * HOUR]]),
  incident('F', 'P1', 'simple', 'PBX', '상담 1센터', '2025-12-31T14:00:00.000Z', [
    ['assign', 5 * MIN],
    ['resolve', HOUR],
  ]),
  incident('G', 'P4', 'simple', 'CTI', '상담 3센터', '2025-12-31T15:00:00.000Z', [
    ['assign', 2 * HOUR],
    ['start', 3 * HOUR],
  ]),
  incident('H', 'P3', 'complex', 'REC', '상담 3센터', '2026-03-31T14:50:00.000Z', []),
  incident('I', 'P1', 'complex', 'PBX', '상담 3센터', '2026-03-31T15:00:00.000Z', []),
];

const kpis = computeKpis(incidents, { from, to }, now);

test('the fixture is the quarter it claims to be', () => {
  expect([from, to]).toEqual(['2025-12-31T15:00:00.000Z', '2026-03-31T15:00:00.000Z']);
  expect(incidents.map((i) => i.status)).toEqual(['CLOSED', 'RESOLVED', 'RESOLVED', 'RESOLVED', 'CANCELLED', 'RESOLVED', 'IN_PROGRESS', 'OPEN', 'OPEN']);
});

test('counts: in-scope A, B, C, D, G, H (E cancelled, F before, I at `to`)', () => {
  expect(kpis.from).toBe(from);
  expect(kpis.to).toBe(to);
  expect(kpis.incidents).toEqual({
    total: 6,
    bySeverity: { P1: 2, P2: 1, P3: 2, P4: 1 }, // A B | C | D H | G
    bySystem: { PBX: 2, CTI: 2, IVR: 1, REC: 1 }, // A D | B G | C | H
    byCenter: { '상담 1센터': 2, '상담 2센터': 1, '상담 3센터': 2, '(none)': 1 }, // A C | B | G H | D
  });
});

test('a severity without incidents still has its key', () => {
  const none = computeKpis([incidents[0]], { from, to }, now);
  expect(none.incidents.bySeverity).toEqual({ P1: 1, P2: 0, P3: 0, P4: 0 });
});

test('MTTR: mean wall-clock open → last resolution over resolved incidents', () => {
  // A 3 h, B 5 h, C 6 h, D 27 h (the second resolution, not the first at 2 h): (3 + 5 + 6 + 27) / 4 = 10.25 h
  expect(kpis.mttrMs).toBe(10.25 * HOUR);
  expect(kpis.mttrMs).toBe(36_900_000);
});

test('restored within target: all resolved, and complex only', () => {
  // Restore clocks stopped by a resolution: A 10 800 s ≤ 14 400 met; B 18 000 s > 14 400 breached;
  // C 21 600 s ≤ 28 800 met; D 7 200 + 3 600 = 10 800 s ≤ 28 800 met (reopen carries on). G, H still running.
  expect(kpis.restoredWithinTarget.all).toEqual({ numerator: 3, denominator: 4, ratio: 0.75 });
  // Complex and resolved: A (3 h, met) and B (5 h, breached); H is not resolved.
  expect(kpis.restoredWithinTarget.complex).toEqual({ numerator: 1, denominator: 2, ratio: 0.5 });
});

test('response attainment: of stopped response clocks, those within target', () => {
  // A 600 s ≤ 1 800 met; B 2 400 s > 1 800 breached; C 1 200 s ≤ 3 600 met; D 1 800 s ≤ 3 600 met;
  // G 7 200 s > 3 600 breached; H still waiting (600 s, running) → not counted. 3 of 5.
  expect(kpis.responseAttainment).toEqual({ numerator: 3, denominator: 5, ratio: 0.6 });
});

test('L1 resolution: resolved incidents never escalated before their last resolution', () => {
  // Resolved: A, B, C, D. C escalated at +1 h, before its resolution → not L1. 3 of 4.
  expect(kpis.l1Resolution).toEqual({ numerator: 3, denominator: 4, ratio: 0.75 });
});

test('reopen rate: of incidents ever resolved, those reopened', () => {
  // Resolved: A, B, C, D; reopened: D. 1 of 4.
  expect(kpis.reopenRate).toEqual({ numerator: 1, denominator: 4, ratio: 0.25 });
});

test('breaches: one per incident per breached clock, by opening time then clock', () => {
  // G opened at `from`: response assigned after 7 200 s > 3 600; restore still running, 90 days
  // (31 + 28 + 31) = 7 776 000 s > 28 800, due at opening + 8 h.
  // B: response 2 400 s > 1 800 due at +30 min; restore 18 000 s > 14 400 due at +4 h.
  // E, cancelled at +2 h after its response wait (7 200 s > 3 600) breached, stays, marked with its cancellation.
  expect(kpis.breaches).toEqual([
    {
      incidentId: 'G',
      title: 'CTI 장애 G',
      severity: 'P4',
      system: 'CTI',
      center: '상담 3센터',
      clock: 'response',
      targetSeconds: 3600,
      elapsedSeconds: 7200,
      dueAt: '2025-12-31T16:00:00.000Z',
    },
    {
      incidentId: 'G',
      title: 'CTI 장애 G',
      severity: 'P4',
      system: 'CTI',
      center: '상담 3센터',
      clock: 'restore',
      targetSeconds: 28_800,
      elapsedSeconds: 7_776_000,
      dueAt: '2025-12-31T23:00:00.000Z',
    },
    {
      incidentId: 'E',
      title: 'NET 장애 E',
      severity: 'P2',
      system: 'NET',
      center: '상담 2센터',
      clock: 'response',
      targetSeconds: 3600,
      elapsedSeconds: 7200,
      dueAt: '2026-02-01T01:00:00.000Z',
      cancelled: { at: '2026-02-01T02:00:00.000Z', reason: '중복 접수' },
    },
    {
      incidentId: 'B',
      title: 'CTI 장애 B',
      severity: 'P1',
      system: 'CTI',
      center: '상담 2센터',
      clock: 'response',
      targetSeconds: 1800,
      elapsedSeconds: 2400,
      dueAt: '2026-02-10T00:30:00.000Z',
    },
    {
      incidentId: 'B',
      title: 'CTI 장애 B',
      severity: 'P1',
      system: 'CTI',
      center: '상담 2센터',
      clock: 'restore',
      targetSeconds: 14_400,
      elapsedSeconds: 18_000,
      dueAt: '2026-02-10T04:00:00.000Z',
    },
  ]);
});

test('a cancellation cannot hide a breach: the cancelled are counted, with those that had breached and why', () => {
  expect(kpis.cancelled).toEqual({ total: 1, breached: 1, byReason: [{ reason: '중복 접수', count: 1 }] });
  // Cancelled before any clock ran out: counted as cancelled, not as a breach.
  const early = incident('K', 'P2', 'simple', 'NET', '상담 2센터', '2026-02-03T00:00:00.000Z', [['cancel', 10 * MIN]]);
  const again = computeKpis([...incidents, early], { from, to }, now);
  expect(again.cancelled).toEqual({ total: 2, breached: 1, byReason: [{ reason: '중복 접수', count: 2 }] });
  expect(again.breaches.filter((b) => b.cancelled).map((b) => b.incidentId)).toEqual(['E']);
  expect(computeKpis([], { from, to }, now).cancelled).toEqual({ total: 0, breached: 0, byReason: [] });
});

test('cancelled incidents would change the figures if they were counted', () => {
  // The same cancelled incident E, had it been left in progress, counts and breaches.
  const e = incidents[4];
  const live = { ...e, status: 'IN_PROGRESS' as const };
  const withE = computeKpis([live], { from, to }, now);
  expect(withE.incidents.total).toBe(1);
  // Its response wait (7 200 s > 3 600) would be a breach, and its restore clock, stopped by the
  // cancellation at 7 200 s < 28 800, would pass for a restoration within target.
  expect(withE.breaches.map((b) => [b.incidentId, b.clock])).toEqual([['E', 'response']]);
  expect(withE.restoredWithinTarget.all).toEqual({ numerator: 1, denominator: 1, ratio: 1 });
  // Cancelled, it is out of the volumes and shares; its breach is listed all the same.
  expect(computeKpis([e], { from, to }, now).incidents.total).toBe(0);
  expect(computeKpis([e], { from, to }, now).restoredWithinTarget.all).toEqual({ numerator: 0, denominator: 0, ratio: null });
  expect(computeKpis([e], { from, to }, now).breaches.map((b) => [b.incidentId, b.clock, b.cancelled?.reason])).toEqual([['E', 'response', '중복 접수']]);
});

test('an empty period has null ratios and no MTTR', () => {
  const empty = computeKpis([], { from, to }, now);
  expect(empty.mttrMs).toBeNull();
  expect(empty.incidents).toEqual({ total: 0, bySeverity: { P1: 0, P2: 0, P3: 0, P4: 0 }, bySystem: {}, byCenter: {} });
  for (const share of [empty.restoredWithinTarget.all, empty.restoredWithinTarget.complex, empty.responseAttainment, empty.l1Resolution, empty.reopenRate]) {
    expect(share).toEqual({ numerator: 0, denominator: 0, ratio: null });
  }
  expect(empty.breaches).toEqual([]);
});

test('a customer pend pauses the restore clock: paused-and-breached is not "stopped"', () => {
  // Complex, opened 2026-02-02 00:00; assigned +5 min, started, pended on the customer at +5 h
  // (restore 18 000 s > 14 400 already breached), still pending at `now`.
  const paused = incident('P', 'P2', 'complex', 'PBX', '상담 1센터', '2026-02-02T00:00:00.000Z', [
    ['assign', 5 * MIN],
    ['start', 10 * MIN],
    ['pend', 5 * HOUR],
  ]);
  const k = computeKpis([paused], { from, to }, now);
  expect(k.restoredWithinTarget.all).toEqual({ numerator: 0, denominator: 0, ratio: null });
  expect(k.breaches.map((b) => [b.clock, b.elapsedSeconds])).toEqual([['restore', 18_000]]);
  expect(k.responseAttainment).toEqual({ numerator: 1, denominator: 1, ratio: 1 });
});
