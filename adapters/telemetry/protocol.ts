import { z } from 'zod';
import { Metric } from '../../domain/inspection/contracts';

/**
 * The telemetry protocol v1 (emulators/telemetry/README.md), its messages only: the
 * client (telemetry-client.ts) reads them and the telemetry simulator writes them.
 */

export const MetricSample = z.object({
  name: Metric,
  value: z.number().finite(),
  capacity: z.number().finite().nullable(),
  unit: z.enum(['percent', 'count', 'bytes', 'days']),
});
export type MetricSample = z.infer<typeof MetricSample>;

export const DeviceMetrics = z.object({
  deviceId: z.string(),
  collectedAt: z.string().datetime({ offset: true }),
  source: z.string().min(1),
  /** true: synthetic numbers (the telemetry simulator says so in every answer); a real endpoint leaves it out. */
  simulated: z.boolean().optional(),
  metrics: z.array(MetricSample),
});
export type DeviceMetrics = z.infer<typeof DeviceMetrics>;

export const BackupJob = z.object({
  deviceId: z.string(),
  job: z.string().min(1),
  /** null: the job has never succeeded. */
  lastSuccessAt: z.string().datetime({ offset: true }).nullable(),
  lastAttemptAt: z.string().datetime({ offset: true }).nullable(),
  status: z.enum(['ok', 'failed']),
});
export type BackupJob = z.infer<typeof BackupJob>;

export const BackupReport = z.object({
  collectedAt: z.string().datetime({ offset: true }),
  source: z.string().min(1),
  /** As in DeviceMetrics. */
  simulated: z.boolean().optional(),
  jobs: z.array(BackupJob),
});
export type BackupReport = z.infer<typeof BackupReport>;
