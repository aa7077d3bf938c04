import { DAY_MS, parseInstant } from '../../../domain/calendar/local-time';
import type { CollectorTarget, Device } from '../../../domain/inspection/contracts';
import { VendorValidationError } from '../../../adapters/vendor-errors';
import { TELEMETRY_VENDOR, type TelemetryClient } from '../../../adapters/telemetry/telemetry-client';
import { dataSource } from '../../../domain/data-source';
import { sweep } from './sweep';
import { duplicateOf, reading, type Outcome, type SystemCollector } from './types';

/**
 * Backups of every device of a center: `backup-age` per job, in days
 * (fractional, to the thousandth) since its last success as of `asOf`.
 * A job that has never succeeded, or a device with no job at all, is a
 * failure entry naming why: there is no age to report, and an invented one
 * would hide the worst case among the ordinary. These failures are what the
 * backup system said, so they never make the collector throw (a retry would
 * hear the same); a request that fails does, when every request failed.
 * Devices are asked for in batches, to keep URLs short for large centers.
 */

const BATCH = 100;

export function backupCollector(telemetry: TelemetryClient, telemetrySimulated = false): SystemCollector {
  return async (target, devices, options) => {
    const asOfMs = parseInstant(options.asOf);
    const batches = Array.from({ length: Math.ceil(devices.length / BATCH) }, (_, i) => devices.slice(i * BATCH, (i + 1) * BATCH));
    const outcome = await sweep(target, batches, (batch) => readBatch(telemetry, target, batch, asOfMs, telemetrySimulated), options);
    return { ...target, devices: devices.length, ...outcome };
  };
}

async function readBatch(telemetry: TelemetryClient, target: CollectorTarget, batch: readonly Device[], asOfMs: number, simulated: boolean): Promise<Outcome> {
  const report = await telemetry.backups(
    target.center,
    batch.map((d) => d.id),
  );
  const source = dataSource(simulated || report.simulated === true);
  const asked = new Set(batch.map((d) => d.id));
  const stranger = report.jobs.find((j) => !asked.has(j.deviceId));
  if (stranger) throw new VendorValidationError(TELEMETRY_VENDOR, `backups of ${target.center} named device ${stranger.deviceId}, which was not asked for`);

  const outcome: Outcome = { readings: [], failures: [] };
  for (const device of batch) {
    const jobs = report.jobs.filter((j) => j.deviceId === device.id);
    if (jobs.length === 0) outcome.failures.push({ deviceId: device.id, error: 'no backup job is known for this device' });
    const never = jobs.filter((j) => j.lastSuccessAt === null);
    for (const job of never) {
      const attempt = job.lastAttemptAt ? `last attempt ${job.lastAttemptAt} ${job.status}` : 'never attempted';
      outcome.failures.push({ deviceId: device.id, error: `backup job "${job.job}" has never succeeded (${attempt})` });
    }
    for (const job of jobs) {
      if (job.lastSuccessAt === null) continue;
      // A success after asOf (a past period inspected again) is as fresh as a backup gets, not a negative age.
      const days = Math.max(0, asOfMs - parseInstant(job.lastSuccessAt)) / DAY_MS;
      outcome.readings.push(
        reading(target, device.id, {
          metric: 'backup-age',
          item: job.job,
          value: Math.round(days * 1000) / 1000,
          capacity: null,
          unit: 'days',
          collectedAt: report.collectedAt,
          measuredBy: report.source,
          source,
        }),
      );
    }
  }
  const duplicate = duplicateOf(outcome.readings);
  if (duplicate) throw new VendorValidationError(TELEMETRY_VENDOR, `backup job "${duplicate.item}" of ${duplicate.deviceId} was reported twice`);
  return outcome;
}
