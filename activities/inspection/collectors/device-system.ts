import type { CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';
import type { TelemetryClient } from '../../../adapters/telemetry/telemetry-client';
import { hostReadings } from './host-metrics';
import { sweep } from './sweep';
import type { CollectOptions, SystemCollector } from './types';

/**
 * A collector for one device system (PBX, CTI, IVR, REC, ERS, NET): first
 * what the system says of itself, if it has a vendor to ask (`systemPart`,
 * once, for the center's first device; its failure fails the collector),
 * then each device's host metrics from telemetry, a few at a time.
 */
export function deviceSystemCollector(
  telemetry: TelemetryClient,
  telemetrySimulated: boolean,
  systemPart?: (target: CollectorTarget, primary: Device, options: CollectOptions) => Promise<Reading[]>,
): SystemCollector {
  return async (target, devices, options) => {
    const primary = devices[0];
    if (!primary) return { ...target, devices: 0, readings: [], failures: [] };
    const systemReadings = systemPart ? await systemPart(target, primary, options) : [];
    const swept = await sweep(
      target,
      devices.map((d) => [d]),
      async ([device]) => ({ readings: await hostReadings(telemetry, target, device!, telemetrySimulated), failures: [] }),
      options,
    );
    return { ...target, devices: devices.length, readings: [...systemReadings, ...swept.readings], failures: swept.failures };
  };
}
