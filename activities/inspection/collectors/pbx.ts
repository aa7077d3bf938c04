import type { Pool } from 'pg';
import { deviceCapacities, liveLineCount } from '../../../db/devices.repo';
import type { CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';
import type { PbxClient } from '../../../adapters/pbx/pbx-client';
import { STAND_IN_NAMES } from '../../../domain/data-source';
import { reading } from './types';

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
 * A capacity the register lacks is null. A PBX that does not answer fails
 * the whole collector: no device's reading would stand for the system.
 */
export async function pbxSystemReadings(
  deps: { pool: Pool; pbx: PbxClient; pbxSimulated: boolean },
  target: CollectorTarget,
  primary: Device,
): Promise<Reading[]> {
  const [stats, lines, capacities] = await Promise.all([
    deps.pbx.statistics(),
    liveLineCount(deps.pool, target.center),
    deviceCapacities(deps.pool, [primary.id]),
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
