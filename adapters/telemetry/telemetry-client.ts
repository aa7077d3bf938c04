import { z } from 'zod';
import type { DeviceSystem } from '../../domain/inspection/contracts';
import { retryAfterMs } from '../cti/genesys-errors';
import { BackupReport, DeviceMetrics } from './protocol';
import { VendorNotFoundError, VendorRateLimitedError, VendorTransientError, VendorValidationError, type Vendor, type VendorError } from '../vendor-errors';

/**
 * Client of the telemetry protocol v1 (emulators/telemetry/README.md): host
 * metrics of a device and the state of backup jobs. Only the TELEMETRY
 * SIMULATOR speaks it today; the `source` of each answer says who measured,
 * and travels into every reading. Failures are vendor errors; it never
 * retries (Temporal does).
 */

// vendor-errors.ts's Vendor union does not name 'telemetry' yet (change requested); widened here, in one place.
export const TELEMETRY_VENDOR: Vendor = 'telemetry';
const TELEMETRY = TELEMETRY_VENDOR;

export { BackupJob, BackupReport, DeviceMetrics, MetricSample } from './protocol';

export interface TelemetryClient {
  /** `hints` shape what is measured (a NET device has ports) and let faults target a center. */
  deviceMetrics(deviceId: string, hints?: { center?: string; system?: DeviceSystem }): Promise<DeviceMetrics>;
  /** Backup jobs of these devices of a center (ids must not contain commas). */
  backups(center: string, deviceIds: readonly string[]): Promise<BackupReport>;
}

export interface TelemetryClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createTelemetryClient(options: TelemetryClientOptions): TelemetryClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function get<S extends z.ZodTypeAny>(path: string, query: Record<string, string | undefined>, schema: S): Promise<z.infer<S>> {
    const request = `GET ${path}`;
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const qs = params.toString();
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${baseUrl}${path}${qs ? `?${qs}` : ''}`, { signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (err) {
      throw unreachable(request, err, timeoutMs);
    }
    if (res.status < 200 || res.status >= 300) throw telemetryErrorFor(request, res.status, text, res.headers.get('retry-after'));
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      // Our own protocol answered in another shape: a bug on one side, not something a retry mends.
      throw new VendorValidationError(TELEMETRY, `${request}: answer does not follow telemetry protocol v1: ${parsed.error.message}`, { cause: parsed.error });
    }
    return parsed.data;
  }

  return {
    deviceMetrics: (deviceId, hints = {}) =>
      get(`/v1/devices/${encodeURIComponent(deviceId)}/metrics`, { center: hints.center, system: hints.system }, DeviceMetrics),
    backups: (center, deviceIds) => get('/v1/backups', { center, devices: deviceIds.join(',') }, BackupReport),
  };
}

/** What the telemetry service said, kept as the cause of the vendor error. */
export class TelemetryApiError extends Error {
  override name = 'TelemetryApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export function telemetryErrorFor(request: string, status: number, text: string, retryAfter: string | null): VendorError {
  const body = parseJson(text) as { error?: { code?: string; message?: string } } | undefined;
  const cause = new TelemetryApiError(status, body?.error?.code, body?.error?.message ?? (text.slice(0, 200) || `HTTP ${status}`));
  const message = `${request} → ${status}${cause.code ? ` ${cause.code}` : ''}: ${cause.message}`;
  const options = { cause, status };
  if (status === 404) return new VendorNotFoundError(TELEMETRY, message, options);
  if (status === 429) return new VendorRateLimitedError(TELEMETRY, message, retryAfterMs(retryAfter), options);
  if (status >= 500 || status === 408) return new VendorTransientError(TELEMETRY, message, options);
  return new VendorValidationError(TELEMETRY, message, options);
}

/** No HTTP answer at all: refused, reset, or slower than the timeout. */
function unreachable(request: string, err: unknown, timeoutMs: number): VendorTransientError {
  // fetch's errors may come from another realm (a test VM): read them by shape, not instanceof.
  const { name, message } = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const detail = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const text = timedOut
    ? `${request} timed out after ${timeoutMs} ms`
    : `${request} failed: ${typeof message === 'string' ? message : String(err)}${typeof detail === 'string' ? ` (${detail})` : ''}`;
  return new VendorTransientError(TELEMETRY, text, { cause: err });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
