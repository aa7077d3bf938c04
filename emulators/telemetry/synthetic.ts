import { createHash } from 'node:crypto';
import type { BackupJob, MetricSample } from '../../adapters/telemetry/protocol';
import { SEOUL_OFFSET_MS } from '../../domain/calendar/seoul';

/**
 * What the TELEMETRY SIMULATOR reports when nothing is pinned: synthetic
 * values, deterministic from (device id, Seoul month), so a rerun of the same
 * month agrees and month-over-month trends move. About one metric in twelve
 * is "stressed" (near the 80 % warning line or past it); the rest are healthy.
 * Sizes (RAM, disk, switch ports) depend on the device id only: hardware does
 * not change from month to month.
 */

const DAY_MS = 86_400_000;
const GIB = 1024 ** 3;
const GB = 1e9;
/** The nightly backup window opens at 02:00 Seoul time. */
const BACKUP_HOUR_MS = 2 * 3_600_000;

/** A number in [0, 1) from the words given; the same words, the same number. */
export function unit(...words: string[]): number {
  return createHash('sha256').update(words.join('|')).digest().readUInt32BE(0) / 2 ** 32;
}

export function seoulMonth(now: Date): string {
  return new Date(now.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 7);
}

const pick = <T>(options: readonly T[], u: number): T => options[Math.floor(u * options.length)]!;

/** A used fraction: healthy most months, now and then between 0.78 and 0.95. */
function usedFraction(deviceId: string, month: string, metric: string): number {
  const stressed = unit(deviceId, month, metric, 'stressed') < 1 / 12;
  const u = unit(deviceId, month, metric);
  return stressed ? 0.78 + 0.17 * u : 0.2 + 0.5 * u;
}

export function syntheticMetrics(deviceId: string, system: string | undefined, now: Date): MetricSample[] {
  const month = seoulMonth(now);
  const memoryTotal = pick([16, 32, 64, 128], unit(deviceId, 'memory-size')) * GIB;
  const diskTotal = pick([480, 960, 1920, 3840], unit(deviceId, 'disk-size')) * GB;
  const metrics: MetricSample[] = [
    { name: 'cpu', value: Math.round(usedFraction(deviceId, month, 'cpu') * 1000) / 10, capacity: 100, unit: 'percent' },
    { name: 'memory', value: Math.round(usedFraction(deviceId, month, 'memory') * memoryTotal), capacity: memoryTotal, unit: 'bytes' },
    { name: 'disk', value: Math.round(usedFraction(deviceId, month, 'disk') * diskTotal), capacity: diskTotal, unit: 'bytes' },
  ];
  if (system === 'NET') {
    const ports = pick([24, 48], unit(deviceId, 'port-count'));
    metrics.push({ name: 'ports', value: Math.round(usedFraction(deviceId, month, 'ports') * ports), capacity: ports, unit: 'count' });
  }
  return metrics;
}

/**
 * Two jobs per device: `config` nightly and `image` weekly, both in the 02:00
 * window. Ages count from the latest window that has opened, so reruns on the
 * same day agree; a few device-months have a job failing for some days.
 */
export function syntheticBackups(deviceId: string, now: Date): BackupJob[] {
  const month = seoulMonth(now);
  const localMidnight = Math.floor((now.getTime() + SEOUL_OFFSET_MS) / DAY_MS) * DAY_MS - SEOUL_OFFSET_MS;
  const window = localMidnight + BACKUP_HOUR_MS <= now.getTime() ? localMidnight + BACKUP_HOUR_MS : localMidnight + BACKUP_HOUR_MS - DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();

  const configFailing = unit(deviceId, month, 'config', 'failing') < 0.07;
  const configDaysLate = configFailing ? 2 + Math.floor(unit(deviceId, month, 'config') * 5) : 0;
  const imageFailing = unit(deviceId, month, 'image', 'failing') < 0.05;
  const imageDays = Math.floor(unit(deviceId, month, 'image') * 7) + (imageFailing ? 7 + Math.floor(unit(deviceId, month, 'image', 'late') * 8) : 0);
  return [
    {
      deviceId,
      job: 'config',
      lastSuccessAt: iso(window - configDaysLate * DAY_MS),
      lastAttemptAt: iso(window),
      status: configFailing ? 'failed' : 'ok',
    },
    {
      deviceId,
      job: 'image',
      lastSuccessAt: iso(window - imageDays * DAY_MS),
      lastAttemptAt: iso(imageFailing ? window : window - imageDays * DAY_MS),
      status: imageFailing ? 'failed' : 'ok',
    },
  ];
}
