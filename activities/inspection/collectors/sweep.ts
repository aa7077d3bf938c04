import type { CollectorTarget, Device } from '../../../domain/inspection/contracts';
import { TELEMETRY_VENDOR } from '../../../adapters/telemetry/telemetry-client';
import { VendorError, VendorTransientError, VendorValidationError } from '../../../adapters/vendor-errors';
import type { CollectOptions, Outcome } from './types';

/**
 * Reads a collector's devices in batches (one device each, or a few for a
 * vendor that answers for many at once), at most `concurrency` batches at a
 * time. A batch that throws makes each of its devices a failure and the
 * sweep goes on; only when every batch threw does the sweep throw, so that
 * Temporal retries the whole collector. Results keep the devices' order,
 * whatever order the answers came in, so reruns agree.
 */
export async function sweep(
  target: CollectorTarget,
  batches: ReadonlyArray<readonly Device[]>,
  read: (batch: readonly Device[]) => Promise<Outcome>,
  options: CollectOptions,
): Promise<Outcome> {
  const total = batches.reduce((n, b) => n + b.length, 0);
  const results: Array<Outcome | { error: unknown }> = new Array(batches.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const i = next++;
      const batch = batches[i]!;
      results[i] = await read(batch).catch((error: unknown) => ({ error }));
      done += batch.length;
      options.onDeviceDone?.(done, total);
    }
  };
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));

  const errors = results.flatMap((r) => ('error' in r ? [r.error] : []));
  if (batches.length > 0 && errors.length === batches.length) throw everyDeviceFailed(target, total, errors);
  return {
    readings: results.flatMap((r) => ('error' in r ? [] : r.readings)),
    failures: results.flatMap((r, i) => ('error' in r ? batches[i]!.map((d) => ({ deviceId: d.id, error: messageOf(r.error) })) : r.failures)),
  };
}

/** Retryable if any device's failure might pass; permanent (validation) only when none can. */
function everyDeviceFailed(target: CollectorTarget, devices: number, errors: unknown[]): VendorError {
  const vendor = errors.find((e): e is VendorError => e instanceof VendorError)?.vendor ?? TELEMETRY_VENDOR;
  const message = `${target.center}/${target.system}: all ${devices} device(s) failed; first: ${messageOf(errors[0])}`;
  const cause = new AggregateError(errors, message);
  const retryable = errors.some((e) => !(e instanceof VendorError) || e.retryable);
  return retryable ? new VendorTransientError(vendor, message, { cause }) : new VendorValidationError(vendor, message, { cause });
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
