import type { CallVolumeAnomaly, CallVolumeDay } from './contracts';

/**
 * Call-volume anomalies (콜 인입량 이상치) for the QSR.
 *
 * Method: days are grouped by center and ISO weekday (Monday … Sunday), because a contact
 * center's volume follows the week: Mondays are busy, Sundays quiet, and comparing a Sunday
 * with a Monday would flag every weekend. Within each group:
 *   expected = median of `offered` over the group's days in the input;
 *   MAD      = median of |offered − expected| (median absolute deviation);
 *   score    = 0.6745 × (offered − expected) / MAD   (the robust z-score of Iglewicz and
 *              Hoaglin; 0.6745 scales the MAD to a standard deviation for normal data);
 *   |score| ≥ threshold (default 3.5) → an anomaly: a 'spike' above expected, a 'drop' below.
 * Median and MAD, unlike mean and standard deviation, are barely moved by the outliers
 * being looked for, so one holiday or outage does not hide another.
 * When more than half of a group has the same value the MAD is 0; the spread is then
 * 1.4826 × the mean absolute deviation around the median, and score = (offered − expected) / spread.
 * If that is 0 too, every day equals the median and nothing is an anomaly; a value ≠ median
 * would score ±Infinity, reported as ±99 so that it serializes to JSON.
 * Groups with fewer than `minSamples` days (default 5) are not judged: a median of a few
 * days says little. The weekday comes from the calendar date string itself, not from an
 * instant in some time zone. Output is sorted by date, then center.
 */

export interface AnomalyOptions {
  threshold?: number;
  minSamples?: number;
}

export const DEFAULT_THRESHOLD = 3.5;
export const DEFAULT_MIN_SAMPLES = 5;
/** Stands in for an infinite score, which JSON cannot carry. */
export const INFINITE_SCORE = 99;

export function detectAnomalies(days: CallVolumeDay[], options: AnomalyOptions = {}): CallVolumeAnomaly[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`threshold must be a positive number: ${threshold}`);
  if (!Number.isInteger(minSamples) || minSamples < 1) throw new RangeError(`minSamples must be a positive integer: ${minSamples}`);

  const groups = new Map<string, CallVolumeDay[]>();
  for (const day of days) {
    const key = `${day.center}\u0000${isoWeekday(day.date)}`;
    const group = groups.get(key);
    if (group) group.push(day);
    else groups.set(key, [day]);
  }

  const anomalies: CallVolumeAnomaly[] = [];
  for (const group of groups.values()) {
    if (group.length < minSamples) continue;
    const values = group.map((day) => day.offered);
    const expected = median(values);
    const score = scorer(values, expected);
    for (const day of group) {
      const z = score(day.offered);
      if (Math.abs(z) < threshold) continue;
      anomalies.push({ date: day.date, center: day.center, offered: day.offered, expected, score: z, kind: z > 0 ? 'spike' : 'drop' });
    }
  }
  return anomalies.sort((a, b) => cmp(a.date, b.date) || cmp(a.center, b.center));
}

/** The robust z-score of a value against its group, per the method above. */
function scorer(values: number[], expected: number): (x: number) => number {
  const deviations = values.map((v) => Math.abs(v - expected));
  const mad = median(deviations);
  if (mad > 0) return (x) => (0.6745 * (x - expected)) / mad;
  const spread = 1.4826 * (deviations.reduce((sum, d) => sum + d, 0) / deviations.length);
  if (spread > 0) return (x) => (x - expected) / spread;
  return (x) => (x === expected ? 0 : Math.sign(x - expected) * INFINITE_SCORE);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 1 = Monday … 7 = Sunday, of a YYYY-MM-DD calendar date (computed in UTC so no zone can shift the day). */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (Number.isNaN(day)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return day === 0 ? 7 : day;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
