import type { CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { STAND_IN_NAMES } from '../../../domain/data-source';
import { reading } from './types';

/**
 * Licence seats of the CTI, one reading per licence (assigned of bought).
 * Licences belong to the CTI system, not to a server, so they are recorded
 * against the center's first CTI device (lowest id). A CTI that does not
 * answer fails the whole collector.
 */
export async function ctiSystemReadings(cti: CtiClient, target: CollectorTarget, primary: Device, simulated = false): Promise<Reading[]> {
  const usage = await cti.licenceUsage();
  const collectedAt = new Date().toISOString();
  const origin = simulated ? ({ measuredBy: STAND_IN_NAMES.cti, source: 'simulated' } as const) : ({ measuredBy: 'cti', source: 'vendor' } as const);
  return usage.map((u) =>
    reading(target, primary.id, { metric: 'licences', item: u.licence, value: u.assigned, capacity: u.total, unit: 'count', collectedAt, ...origin }),
  );
}
