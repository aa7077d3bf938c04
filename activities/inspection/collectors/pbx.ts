import type { Pool } from 'pg';
import { deviceCapacities, liveLineCount } from '../../../db/devices.repo';
import type { CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';
import type { PbxClient } from '../../../adapters/pbx/pbx-client';
import { STAND_IN_NAMES } from '../../../domain/data-source';
import { reading } from './types';
import { listTrunkCapacities } from '../../../db/trunks.repo';
import { trunkDailyUsage } from '../../../domain/line/trunk-usage';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { importLineUsage } from '../../line-usage-import';
import { monthBounds, monthDates } from '../../../domain/report/periods';
import { saveTrunkUsage } from '../../../db/trunk-usage.repo';
import { dataSource } from '../../../domain/data-source';

/**
 * What the PBX says of itself, beyond its hosts' metrics. The PBX is one
 * system (in the embedded stack one Kamailio serves every center), so these
 * are readings of the system, recorded once per center against its first PBX
 * device (lowest id), whose registered capacities stand for the system's:
 * - memory/shm: Kamailio's shared memory, used of total bytes;
 * - phones: extensions with a live registration, of extensions configured
 *   (a registration rate: here a LOW ratio is the bad one);
 * - trunks: trunks configured (dispatcher destinations), of `capacity.trunks`;
 * - lines: the center's live lines in Butler's inventory, of `capacity.lines`.
 * - trunk-peak (with the month inspected): per trunk of the center (GET /api/v1/trunks), the most
 *   calls it carried at once in the month, from the PBX's call records, of its channels.
 * A capacity the register lacks is null. A PBX that does not answer fails
 * the whole collector: no device's reading would stand for the system.
 */
export async function pbxSystemReadings(
  deps: { pool: Pool; pbx: PbxClient; pbxSimulated: boolean; cti: CtiClient; ctiSimulated: boolean },
  target: CollectorTarget,
  primary: Device,
  period?: string,
): Promise<Reading[]> {
  const [stats, lines, capacities, trunkPeaks] = await Promise.all([
    deps.pbx.statistics(),
    liveLineCount(deps.pool, target.center),
    deviceCapacities(deps.pool, [primary.id]),
    period ? monthPeaks(deps, target.center, period) : [],
  ]);
  const capacity = capacities.get(primary.id) ?? {};
  const collectedAt = new Date().toISOString();
  // The PBX simulator answers Kamailio's RPC too: its figures are named for what they are.
  const kamailio = deps.pbxSimulated
    ? ({ collectedAt, measuredBy: STAND_IN_NAMES.pbx, source: 'simulated' } as const)
    : ({ collectedAt, measuredBy: 'kamailio', source: 'vendor' } as const);
  return [
    reading(target, primary.id, {
      metric: 'memory',
      item: 'shm',
      value: stats.memory.usedBytes,
      capacity: stats.memory.totalBytes,
      unit: 'bytes',
      ...kamailio,
    }),
    reading(target, primary.id, { metric: 'phones', value: stats.ports.registered, capacity: stats.ports.extensions, unit: 'count', ...kamailio }),
    reading(target, primary.id, { metric: 'trunks', value: stats.ports.trunks, capacity: capacity.trunks ?? null, unit: 'count', ...kamailio }),
    ...trunkPeaks.map((t) =>
      reading(target, primary.id, { metric: 'trunk-peak', item: t.trunk, value: t.peak, capacity: t.channels, unit: 'count', ...kamailio }),
    ),
    reading(target, primary.id, {
      metric: 'lines',
      value: lines,
      capacity: capacity.lines ?? null,
      unit: 'count',
      collectedAt,
      measuredBy: 'line-inventory',
      source: 'vendor',
    }),
  ];
}

/**
 * The center's trunks with the most calls each carried at once in the month (Asia/Seoul), from the
 * PBX's call records; every trunk's and line's days are stored too (the report's chart of daily
 * peaks, GET /api/v1/lines/usage; the CTI centers' lines from the CTI, so a CTI that does not
 * answer then fails the collector too).
 */
async function monthPeaks(deps: { pool: Pool; pbx: PbxClient; pbxSimulated: boolean; cti: CtiClient; ctiSimulated: boolean }, center: string, period: string) {
  // Calls that overlap the month (Asia/Seoul).
  const { from, to } = monthBounds(period);
  const { fromDate, toDate } = monthDates(period);
  const [trunks, records] = await Promise.all([listTrunkCapacities(deps.pool), deps.pbx.callRecords({ from, to })]);
  const days = trunkDailyUsage(records).filter((d) => d.date.startsWith(period));
  const pbxSource = dataSource(deps.pbxSimulated);
  await saveTrunkUsage(deps.pool, fromDate, toDate, days, pbxSource);
  await importLineUsage({ ...deps, pbxSource, ctiSource: dataSource(deps.ctiSimulated) }, { fromDate, toDate }, records);
  return trunks
    .filter((t) => t.center === center)
    .map((t) => ({ trunk: t.trunk, channels: t.channels, peak: Math.max(0, ...days.filter((d) => d.trunk === t.trunk).map((d) => d.peakConcurrent)) }));
}
