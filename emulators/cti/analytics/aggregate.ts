import { byName, type CtiState } from '../state';
import { addDays, fromWallTime, localDate } from '../time-zone';
import { isoInterval, type Interval } from './interval';
import type { CallDimensions, Dimension } from './query-filter';
import { dayVolume, type DayVolume } from './synthetic-volume';
import { SEOUL_TIME_ZONE } from '../../../domain/calendar/seoul';

/**
 * Sums the emulated calls into Genesys' aggregate shape: one result per group
 * (`group` maps each grouped dimension to its value; Genesys always adds
 * `mediaType`), with a data entry per bucket that had calls. As in Genesys,
 * buckets without data and metrics with a zero count are left out.
 *
 * Where a day's calls fall in time: all at 12:00 Asia/Seoul. So a bucket
 * counts the Seoul dates whose noon it contains; Seoul-midnight days (an
 * interval at +09:00, or timeZone Asia/Seoul) and UTC days both see each
 * Seoul date's whole volume, and an hourly bucket sees it only at noon.
 */

export const SERVED_METRICS = ['nOffered', 'tAnswered'] as const;
export type ServedMetric = (typeof SERVED_METRICS)[number];
export const CENTER_TIME_ZONE = SEOUL_TIME_ZONE;
const NOON_MS = 12 * 3_600_000;

export interface AggregateRequest {
  interval: Interval;
  buckets: Array<[number, number]>;
  groupBy: Dimension[];
  metrics: ServedMetric[];
  filter: (call: CallDimensions) => boolean;
}

export interface AggregateMetric {
  metric: ServedMetric;
  stats: { count: number; sum?: number; min?: number; max?: number };
}

export interface AggregateDataContainer {
  group: Partial<CallDimensions>;
  data: Array<{ interval: string; metrics: AggregateMetric[] }>;
}

export function aggregate(state: CtiState, request: AggregateRequest): AggregateDataContainer[] {
  const days = seoulDaysIn(request.interval, request.buckets);
  const groups = new Map<string, { group: Partial<CallDimensions>; perBucket: Map<number, DayVolume> }>();
  for (const queue of [...state.queues.values()].sort(byName)) {
    const call: CallDimensions = { queueId: queue.id, mediaType: 'voice', direction: 'inbound' };
    if (!request.filter(call)) continue;
    const group: Partial<CallDimensions> = { mediaType: call.mediaType };
    for (const d of request.groupBy) group[d] = call[d];
    const key = JSON.stringify(Object.entries(group).sort());
    const entry = groups.get(key) ?? { group, perBucket: new Map<number, DayVolume>() };
    groups.set(key, entry);
    for (const { date, bucket } of days) entry.perBucket.set(bucket, add(entry.perBucket.get(bucket), dayVolume(state, queue, date)));
  }
  const results: AggregateDataContainer[] = [];
  for (const { group, perBucket } of groups.values()) {
    const data = [...perBucket.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, volume]) => ({ interval: isoInterval(request.buckets[bucket]), metrics: metricsOf(volume, request.metrics) }))
      .filter((d) => d.metrics.length > 0);
    if (data.length > 0) results.push({ group, data });
  }
  return results;
}

/** Each Seoul date whose noon lies in the interval, with the index of the bucket holding that noon. */
function seoulDaysIn(interval: Interval, buckets: Array<[number, number]>): Array<{ date: string; bucket: number }> {
  const days: Array<{ date: string; bucket: number }> = [];
  let bucket = 0;
  const last = localDate(interval.end, CENTER_TIME_ZONE);
  for (let date = addDays(localDate(interval.start, CENTER_TIME_ZONE), -1); date <= last; date = addDays(date, 1)) {
    const noon = fromWallTime(Date.parse(`${date}T00:00:00Z`) + NOON_MS, CENTER_TIME_ZONE);
    if (noon < interval.start || noon >= interval.end) continue;
    while (buckets[bucket][1] <= noon) bucket += 1;
    days.push({ date, bucket });
  }
  return days;
}

function add(a: DayVolume | undefined, b: DayVolume): DayVolume {
  if (!a) return { ...b };
  const answeredOnes = [a, b].filter((v) => v.answered > 0);
  return {
    offered: a.offered + b.offered,
    answered: a.answered + b.answered,
    answerMsSum: a.answerMsSum + b.answerMsSum,
    answerMsMin: answeredOnes.length ? Math.min(...answeredOnes.map((v) => v.answerMsMin)) : 0,
    answerMsMax: answeredOnes.length ? Math.max(...answeredOnes.map((v) => v.answerMsMax)) : 0,
  };
}

function metricsOf(v: DayVolume, wanted: ServedMetric[]): AggregateMetric[] {
  const all: Record<ServedMetric, AggregateMetric | undefined> = {
    nOffered: v.offered > 0 ? { metric: 'nOffered', stats: { count: v.offered } } : undefined,
    tAnswered: v.answered > 0 ? { metric: 'tAnswered', stats: { max: v.answerMsMax, min: v.answerMsMin, count: v.answered, sum: v.answerMsSum } } : undefined,
  };
  return wanted.flatMap((m) => all[m] ?? []);
}
