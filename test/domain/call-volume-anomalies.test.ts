import { detectAnomalies, isoWeekday } from '../../domain/qsr/anomalies';
import type { CallVolumeDay } from '../../domain/qsr/contracts';

const ONE = '상담 1센터';
const TWO = '상담 2센터';

function day(date: string, center: string, offered: number): CallVolumeDay {
  return { date, center, offered, answered: Math.floor(offered * 0.9), source: 'cti' };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Mon … Sun volumes of each center: busy Mondays, quiet weekends. */
const BASE: Record<string, number[]> = {
  [ONE]: [1200, 1100, 1050, 1000, 950, 400, 200],
  [TWO]: [800, 760, 740, 720, 700, 300, 150],
};
/** Symmetric noise; each weekday of a center sees every value once over 13 weeks (MAD 10). */
const NOISE = [0, 5, -5, 10, -10, 15, -15, 20, -20, 8, -8, 12, -12];
const PLANTED: Record<string, number> = {
  [`2026-01-15 ${TWO}`]: 1500, // Thursday, usually ~720: spike
  [`2026-02-10 ${ONE}`]: 1700, // Tuesday, usually ~1100: spike
  [`2026-02-10 ${TWO}`]: 300, // Tuesday, usually ~760: drop
  [`2026-03-05 ${ONE}`]: 300, // Thursday, usually ~1000: drop
  [`2026-03-22 ${TWO}`]: 20, // Sunday, usually ~150: drop
};

/** 91 days (13 weeks) from Thursday 2026-01-01, center TWO listed first so the sort is tested. */
function quarter(): CallVolumeDay[] {
  const days: CallVolumeDay[] = [];
  [TWO, ONE].forEach((center, c) => {
    for (let i = 0; i < 91; i += 1) {
      const date = addDays('2026-01-01', i);
      const weekday = isoWeekday(date);
      const normal = BASE[center][weekday - 1] + NOISE[(Math.floor(i / 7) + weekday + c) % 13];
      days.push(day(date, center, PLANTED[`${date} ${center}`] ?? normal));
    }
  });
  return days;
}

test('the weekday comes from the calendar date', () => {
  expect(['2026-01-01', '2026-03-01', '2026-03-02', '2024-02-29', '2026-12-31'].map(isoWeekday)).toEqual([4, 7, 1, 4, 4]);
  expect(() => isoWeekday('2026-13-45x')).toThrow(RangeError);
});

test('in a quarter of weekday-patterned volume exactly the planted days are found', () => {
  const days = quarter();
  expect(days).toHaveLength(182);
  const found = detectAnomalies(days);
  expect(found.map((a) => [a.date, a.center, a.kind, a.offered])).toEqual([
    ['2026-01-15', TWO, 'spike', 1500],
    ['2026-02-10', ONE, 'spike', 1700],
    ['2026-02-10', TWO, 'drop', 300],
    ['2026-03-05', ONE, 'drop', 300],
    ['2026-03-22', TWO, 'drop', 20],
  ]);
  // The expectation is the weekday's usual level: base ± the noise (the outlier barely moves a median).
  const usual = [720, 1100, 760, 1000, 150];
  found.forEach((a, i) => {
    expect(Math.abs(a.expected - usual[i])).toBeLessThanOrEqual(5);
    // The smallest planted outlier, Sunday 150 → 20, is 130 below with a MAD near 10: |z| ≈ 0.6745 × 130 / 10 ≈ 8.8.
    expect(Math.abs(a.score)).toBeGreaterThan(8);
    expect(Math.sign(a.score)).toBe(a.kind === 'spike' ? 1 : -1);
  });
  // Weekends are far below weekdays but are compared with weekends only: none of them is flagged unplanted.
  expect(JSON.parse(JSON.stringify(found))).toEqual(found);
});

describe('the robust z-score, by hand', () => {
  const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];

  test('median and MAD', () => {
    // [100, 102, 98, 101, 160]: median 101; |deviations| [1, 1, 3, 0, 59] → sorted [0, 1, 1, 3, 59], MAD 1.
    // z(160) = 0.6745 × 59 / 1 = 39.7955 → spike; z(98) = 0.6745 × −3 = −2.0235 → not an anomaly.
    const days = [100, 102, 98, 101, 160].map((v, i) => day(mondays[i], ONE, v));
    const [spike, ...rest] = detectAnomalies(days);
    expect(rest).toEqual([]);
    expect(spike).toMatchObject({ date: '2026-03-30', center: ONE, offered: 160, expected: 101, kind: 'spike' });
    expect(spike.score).toBeCloseTo(39.7955, 4);
    expect(detectAnomalies(days, { threshold: 39.8 })).toEqual([]);
    expect(detectAnomalies(days, { threshold: 39.79 })).toHaveLength(1);
  });

  test('a drop', () => {
    // [100, 104, 96, 102, 40]: median 100; |deviations| [0, 4, 4, 2, 60] → MAD 4; z(40) = 0.6745 × −60 / 4 = −10.1175.
    const [drop, ...rest] = detectAnomalies([100, 104, 96, 102, 40].map((v, i) => day(mondays[i], ONE, v)));
    expect(rest).toEqual([]);
    expect(drop).toMatchObject({ date: '2026-03-30', offered: 40, expected: 100, kind: 'drop' });
    expect(drop.score).toBeCloseTo(-10.1175, 4);
  });
});

