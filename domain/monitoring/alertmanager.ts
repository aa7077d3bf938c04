import { z } from 'zod';

/**
 * Alertmanager's webhook payload, version 4 (prometheus/alertmanager notify/webhook), which
 * Grafana alerting's webhook contact point sends in the same shape. Only what Butler reads is
 * required; the rest passes (Grafana adds `title`, `state`, `orgId`, values…).
 */

const LabelSet = z.record(z.string().max(200), z.string().max(4_000));
export type LabelSet = z.infer<typeof LabelSet>;

/** Alertmanager writes this instant for an alert that has not ended. */
export const NOT_ENDED = '0001-01-01T00:00:00Z';

export const AlertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

const Instant = z.string().datetime({ offset: true });

export const WebhookAlert = z
  .object({
    status: AlertStatus,
    labels: LabelSet.refine((l) => Object.keys(l).length > 0, 'an alert has at least one label'),
    annotations: LabelSet.default({}),
    startsAt: Instant,
    endsAt: Instant.or(z.literal('')).optional(),
    generatorURL: z.string().max(4_000).optional(),
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{1,64}$/i, 'a hexadecimal fingerprint')
      .optional(),
  })
  .passthrough();
export type WebhookAlert = z.infer<typeof WebhookAlert>;

export const AlertmanagerWebhook = z
  .object({
    version: z.string().max(20).optional(),
    receiver: z.string().max(200).default(''),
    status: AlertStatus,
    groupKey: z.string().min(1).max(4_000),
    truncatedAlerts: z.number().int().min(0).default(0),
    groupLabels: LabelSet.default({}),
    commonLabels: LabelSet.default({}),
    commonAnnotations: LabelSet.default({}),
    externalURL: z.string().max(4_000).default(''),
    alerts: z.array(WebhookAlert).min(1).max(1_000),
  })
  .passthrough();
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;
