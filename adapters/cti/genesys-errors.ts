import {
  VendorConflictError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTransientError,
  VendorValidationError,
  type VendorError,
} from '../vendor-errors';
import type { GenesysErrorBody } from './genesys-models';

/**
 * How a Genesys answer becomes one of Butler's vendor errors. The kind decides
 * what Temporal does (retry or compensate); the Genesys body travels along as
 * the cause, so `code`, `message` and `contextId` reach the logs and history.
 */

/** What Genesys said, kept as the cause of the VendorError. */
export class GenesysApiError extends Error {
  override name = 'GenesysApiError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly contextId?: string,
  ) {
    super(message);
  }
}

/** The emulator's "same Idempotency-Key still being handled": try again later, nothing is wrong. */
const IN_PROGRESS = 'idempotency.request.in.progress';
const DEFAULT_RETRY_AFTER_MS = 1_000;

export function vendorErrorFor(request: string, status: number, body: GenesysErrorBody | undefined, retryAfter: string | null, now = Date.now()): VendorError {
  const cause = new GenesysApiError(status, body?.code, body?.message ?? `HTTP ${status}`, body?.contextId);
  const message = `${request} → ${status}${body?.code ? ` ${body.code}` : ''}: ${cause.message}`;
  const options = { cause, status };
  if (status === 404) return new VendorNotFoundError('cti', message, options);
  if (status === 409) return body?.code === IN_PROGRESS ? new VendorTransientError('cti', message, options) : new VendorConflictError('cti', message, options);
  if (status === 429) return new VendorRateLimitedError('cti', message, retryAfterMs(retryAfter, now), options);
  if (status === 501) return new VendorValidationError('cti', `not implemented by the CTI: ${message}`, options);
  if (status >= 500) return new VendorTransientError('cti', message, options);
  // 400, 422, and 401/403 after a fresh token: the request itself is wrong or not allowed; repeating it will not help.
  return new VendorValidationError('cti', message, options);
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (value === null || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}

/** A request that got no HTTP answer: refused, reset, or slower than the timeout. */
export function unreachable(request: string, err: unknown, timeoutMs: number): VendorTransientError {
  // fetch's errors may come from another realm (e.g. under a test runner): read them by shape, not instanceof.
  const { name, message } = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const text = timedOut ? `${request} timed out after ${timeoutMs} ms` : `${request} failed: ${typeof message === 'string' ? message : String(err)}`;
  return new VendorTransientError('cti', text, { cause: err });
}
