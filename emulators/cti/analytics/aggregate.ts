import { byName, type CtiState } from '../state';
import { addDays, fromWallTime, localDate } from '../time-zone';
import { isoInterval, type Interval } from './interval';
import type { CallDimensions, Dimension } from './query-filter';
import { agentLegs, plusTalk, type TalkLegs } from './agent-legs';
import { dayVolume, type DayVolume } from './synthetic-volume';
import { SEOUL_TIME_ZONE } from '../../../domain/calendar/seoul';

/**
 * Sums the emulated calls (and the agents' legs of them, analytics/agent-legs.ts) into Genesys' aggregate shape: one result per group
 * (`group` maps each grouped dimension to its value; Genesys always adds
 * `mediaType`), with a data entry per bucket that had calls. As in Genesys,
 * buckets without data and metrics with a zero count are left out.
 *
 * Where a day's calls fall in time: all at 12:00 Asia/Seoul. So a bucket
 * counts the Seoul dates whose noon it contains; Seoul-midnight days (an
 * interval at +09:00, or timeZone Asia/Seoul) and UTC days both see each
 * Seoul date's whole volume, and an hourly bucket sees it only at noon.
 */

export const SERVED_METRICS = ['nOffered', 'tAnswered', 'tTalkComplete'] as const;
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

/** What one slice of a day's calls adds up to: a queue's calls (nOffered, tAnswered) or an agent's legs (tTalkComplete). */
interface Totals {
  volume?: DayVolume;
  talk?: TalkLegs;
}

export function aggregate(state: CtiState, request: AggregateRequest): AggregateDataContainer[] {
  const days = seoulDaysIn(request.interval, request.buckets);
  const queues = [...state.queues.values()].sort(byName);
  const wantsTalk = request.metrics.includes('tTalkComplete');
  const pins = [...state.agentCallsPins.values()];
  const groups = new Map<string, { group: Partial<CallDimensions>; perBucket: Map<number, Totals> }>();
  for (const { date, bucket } of days) {
    const slices: Array<{ dims: CallDimensions } & Totals> = queues.map((queue) => ({
      dims: { queueId: queue.id, mediaType: 'voice', direction: 'inbound' },
      volume: dayVolume(state, queue, date),
    }));
    if (wantsTalk) slices.push(...agentLegs(state, queues, date, pins));
    for (const slice of slices) {
      if (!request.filter(slice.dims)) continue;
      // A dimension the slice lacks is left out of its group, as Genesys does.
      const group: Partial<CallDimensions> = { mediaType: slice.dims.mediaType };
      for (const d of request.groupBy) if (slice.dims[d] !== undefined) group[d] = slice.dims[d];
      const key = JSON.stringify(Object.entries(group).sort());
      const entry = groups.get(key) ?? { group, perBucket: new Map<number, Totals>() };
      groups.set(key, entry);
      const sum = entry.perBucket.get(bucket) ?? {};
      if (slice.volume) sum.volume = add(sum.volume, slice.volume);
      if (slice.talk) sum.talk = plusTalk(sum.talk, slice.talk);
      entry.perBucket.set(bucket, sum);
    }
  }
  const results: AggregateDataContainer[] = [];
  for (const { group, perBucket } of groups.values()) {
    const data = [...perBucket.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, totals]) => ({ interval: isoInterval(request.buckets[bucket]), metrics: metricsOf(totals, request.metrics) }))
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

function metricsOf({ volume: v, talk }: Totals, wanted: ServedMetric[]): AggregateMetric[] {
  const all: Record<ServedMetric, AggregateMetric | undefined> = {
    nOffered: v && v.offered > 0 ? { metric: 'nOffered', stats: { count: v.offered } } : undefined,
    tAnswered:
      v && v.answered > 0 ? { metric: 'tAnswered', stats: { max: v.answerMsMax, min: v.answerMsMin, count: v.answered, sum: v.answerMsSum } } : undefined,
    tTalkComplete:
      talk && talk.count > 0 ? { metric: 'tTalkComplete', stats: { max: talk.maxMs, min: talk.minMs, count: talk.count, sum: talk.sumMs } } : undefined,
  };
  return wanted.flatMap((m) => all[m] ?? []);
}
