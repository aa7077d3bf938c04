import type { CollectorResult, CollectorTarget, Device, Reading } from '../../../domain/inspection/contracts';

/** What every system's collector takes and gives (see ../collectors.ts). */

export interface CollectOptions {
  /** The instant ages and days-left are counted from (ISO-8601 with a zone). */
  asOf: string;
  /** The month inspected (YYYY-MM, Asia/Seoul): what happened over it, e.g. the trunks' peak calls. */
  period?: string;
  /** After each device is read or has failed; the activity heartbeats with it. */
  onDeviceDone?: (done: number, total: number) => void;
  /** Devices read at once (default 8). */
  concurrency?: number;
}

export type SystemCollector = (target: CollectorTarget, devices: readonly Device[], options: CollectOptions) => Promise<CollectorResult>;

export type DeviceFailure = CollectorResult['failures'][number];

/** What reading one device (or a batch of them) gave: readings, and devices whose data says they failed. */
export interface Outcome {
  readings: Reading[];
  failures: DeviceFailure[];
}

/** A reading of this target and device; the rest is the caller's. */
export function reading(target: CollectorTarget, deviceId: string, fields: Omit<Reading, 'deviceId' | 'center' | 'system'>): Reading {
  return { deviceId, center: target.center, system: target.system, ...fields };
}

/** Two readings with one (device, metric, item) would collide in inspection_readings: a bad answer, said at once. */
export function duplicateOf(readings: readonly Reading[]): Reading | undefined {
  const seen = new Set<string>();
  for (const r of readings) {
    const key = `${r.deviceId}\u0000${r.metric}\u0000${r.item ?? ''}`;
    if (seen.has(key)) return r;
    seen.add(key);
  }
  return undefined;
}
