import { ApplicationFailure } from '@temporalio/common';
import type { DeadReason } from '../domain/notification/outbox';

/** The typed failures of the notify activity. Delivery failures are retryable; a dead letter is not. */

export type Channel = 'email' | 'webhook';

export class EmailDeliveryError extends Error {
  override name = 'EmailDeliveryError';
  /** The addresses this attempt did not reach. */
  constructor(
    message: string,
    readonly targets: string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
  /** Only the origin: webhook paths often carry a secret token. */
  constructor(
    message: string,
    readonly target: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One or both channels failed; `cause` is the failure, or an AggregateError of both. Retryable. */
export class NotificationDeliveryError extends Error {
  override name = 'NotificationDeliveryError';
  constructor(
    message: string,
    readonly key: string,
    readonly failedChannels: Channel[],
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Nobody can be told (`no-recipients`), or the notification was already given up on:
 * retrying cannot help, so it fails at once and the outbox row shows it as dead.
 */
export class NotificationDeadLetter extends ApplicationFailure {
  constructor(
    readonly key: string,
    readonly reason: DeadReason,
    message: string,
    cause?: Error,
  ) {
    super(message, 'NotificationDeadLetter', true, [{ key, reason }], cause);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
