import { VendorValidationError } from '../vendor-errors';
import type { CallVolumeRange } from './cti-client';
import type { GenesysHttp } from './genesys-http';
import type { ConversationAggregateQueryResponse, ConversationAggregationQuery } from './genesys-models';
import { addDays, dayBound, isTimeZone, localDate, localMidnight, withOffset } from './local-days';

/**
 * Conversation aggregates of voice calls per local day over whole days [from, to): the one way
 * Butler asks Genesys analytics anything (the centers' call volume, the agents' talk). A range
 * longer than one query may cover is asked for in consecutive pieces, one after the other
 * (analytics queries have a tight rate limit of their own).
 */

export const AGGREGATES = '/api/v2/analytics/conversations/aggregates/query';
/** The longest interval one aggregate query accepts. */
export const MAX_QUERY_DAYS = 93;
const MAX_QUERY_MS = MAX_QUERY_DAYS * 86_400_000;

export interface DailyAggregate {
  /** The grouped dimensions' values (Genesys leaves out a dimension a call lacks). */
  group: Record<string, string>;
  /** Local date YYYY-MM-DD in the range's time zone. */
  date: string;
  /** metric → its stats' count and sum (0 where Genesys left the metric out). */
  stats: (metric: string) => { count: number; sum: number };
}

/** The range's days, checked: `what` names the caller in errors. */
export function dayRange(range: CallVolumeRange, what: string): { from: string; to: string; timeZone: string } {
  const { timeZone } = range;
  if (!isTimeZone(timeZone)) throw new VendorValidationError('cti', `${what}: ${timeZone} is not an IANA time zone`);
  const from = dayBound(range.from, timeZone, 'from');
  const to = dayBound(range.to, timeZone, 'to');
  if (to < from) throw new VendorValidationError('cti', `${what}: the range ends (${range.to}) before it starts (${range.from})`);
  return { from, to, timeZone };
}

export async function dailyAggregates(
  http: GenesysHttp,
  days: { from: string; to: string; timeZone: string },
  query: { groupBy: string[]; metrics: string[] },
): Promise<DailyAggregate[]> {
  const rows: DailyAggregate[] = [];
  for (const piece of pieces(days.from, days.to, days.timeZone)) {
    const interval = `${withOffset(localMidnight(piece.from, days.timeZone), days.timeZone)}/${withOffset(localMidnight(piece.to, days.timeZone), days.timeZone)}`;
    const body: ConversationAggregationQuery = {
      interval,
      granularity: 'P1D',
      // Day buckets then run midnight to midnight local time, also across a clock change.
      timeZone: days.timeZone,
      groupBy: query.groupBy,
      metrics: query.metrics,
      filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] },
    };
    const response = await http.search<ConversationAggregateQueryResponse>(AGGREGATES, body);
    for (const result of response?.results ?? []) {
      for (const bucket of result.data ?? []) {
        const date = localDate(Date.parse(bucket.interval.split('/')[0]), days.timeZone);
        if (!(date >= piece.from && date < piece.to)) {
          throw new VendorValidationError('cti', `POST ${AGGREGATES}: bucket ${bucket.interval} is not a day of ${interval}`);
        }
        const stats = (metric: string) => {
          const found = bucket.metrics?.find((m) => m.metric === metric)?.stats;
          return { count: found?.count ?? 0, sum: found?.sum ?? 0 };
        };
        rows.push({ group: result.group ?? {}, date, stats });
      }
    }
  }
  return rows;
}

/** [from, to) as consecutive pieces of whole local days, each within what one query may cover. */
export function pieces(from: string, to: string, timeZone: string): Array<{ from: string; to: string }> {
  const result: Array<{ from: string; to: string }> = [];
  for (let start = from; start < to;) {
    let end = addDays(start, MAX_QUERY_DAYS) < to ? addDays(start, MAX_QUERY_DAYS) : to;
    // Across a clock change 93 local days can be an hour longer than the API's 93 × 24 h.
    while (localMidnight(end, timeZone) - localMidnight(start, timeZone) > MAX_QUERY_MS) end = addDays(end, -1);
    result.push({ from: start, to: end });
    start = end;
  }
  return result;
}
