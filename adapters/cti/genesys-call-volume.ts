import { VendorNotFoundError } from '../vendor-errors';
import type { CallVolumeRange, CenterCallVolume } from './cti-client';
import { withQuery, type GenesysHttp } from './genesys-http';
import type { Queue } from './genesys-models';
import { dailyAggregates, dayRange } from './genesys-daily-aggregates';
import { datesBetween } from './local-days';

/**
 * Daily call volume per center from Genesys analytics: conversation
 * aggregates (nOffered, tAnswered) of voice calls per queue and local day,
 * summed per center — the division each queue belongs to. A range longer
 * than one query may cover is asked for in consecutive pieces, one after the
 * other (analytics queries have a tight rate limit of their own).
 */

type Counts = { offered: number; answered: number };

export function genesysCallVolume(http: GenesysHttp, pageSize: number) {
  async function callVolume(range: CallVolumeRange): Promise<CenterCallVolume[]> {
    const days = dayRange(range, 'call volume');
    const byQueue = new Map<string, Map<string, Counts>>();
    for (const row of await dailyAggregates(http, days, { groupBy: ['queueId'], metrics: ['nOffered', 'tAnswered'] })) {
      const queueId = row.group.queueId;
      // Calls that never reached a queue (IVR only, dialled straight to an agent) belong to no center.
      if (!queueId) continue;
      const sums = byQueue.get(queueId) ?? new Map<string, Counts>();
      byQueue.set(queueId, sums);
      sums.set(row.date, plus(sums.get(row.date), { offered: row.stats('nOffered').count, answered: row.stats('tAnswered').count }));
    }
    if (byQueue.size === 0) return [];

    const centerOf = await queueCenters([...byQueue.keys()]);
    const byCenter = new Map<string, Map<string, Counts>>();
    for (const [queueId, perDay] of byQueue) {
      const center = centerOf.get(queueId)!;
      const sums = byCenter.get(center) ?? new Map<string, Counts>();
      byCenter.set(center, sums);
      for (const [date, c] of perDay) sums.set(date, plus(sums.get(date), c));
    }
    // Every day of the range for each center that took calls: a day without calls is a 0 the review must see, not a gap.
    const centers = [...byCenter.keys()].sort((a, b) => a.localeCompare(b, 'ko'));
    return datesBetween(days.from, days.to).flatMap((date) =>
      centers.map((center) => ({ date, center, ...(byCenter.get(center)!.get(date) ?? { offered: 0, answered: 0 }) })),
    );
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

function plus(a: Counts | undefined, b: Counts): Counts {
  return { offered: (a?.offered ?? 0) + b.offered, answered: (a?.answered ?? 0) + b.answered };
}
