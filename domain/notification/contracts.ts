import { z } from 'zod';

/**
 * Who is told about an incident, a line or a change, and what the notify
 * activity takes and returns. Plain data only: workflows import these types.
 */

/** `admin`: told only when nobody of the requested audience, nor an SPM, is on duty. */
/** `auditor`: receives the audit chain's signed anchors (issue 17), nothing else. */
export const Audience = z.enum(['spm', 'customer', 'oncall', 'engineer', 'admin', 'auditor']);
export type Audience = z.infer<typeof Audience>;

/** When a roster entry is on duty: resident staff in working hours, the emergency chain after. */
export const DutyHours = z.enum(['business', 'after-hours', 'always']);
export type DutyHours = z.infer<typeof DutyHours>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const ContactInput = z
  .object({
    name: text(100),
    email: z.string().trim().email().max(254).nullish(),
    webhookUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'webhookUrl must be http(s)')
      .nullish(),
    audience: Audience,
    hours: DutyHours,
    /** Omitted: the contact covers every center. */
    center: text(100).nullish(),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.email || c.webhookUrl, { message: 'a contact needs an email or a webhookUrl', path: ['email'] });
export type ContactInput = z.input<typeof ContactInput>;

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  webhookUrl: string | null;
  audience: Audience;
  hours: DutyHours;
  center: string | null;
  active: boolean;
  createdAt: string;
}

export const NotificationKind = z.enum([
  'opened',
  'sla-warning',
  'sla-breached',
  'escalated',
  'status-report',
  'resolved',
  'closed',
  'line-contract-reminder',
  'line-contract-expired',
  'line-cancelled',
  'line-active',
  'line-failed',
  'equipment-reminder',
  'equipment-overdue',
  'line-terminated',
  'line-termination-scheduled',
  'line-termination-cancelled',
  'line-termination-failed',
  'line-batch-ended',
  'change-approval-reminder',
  'change-completed',
  'change-rolled-back',
  'change-ended',
  'change-retro-approval-reminder',
  'change-retro-approval-flagged',
  'incident-report',
  'inspection-review',
  'inspection-delivered',
  'qsr-review',
  'qsr-delivered',
  'monitoring-warning',
  'monitoring-cleared',
  'bill-review',
  'bill-payment-due',
  'bill-overdue',
  'bill-dispute-follow-up',
  'billing-report-review',
  'billing-report-delivered',
  'audit-anchor',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const NotificationRequest = z
  .object({
    /** Chosen by the caller and stable across retries, e.g. `INC-1:breach:restore`. */
    key: text(200),
    /** The business key the notification is about: INC-…, LN-…, LB-… or CHG-…. */
    about: text(100),
    kind: NotificationKind,
    audience: z.array(Audience).min(1),
    subject: text(300),
    text: text(20_000),
    /** Sent as the webhook body's `data`. */
    data: z.record(z.unknown()),
    /** Picks the working-hours roster or the emergency contact chain. */
    duringBusinessHours: z.boolean(),
    /** Addresses told in addition to the roster, e.g. the customer contact named on a line request. */
    cc: z.array(z.string().trim().email().max(254)).max(10).optional(),
    /** Stored reports (ids in `reports`) attached to the e-mail as PDFs; the webhook gets their ids and hashes in `data`. */
    attachments: z.array(text(100)).max(5).optional(),
    /** Omitted: only contacts that cover every center. */
    center: text(100).optional(),
  })
  .strict();
export type NotificationRequest = z.infer<typeof NotificationRequest>;

/** Who was told instead when the requested audience had nobody on duty. */
export const NotificationFallback = z.enum(['spm-on-duty', 'admin']);
export type NotificationFallback = z.infer<typeof NotificationFallback>;

export interface NotificationResult {
  /** E-mail addresses the notification went (or goes) to, as resolved on the first attempt. */
  recipients: string[];
  fallback: NotificationFallback | null;
  /** `no-addresses`: the recipients have webhooks only. */
  email: 'sent' | 'no-addresses' | 'not-configured' | 'already-sent';
  webhook: 'sent' | 'not-configured' | 'already-sent';
}
