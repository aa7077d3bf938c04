import { VendorNotFoundError, VendorValidationError } from '../vendor-errors';
import type { CallVolumeRange, CenterCallVolume } from './cti-client';
import { withQuery, type GenesysHttp } from './genesys-http';
import type { ConversationAggregateQueryResponse, ConversationAggregationQuery, Queue } from './genesys-models';
import { addDays, datesBetween, dayBound, isTimeZone, localDate, localMidnight, withOffset } from './local-days';

/**
 * Daily call volume per center from Genesys analytics: conversation
 * aggregates (nOffered, tAnswered) of voice calls per queue and local day,
 * summed per center — the division each queue belongs to. A range longer
 * than one query may cover is asked for in consecutive pieces, one after the
 * other (analytics queries have a tight rate limit of their own).
 */

const AGGREGATES = '/api/v2/analytics/conversations/aggregates/query';
/** The longest interval one aggregate query accepts. */
export const MAX_QUERY_DAYS = 93;
const MAX_QUERY_MS = MAX_QUERY_DAYS * 86_400_000;

type Counts = { offered: number; answered: number };

export function genesysCallVolume(http: GenesysHttp, pageSize: number) {
  async function callVolume(range: CallVolumeRange): Promise<CenterCallVolume[]> {
    const { timeZone } = range;
    if (!isTimeZone(timeZone)) throw new VendorValidationError('cti', `call volume: ${timeZone} is not an IANA time zone`);
    const from = dayBound(range.from, timeZone, 'from');
    const to = dayBound(range.to, timeZone, 'to');
    if (to < from) throw new VendorValidationError('cti', `call volume: the range ends (${range.to}) before it starts (${range.from})`);

    const byQueue = new Map<string, Map<string, Counts>>();
    for (const piece of pieces(from, to, timeZone)) await addPiece(byQueue, piece, timeZone);
    if (byQueue.size === 0) return [];

    const centerOf = await queueCenters([...byQueue.keys()]);
    const byCenter = new Map<string, Map<string, Counts>>();
    for (const [queueId, days] of byQueue) {
      const center = centerOf.get(queueId)!;
      const sums = byCenter.get(center) ?? new Map<string, Counts>();
      byCenter.set(center, sums);
      for (const [date, c] of days) sums.set(date, plus(sums.get(date), c));
    }
    // Every day of the range for each center that took calls: a day without calls is a 0 the review must see, not a gap.
    const centers = [...byCenter.keys()].sort((a, b) => a.localeCompare(b, 'ko'));
    return datesBetween(from, to).flatMap((date) =>
      centers.map((center) => ({ date, center, ...(byCenter.get(center)!.get(date) ?? { offered: 0, answered: 0 }) })),
    );
  }

  async function addPiece(byQueue: Map<string, Map<string, Counts>>, piece: { from: string; to: string }, timeZone: string): Promise<void> {
    const interval = `${withOffset(localMidnight(piece.from, timeZone), timeZone)}/${withOffset(localMidnight(piece.to, timeZone), timeZone)}`;
    const query: ConversationAggregationQuery = {
      interval,
      granularity: 'P1D',
      // Day buckets then run midnight to midnight local time, also across a clock change.
      timeZone,
      groupBy: ['queueId'],
      metrics: ['nOffered', 'tAnswered'],
      filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] },
    };
    const response = await http.search<ConversationAggregateQueryResponse>(AGGREGATES, query);
    for (const result of response?.results ?? []) {
      const queueId = result.group?.queueId;
      // Calls that never reached a queue (IVR only, dialled straight to an agent) belong to no center.
      if (!queueId) continue;
      const days = byQueue.get(queueId) ?? new Map<string, Counts>();
      byQueue.set(queueId, days);
      for (const bucket of result.data ?? []) {
        const date = localDate(Date.parse(bucket.interval.split('/')[0]), timeZone);
        if (!(date >= piece.from && date < piece.to)) {
          throw new VendorValidationError('cti', `POST ${AGGREGATES}: bucket ${bucket.interval} is not a day of ${interval}`);
        }
        const count = (metric: string) => bucket.metrics?.find((m) => m.metric === metric)?.stats?.count ?? 0;
        days.set(date, plus(days.get(date), { offered: count('nOffered'), answered: count('tAnswered') }));
      }
    }
  }

  /** Queue id → its division's name, from the queue listing (every page). */
  async function queueCenters(queueIds: string[]): Promise<Map<string, string>> {
    const queues = await http.listAll<Queue>(withQuery('/api/v2/routing/queues', { pageSize }));
    const centers = new Map(queues.flatMap((q) => (q.division?.name ? [[q.id, q.division.name] as const] : [])));
    const unknown = queueIds.filter((id) => !centers.has(id));
    // Calls that cannot be put in a center would make every center's total wrong without anyone noticing.
    if (unknown.length > 0) throw new VendorNotFoundError('cti', `call volume: no center (queue division) for queue(s) ${unknown.join(', ')}`);
    return centers;
  }

  return { callVolume };
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

function plus(a: Counts | undefined, b: Counts): Counts {
  return { offered: (a?.offered ?? 0) + b.offered, answered: (a?.answered ?? 0) + b.answered };
}
