import type { CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';
import { VendorValidationError } from '../../../adapters/vendor-errors';
import { TELEMETRY_VENDOR, type TelemetryClient } from '../../../adapters/telemetry/telemetry-client';
import { dataSource } from '../../../domain/data-source';
import { duplicateOf, reading } from './types';

/**
 * A device's own metrics from telemetry: host cpu/memory/disk for every
 * device, and whatever else the device reports (a switch's ports). Taken as
 * they come: value, capacity, unit and the answer's source and time;
 * `simulated` says the telemetry endpoint is a stand-in.
 */
export async function hostReadings(telemetry: TelemetryClient, target: CollectorTarget, device: Device, simulated = false): Promise<Reading[]> {
  const answer = await telemetry.deviceMetrics(device.id, { center: target.center, system: device.system });
  if (answer.deviceId !== device.id) {
    throw new VendorValidationError(TELEMETRY_VENDOR, `asked for the metrics of ${device.id}, got those of ${answer.deviceId}`);
  }
  // Simulated when the worker runs the telemetry simulator, or when the answer says it is synthetic.
  const source = dataSource(simulated || answer.simulated === true);
  const readings = answer.metrics.map((m) =>
    reading(target, device.id, {
      metric: m.name,
      value: m.value,
      capacity: m.capacity,
      unit: m.unit,
      collectedAt: answer.collectedAt,
      measuredBy: answer.source,
      source,
    }),
  );
  const duplicate = duplicateOf(readings);
  if (duplicate) throw new VendorValidationError(TELEMETRY_VENDOR, `${device.id} reported ${duplicate.metric} twice`);
  return readings;
}
