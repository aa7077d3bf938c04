import { ApplicationFailure } from '@temporalio/common';
import { createTransport } from 'nodemailer';
import { STRICT_OUTBOUND, type OutboundPolicy } from '../system/outbound-url';
import type { Pool, PoolClient } from 'pg';
import { planDeliveries, type PlannedTarget } from '../db/notification-deliveries.repo';
import { emailsOf, insertOrLoad, markDead, recordError, syncChannelColumns, withKeyLock, type OutboxRow } from '../db/notifications.repo';
import { NotificationRequest, type NotificationResult } from '../domain/notification/contracts';
import { deadReasonFor, logDeadLetter } from './notify-dead-letter';
import { type Channel, messageOf, NotificationDeadLetter, NotificationDeliveryError } from '../adapters/delivery-errors';
import { notifyByEmail } from './notify-email';
import { resolveRecipients } from './notify-recipients';
import { notifyByWebhooks } from './notify-webhooks';

export { EmailDeliveryError, NotificationDeadLetter, NotificationDeliveryError, WebhookDeliveryError } from '../adapters/delivery-errors';

/**
 * Incident notifications: e-mail over SMTP and a JSON webhook, to the roster on duty.
 * Temporal may run `notify` more than once for the same request, so every request
 * goes through the `notifications` outbox with one delivery row per target, each marked
 * sent the moment it succeeds: a retry sends only to the targets still owed. When no
 * attempt is left, the row is a dead letter (GET /api/v1/notifications?status=dead).
 */

export interface NotificationDeps {
  pool: Pool;
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
  /** Where webhooks may go (system/outbound-url.ts); the strictest by default. */
  outbound?: OutboundPolicy;
  log?: (line: string) => void;
}

// Bounded so that a hung server fails the attempt (and Temporal retries) instead of holding the key lock.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 };

export function createNotificationActivities({ pool, mail, webhookUrl, outbound = STRICT_OUTBOUND, log = () => undefined }: NotificationDeps) {
  const transport = mail.smtpUrl ? createTransport({ url: mail.smtpUrl, ...SMTP_TIMEOUTS }) : undefined;
  if (!transport) log('notifications: SMTP_URL is not set, e-mail will not be sent');

  /** Who is owed what: e-mail only when SMTP is configured; the operations webhook and each recipient's. */
  function targetsOf(row: OutboxRow): PlannedTarget[] {
    const emails: PlannedTarget[] = transport
      ? emailsOf(row.recipients).map((email) => ({
          channel: 'email',
          target: email,
          label: row.recipients.find((r) => r.email?.toLowerCase() === email.toLowerCase())?.name ?? email,
        }))
      : [];
    const hooks = new Map<string, string>();
    if (webhookUrl) hooks.set(webhookUrl, 'operations webhook');
    for (const r of row.recipients) if (r.webhookUrl && !hooks.has(r.webhookUrl)) hooks.set(r.webhookUrl, r.name);
    return [...emails, ...[...hooks].map(([target, label]): PlannedTarget => ({ channel: 'webhook', target, label }))];
  }

  async function deliver(db: PoolClient, row: OutboxRow): Promise<NotificationResult> {
    // Both channels are tried even when one fails: an SMTP outage must not hold back the webhook.
    const [email, webhook] = await Promise.allSettled([
      notifyByEmail({ transport, from: mail.from, log, pool }, db, row),
      notifyByWebhooks(db, pool, row, outbound, log),
    ]);
    await syncChannelColumns(db, row.key);
    if (email.status === 'fulfilled' && webhook.status === 'fulfilled') {
      return { recipients: emailsOf(row.recipients), fallback: row.fallback, email: email.value, webhook: webhook.value };
    }
    const failures = (
      [
        ['email', email],
        ['webhook', webhook],
      ] as const
    ).flatMap(([channel, s]) => (s.status === 'rejected' ? [{ channel: channel as Channel, error: s.reason as Error }] : []));
    const message = failures.map((f) => `${f.channel}: ${messageOf(f.error)}`).join('; ');
    await recordError(db, row.key, message);
    log(`notification ${row.key}: ${message}`);
    // A non-retryable cause (a missing attachment) stays the failure Temporal sees, so it is not retried.
    if (failures.length === 1 && failures[0]!.error instanceof ApplicationFailure) throw failures[0]!.error;
    const cause =
      failures.length === 1
        ? failures[0]!.error
        : new AggregateError(
            failures.map((f) => f.error),
            message,
          );
    throw new NotificationDeliveryError(
      `notification ${row.key} not delivered: ${message}`,
      row.key,
      failures.map((f) => f.channel),
      { cause },
    );
  }

  /** The row, and its targets planned in the same transaction, so no reader sees a row owing nothing. */
  async function openRow(
    db: PoolClient,
    req: NotificationRequest,
    { recipients, fallback }: Awaited<ReturnType<typeof resolveRecipients>>,
  ): Promise<OutboxRow> {
    await db.query('BEGIN');
    try {
      const row = await insertOrLoad(db, req, recipients, fallback);
      if (row.about !== req.about || row.kind !== req.kind) {
        throw ApplicationFailure.create({
          type: 'NotificationKeyConflict',
          message: `key ${req.key} was already used for ${row.about} (${row.kind})`,
          nonRetryable: true,
        });
      }
      if (!row.dead_at) await planDeliveries(db, row.key, targetsOf(row));
      await db.query('COMMIT');
      return row;
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    }
  }

  async function deadLetter(db: PoolClient, row: OutboxRow, reason: Exclude<NotificationDeadLetter['reason'], 'retry-horizon-passed'>, error: unknown) {
    await markDead(db, row.key, reason, messageOf(error));
    await logDeadLetter(db, row, reason, error, log);
  }

  return {
    async notify(input: NotificationRequest): Promise<NotificationResult> {
      const req = parseRequest(input);
      // Resolved before the key lock is taken: under the lock this attempt holds a pooled connection,
      // and waiting there for a second one could exhaust the pool when many notify at once.
      const resolved = await resolveRecipients(pool, req);
      return withKeyLock(pool, req.key, async (db) => {
        const row = await openRow(db, req, resolved);
        if (row.dead_at) {
          throw new NotificationDeadLetter(
            row.key,
            row.dead_reason ?? 'retries-exhausted',
            `notification ${row.key} was given up on already (${row.dead_reason})`,
          );
        }
        if (row.recipients.length === 0) {
          const error = new NotificationDeadLetter(row.key, 'no-recipients', `notification ${row.key}: nobody to tell, not even an SPM on duty or an admin`);
          await deadLetter(db, row, 'no-recipients', error);
          throw error;
        }
        try {
          return await deliver(db, row);
        } catch (e) {
          // Marked before rethrowing: after this attempt nobody will try again.
          const reason = deadReasonFor(e);
          if (reason) await deadLetter(db, row, reason, e);
          throw e;
        }
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
