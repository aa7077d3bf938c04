import { z } from 'zod';
import { MetricSample, type BackupJob } from '../../adapters/telemetry/protocol';

/**
 * Values a test planted: a pinned device reports exactly these metrics (in
 * place of the synthetic ones), a pinned device's backups exactly these jobs.
 */

export const pinnedMetricsSchema = z.object({ metrics: z.array(MetricSample) }).strict();

const pinnedJob = z
  .object({
    job: z.string().min(1),
    lastSuccessAt: z.string().datetime({ offset: true }).nullable(),
    lastAttemptAt: z.string().datetime({ offset: true }).nullable(),
    status: z.enum(['ok', 'failed']),
  })
  .strict();
export const pinnedBackupsSchema = z.object({ jobs: z.array(pinnedJob) }).strict();

export type PinnedBackupJob = Omit<BackupJob, 'deviceId'>;

export interface Pins {
  metrics: Map<string, MetricSample[]>;
  backups: Map<string, PinnedBackupJob[]>;
}

export function createPins(): Pins {
  return { metrics: new Map(), backups: new Map() };
}
