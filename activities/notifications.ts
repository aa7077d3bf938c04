import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createTransport } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import { recipientsFor } from '../db/contacts.repo';
import { reportPdf } from '../db/reports.repo';
import {
  insertOrLoad,
  markSent,
  recordError,
  withKeyLock,
  type OutboxRow,
  type StoredRecipient,
} from '../db/notifications.repo';
import {
  type Contact,
  NotificationRequest,
  type NotificationResult,
} from '../domain/notification/contracts';

/**
 * Incident notifications: e-mail over SMTP and a JSON webhook, to the roster on duty.
 * Temporal may run `notify` more than once for the same request, so every request
 * goes through the `notifications` outbox, and each channel is marked sent the moment
 * it succeeds: a retry after a partial failure sends only what is missing.
 */

export interface NotificationDeps {
  pool: Pool;
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
  log?: (line: string) => void;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
// Bounded so that a hung server fails the attempt (and Temporal retries) instead of holding the key lock.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 };

type Channel = 'email' | 'webhook';

export class EmailDeliveryError extends Error {
  override name = 'EmailDeliveryError';
}

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
  /** Only the origin: webhook paths often carry a secret token. */
  constructor(message: string, readonly target: string, readonly status?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** One or both channels failed; `cause` is the failure, or an AggregateError of both. Retryable. */
export class NotificationDeliveryError extends Error {
  override name = 'NotificationDeliveryError';
  constructor(message: string, readonly key: string, readonly failedChannels: Channel[], options: ErrorOptions) {
    super(message, options);
  }
}

export function createNotificationActivities({ pool, mail, webhookUrl, log = () => undefined }: NotificationDeps) {
  const transport = mail.smtpUrl ? createTransport({ url: mail.smtpUrl, ...SMTP_TIMEOUTS }) : undefined;
  if (!transport) log('notifications: SMTP_URL is not set, e-mail will not be sent');

  async function sendEmailOnce(db: PoolClient, row: OutboxRow): Promise<NotificationResult['email']> {
    if (row.email_sent_at) return 'already-sent';
    if (!transport) return 'not-configured';
    const to = emailsOf(row.recipients);
    if (to.length === 0) return 'no-recipients';
    const attachments = await attachmentsOf(row);
    let rejected: string[] = [];
    try {
      const info = await transport.sendMail({
        from: mail.from,
        to,
        subject: row.subject,
        text: row.payload.text,
        // The same Message-ID on a resend lets the receiving side recognise the duplicate.
        messageId: messageIdFor(row.key, mail.from),
        headers: { 'X-Butler-Notification-Key': row.key },
        attachments,
      });
      rejected = info.rejected;
    } catch (e) {
      throw new EmailDeliveryError(`e-mail failed: ${messageOf(e)}`, { cause: e });
    }
    await markSent(db, row.key, 'email');
    // Some addresses refused, others accepted: resending would duplicate for the accepted ones, so report, not retry.
    const refused = rejected.length > 0 ? `; refused by the server: ${rejected.join(', ')}` : '';
    log(`notification ${row.key}: e-mail sent to ${to.length - rejected.length} of ${to.length} recipient(s)${refused}`);
    return 'sent';
  }

  /** The stored PDFs named on the row; a missing one is a bug in the caller, so it fails without retrying. */
  async function attachmentsOf(row: OutboxRow) {
    return Promise.all(
      (row.payload.attachments ?? []).map(async (id) => {
        const stored = await reportPdf(pool, id);
        if (!stored) {
          throw ApplicationFailure.create({ type: 'ReportNotFound', message: `report ${id} to attach does not exist`, nonRetryable: true });
        }
        return { filename: `${id}.pdf`, content: stored.pdf, contentType: 'application/pdf' };
      }),
    );
  }

  async function sendWebhooksOnce(db: PoolClient, row: OutboxRow): Promise<NotificationResult['webhook']> {
    if (row.webhook_sent_at) return 'already-sent';
    const targets = unique([webhookUrl, ...row.recipients.map((r) => r.webhookUrl)]);
    if (targets.length === 0) return 'not-configured';
    const body = JSON.stringify({
      key: row.key,
      kind: row.kind,
      about: row.about,
      subject: row.subject,
      text: row.payload.text,
      data: row.payload.data,
      recipients: emailsOf(row.recipients),
    });
    const settled = await Promise.allSettled(targets.map((url) => postJson(url, body, row.key)));
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    // One timestamp for the channel: a retry re-posts to every target, and receivers dedupe on the key.
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AggregateError(errors, `${errors.length} of ${targets.length} webhooks failed: ${errors.map(messageOf).join('; ')}`);
    }
    await markSent(db, row.key, 'webhook');
    log(`notification ${row.key}: webhook posted to ${targets.length} target(s)`);
    return 'sent';
  }

  async function deliver(db: PoolClient, row: OutboxRow): Promise<NotificationResult> {
    // Both channels are tried even when one fails: an SMTP outage must not hold back the webhook.
    const [email, webhook] = await Promise.allSettled([sendEmailOnce(db, row), sendWebhooksOnce(db, row)]);
    if (email.status === 'fulfilled' && webhook.status === 'fulfilled') {
      return { recipients: emailsOf(row.recipients), email: email.value, webhook: webhook.value };
    }
    const failures = (
      [
        ['email', email],
        ['webhook', webhook],
      ] as const
    ).flatMap(([channel, s]) => (s.status === 'rejected' ? [{ channel, error: s.reason as Error }] : []));
    const message = failures.map((f) => `${f.channel}: ${messageOf(f.error)}`).join('; ');
    await recordError(db, row.key, message);
    log(`notification ${row.key}: ${message}`);
    const cause = failures.length === 1 ? failures[0].error : new AggregateError(failures.map((f) => f.error), message);
    throw new NotificationDeliveryError(`notification ${row.key} not delivered: ${message}`, row.key, failures.map((f) => f.channel), { cause });
  }

  return {
    async notify(input: NotificationRequest): Promise<NotificationResult> {
      const req = parseRequest(input);
      const roster = await recipientsFor(pool, req);
      return withKeyLock(pool, req.key, async (db) => {
        const direct = (req.cc ?? []).map((email): StoredRecipient => ({ contactId: null, name: email, email, webhookUrl: null }));
        const row = await insertOrLoad(db, req, [...roster.map(toStoredRecipient), ...direct]);
        if (row.about !== req.about || row.kind !== req.kind) {
          throw ApplicationFailure.create({
            type: 'NotificationKeyConflict',
            message: `key ${req.key} was already used for ${row.about} (${row.kind})`,
            nonRetryable: true,
          });
        }
        return deliver(db, row);
      });
    },
  };
}

function parseRequest(input: unknown): NotificationRequest {
  const parsed = NotificationRequest.safeParse(input);
  if (parsed.success) return parsed.data;
  // Retrying cannot fix a malformed request.
  throw ApplicationFailure.create({
    type: 'InvalidNotificationRequest',
    message: `invalid notification request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    nonRetryable: true,
    cause: parsed.error,
  });
}

async function postJson(url: string, body: string, key: string): Promise<void> {
  const target = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (e) {
    throw new WebhookDeliveryError(`webhook ${target} unreachable: ${messageOf(e)}`, target, undefined, { cause: e });
  }
  // Read the body either way so the connection is released.
  const answer = await response.text().catch(() => '');
  if (!response.ok) {
    throw new WebhookDeliveryError(`webhook ${target} answered ${response.status} ${answer.slice(0, 200)}`.trim(), target, response.status);
  }
}

function toStoredRecipient(c: Contact): StoredRecipient {
  return { contactId: c.id, name: c.name, email: c.email, webhookUrl: c.webhookUrl };
}

/** One address per person even when they are on the roster under two audiences. */
function emailsOf(recipients: StoredRecipient[]): string[] {
  const seen = new Map<string, string>();
  for (const r of recipients) if (r.email && !seen.has(r.email.toLowerCase())) seen.set(r.email.toLowerCase(), r.email);
  return [...seen.values()];
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

function messageIdFor(key: string, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'butler.invalid';
  return `<notification.${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
