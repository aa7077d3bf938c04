import { z } from 'zod';
import { NotificationFallback, NotificationKind } from './contracts';

/**
 * The notifications outbox as the API shows it: each notification, its state and
 * one delivery per target (e-mail address or webhook).
 */

/** `dead`: no attempt is left that could still deliver it; someone has to act. */
export const NotificationStatus = z.enum(['pending', 'sent', 'dead']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/**
 * Why a notification is dead. `retry-horizon-passed` is never stored: it is how a row reads
 * when it outlived every attempt without one marking it (a worker killed mid-attempt).
 */
export const DeadReason = z.enum(['no-recipients', 'retries-exhausted', 'not-retryable', 'retry-horizon-passed']);
export type DeadReason = z.infer<typeof DeadReason>;

export const NotificationDelivery = z.object({
  channel: z.enum(['email', 'webhook']),
  /** The e-mail address, or only the origin of a webhook URL (its path may carry a secret). */
  target: z.string(),
  /** Whom the target belongs to: a contact's name, a cc address, or `operations webhook`. */
  label: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const NotificationView = z.object({
  key: z.string(),
  about: z.string(),
  kind: NotificationKind,
  subject: z.string(),
  status: NotificationStatus,
  reason: DeadReason.nullable(),
  fallback: NotificationFallback.nullable(),
  deliveries: z.array(NotificationDelivery),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationListQuery = z
  .object({
    status: NotificationStatus.optional(),
    about: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
