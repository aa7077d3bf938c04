import type { Pool, PoolClient } from 'pg';
import { messageOf, WebhookDeliveryError } from '../adapters/delivery-errors';
import { vetOutboundUrl, type OutboundPolicy } from '../system/outbound-url';
import { postWebhook } from '../adapters/webhook/post-webhook';
import { deliveriesOf, markSent, recordDeliveryFailure } from '../db/notification-deliveries.repo';
import { emailsOf, type OutboxRow } from '../db/notifications.repo';
import type { NotificationResult } from '../domain/notification/contracts';

/**
 * The webhook channel of `notify`: a JSON POST to every target still owed it, each marked
 * sent the moment it answers 2xx, so a retry after one target failed posts to that one only.
 */
export async function notifyByWebhooks(
  db: PoolClient,
  pool: Pool,
  row: OutboxRow,
  outbound: OutboundPolicy,
  log: (line: string) => void,
): Promise<NotificationResult['webhook']> {
  const all = await deliveriesOf(db, row.key, 'webhook');
  if (all.length === 0) return 'not-configured';
  const targets = all.filter((d) => !d.sent_at).map((d) => d.target);
  if (targets.length === 0) return 'already-sent';
  const body = JSON.stringify({
    key: row.key,
    kind: row.kind,
    about: row.about,
    subject: row.subject,
    text: row.payload.text,
    data: row.payload.data,
    recipients: emailsOf(row.recipients),
  });
  const settled = await Promise.allSettled(
    targets.map(async (url) => {
      try {
        // Vetted again at each attempt: what the name resolves to now is what the request goes to.
        const vetted = await vetOutboundUrl(url, outbound).catch((e: unknown) => {
          const origin = URL.canParse(url) ? new URL(url).origin : 'a webhook';
          throw new WebhookDeliveryError(`webhook ${origin} refused: ${messageOf(e)}`, origin, undefined, { cause: e });
        });
        await postWebhook(vetted, body, row.key);
      } catch (e) {
        await recordDeliveryFailure(db, row.key, 'webhook', [url], messageOf(e));
        throw e;
      }
      await markSent(db, pool, row.key, 'webhook', [url]);
    }),
  );
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  log(`notification ${row.key}: webhook posted to ${targets.length - errors.length} of ${targets.length} target(s)`);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(errors, `${errors.length} of ${targets.length} webhooks failed: ${errors.map(messageOf).join('; ')}`);
  }
  return 'sent';
}
