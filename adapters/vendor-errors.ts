import { ApplicationFailure } from '@temporalio/common';

/**
 * Errors of the systems Butler drives (PBX, CTI). Adapters throw exactly one of
 * these per failure, and `toActivityFailure` turns it into the ApplicationFailure
 * whose type and retryability tell Temporal what to do: not-found, conflict and
 * validation are permanent (the saga compensates); transient and rate-limited
 * are retried, the latter no sooner than the vendor asked.
 */

export type Vendor = 'pbx' | 'cti' | 'sip' | 'telemetry';
export type VendorErrorKind = 'not-found' | 'conflict' | 'validation' | 'transient' | 'rate-limited';

export abstract class VendorError extends Error {
  abstract readonly kind: VendorErrorKind;
  constructor(
    readonly vendor: Vendor,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(`${vendor}: ${message}`, { cause: options?.cause });
    this.status = options?.status;
  }
  readonly status?: number;
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }
}

export class VendorNotFoundError extends VendorError {
  override name = 'VendorNotFound';
  readonly kind = 'not-found';
}

export class VendorConflictError extends VendorError {
  override name = 'VendorConflict';
  readonly kind = 'conflict';
}

export class VendorValidationError extends VendorError {
  override name = 'VendorValidation';
  readonly kind = 'validation';
}

export class VendorTransientError extends VendorError {
  override name = 'VendorTransient';
  readonly kind = 'transient';
}

export class VendorRateLimitedError extends VendorError {
  override name = 'VendorRateLimited';
  readonly kind = 'rate-limited';
  constructor(
    vendor: Vendor,
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown; status?: number },
  ) {
    super(vendor, message, options);
  }
}

/** The failure an activity rethrows for a vendor error; anything else passes through unchanged. */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof VendorError)) return err;
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: !err.retryable,
    nextRetryDelay: err instanceof VendorRateLimitedError ? err.retryAfterMs : undefined,
    details: [{ vendor: err.vendor, kind: err.kind, status: err.status }],
    cause: err.cause instanceof Error ? err.cause : undefined,
  });
}

/** Wraps every method of an adapter-backed activity object so vendor errors become typed activity failures. */
export async function asActivity<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