describe('when the MAD is 0', () => {
  const thirteenMondays = Array.from({ length: 13 }, (_, i) => addDays('2026-01-05', 7 * i));

  test('the spread is 1.4826 × the mean absolute deviation', () => {
    // Twelve 100s and one 150: median 100, MAD 0. Mean absolute deviation = 50 / 13;
    // spread = 1.4826 × 50 / 13 = 5.7023; z = 50 / 5.7023 = 13 / 1.4826 = 8.7684 → spike.
    const days = thirteenMondays.map((date, i) => day(date, ONE, i === 6 ? 150 : 100));
    const found = detectAnomalies(days);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ date: '2026-02-16', offered: 150, expected: 100, kind: 'spike' });
    expect(found[0].score).toBeCloseTo(8.7684, 4);
    // Twelve 100s and one 90: z = −10 / (1.4826 × 10 / 13) = −8.7684 → drop.
    const drop = detectAnomalies(thirteenMondays.map((date, i) => day(date, ONE, i === 0 ? 90 : 100)));
    expect(drop.map((a) => [a.date, a.kind])).toEqual([['2026-01-05', 'drop']]);
    expect(drop[0].score).toBeCloseTo(-8.7684, 4);
  });

  test('a perfectly flat week pattern has no anomalies', () => {
    expect(detectAnomalies(thirteenMondays.map((date) => day(date, ONE, 100)))).toEqual([]);
  });
});

describe('small groups', () => {
  // Four Mondays [100, 101, 99, 1000]: median 100.5, |deviations| [0.5, 0.5, 1.5, 899.5] → MAD 1;
  // z(1000) = 0.6745 × 899.5 = 606.71.
  const four = [100, 101, 99, 1000].map((v, i) => day(addDays('2026-03-02', 7 * i), TWO, v));

  test('are not judged below minSamples (default 5)', () => {
    expect(detectAnomalies(four)).toEqual([]);
  });

  test('are judged when minSamples allows them', () => {
    const found = detectAnomalies(four, { minSamples: 4 });
    expect(found.map((a) => [a.date, a.kind, a.expected])).toEqual([['2026-03-23', 'spike', 100.5]]);
    expect(found[0].score).toBeCloseTo(606.71, 2);
  });

  test('a small group does not stop a large one of another center being judged', () => {
    const five = [100, 102, 98, 101, 160].map((v, i) => day(addDays('2026-03-02', 7 * i), ONE, v));
    expect(detectAnomalies([...four, ...five]).map((a) => [a.date, a.center])).toEqual([['2026-03-30', ONE]]);
  });
});

test('bad options are refused', () => {
  expect(() => detectAnomalies([], { threshold: 0 })).toThrow(RangeError);
  expect(() => detectAnomalies([], { minSamples: 0 })).toThrow(RangeError);
  expect(detectAnomalies([])).toEqual([]);
});
