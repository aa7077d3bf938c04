import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import { deliveriesOf, markSent, recordDeliveryFailure } from '../../db/notification-deliveries.repo';
import type { OutboxRow } from '../../db/notifications.repo';
import { reportPdf } from '../../db/reports.repo';
import type { NotificationResult } from '../../domain/notification/contracts';
import { EmailDeliveryError, messageOf } from '../delivery-errors';

/**
 * The e-mail channel: one message to every address still owed it. Addresses the server
 * accepted are marked sent at once; refused ones stay owed, so the retry goes only to them.
 */
export async function sendEmail(
  deps: { transport?: Transporter; from: string; log: (line: string) => void; pool: Pool },
  db: PoolClient,
  row: OutboxRow,
): Promise<NotificationResult['email']> {
  const { transport } = deps;
  const all = await deliveriesOf(db, row.key, 'email');
  // E-mail targets are planned only when SMTP is configured.
  if (all.length === 0) return transport ? 'no-addresses' : 'not-configured';
  const to = all.filter((d) => !d.sent_at).map((d) => d.target);
  if (to.length === 0) return 'already-sent';
  if (!transport) {
    const error = new EmailDeliveryError('e-mail is owed but SMTP_URL is no longer set', to);
    await recordDeliveryFailure(db, row.key, 'email', to, error.message);
    throw error;
  }
  // On the connection this attempt holds (see notify): no second one from the pool.
  const attachments = await attachmentsOf(db, row);
  let rejected: string[];
  try {
    const info = await transport.sendMail({
      from: deps.from,
      to,
      subject: row.subject,
      text: row.payload.text,
      // The same Message-ID on a resend lets the receiving side recognise the duplicate.
      messageId: messageIdFor(row.key, deps.from),
      headers: { 'X-Butler-Notification-Key': row.key },
      attachments,
    });
    rejected = (info.rejected as Array<string | { address: string }>).map((r) => (typeof r === 'string' ? r : r.address).toLowerCase());
  } catch (e) {
    const error = new EmailDeliveryError(`e-mail failed: ${messageOf(e)}`, to, { cause: e });
    await recordDeliveryFailure(db, row.key, 'email', to, error.message);
    throw error;
  }
  const refused = to.filter((t) => rejected.includes(t.toLowerCase()));
  await markSent(db, deps.pool, row.key, 'email', to.filter((t) => !refused.includes(t)));
  deps.log(`notification ${row.key}: e-mail sent to ${to.length - refused.length} of ${to.length} recipient(s)`);
  if (refused.length > 0) {
    const error = new EmailDeliveryError(`e-mail refused by the server for ${refused.join(', ')}`, refused);
    await recordDeliveryFailure(db, row.key, 'email', refused, error.message);
    throw error;
  }
  return 'sent';
}

/** The stored PDFs named on the row; a missing one is a bug in the caller, so it fails without retrying. */
async function attachmentsOf(db: PoolClient, row: OutboxRow) {
  return Promise.all(
    (row.payload.attachments ?? []).map(async (id) => {
      const stored = await reportPdf(db, id);
      if (!stored) {
        throw ApplicationFailure.create({ type: 'ReportNotFound', message: `report ${id} to attach does not exist`, nonRetryable: true });
      }
      return { filename: `${id}.pdf`, content: stored.pdf, contentType: 'application/pdf' };
    }),
  );
}

function messageIdFor(key: string, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'butler.invalid';
  return `<notification.${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}
