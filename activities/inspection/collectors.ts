import type { Pool } from 'pg';
import type { CollectorResult, CollectorTarget, Device, InspectedSystem } from '../../domain/inspection/contracts';
import type { CtiClient } from '../../adapters/cti/cti-client';
import type { PbxClient } from '../../adapters/pbx/pbx-client';
import { assetCollector } from './collectors/asset';
import { backupCollector } from './collectors/backup';
import { ctiSystemReadings } from './collectors/cti';
import { deviceSystemCollector } from './collectors/device-system';
import { pbxSystemReadings } from './collectors/pbx';
import type { CollectOptions, SystemCollector } from './collectors/types';
import type { TelemetryClient } from '../../adapters/telemetry/telemetry-client';
import type { SimulatedVendors } from '../../domain/data-source';

/**
 * The monthly inspection's collectors: one per inspected system, each reading
 * one center's devices of that system (BACKUP and ASSET: all the center's
 * devices) into raw readings. Rules, elsewhere, make findings of them.
 *
 * A device that cannot be read is a failure entry and the others are still
 * read; `collect` throws only when the system's own vendor fails (PBX
 * statistics, CTI licences) or every device failed, so Temporal retries it.
 */

export interface CollectorDeps {
  pool: Pool;
  pbx: PbxClient;
  cti: CtiClient;
  telemetry: TelemetryClient;
  /** Which vendors are stand-ins: their readings are marked simulated. */
  simulated: SimulatedVendors;
}

export type { CollectOptions } from './collectors/types';

export interface Collectors {
  collect(target: CollectorTarget, devices: Device[], options: CollectOptions): Promise<CollectorResult>;
}

export function createCollectors(deps: CollectorDeps): Collectors {
  const { telemetry, simulated } = deps;
  const t = simulated.telemetry;
  const bySystem: Record<InspectedSystem, SystemCollector> = {
    PBX: deviceSystemCollector(telemetry, t, (target, primary, options) =>
      pbxSystemReadings({ ...deps, pbxSimulated: simulated.pbx, ctiSimulated: simulated.cti }, target, primary, options.period),
    ),
    CTI: deviceSystemCollector(telemetry, t, (target, primary) => ctiSystemReadings(deps.cti, target, primary, simulated.cti)),
    IVR: deviceSystemCollector(telemetry, t),
    REC: deviceSystemCollector(telemetry, t),
    ERS: deviceSystemCollector(telemetry, t),
    NET: deviceSystemCollector(telemetry, t),
    BACKUP: backupCollector(telemetry, t),
    ASSET: assetCollector,
  };
  return {
    collect: (target, devices, options) => bySystem[target.system](target, devices, options),
  };
}
