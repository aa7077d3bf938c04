import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import { sendEmail } from '../adapters/mail/send-email';
import { EmailDeliveryError, messageOf } from '../adapters/delivery-errors';
import { deliveriesOf, markSent, recordDeliveryFailure } from '../db/notification-deliveries.repo';
import type { OutboxRow } from '../db/notifications.repo';
import { reportPdf } from '../db/reports.repo';
import type { NotificationResult } from '../domain/notification/contracts';

/**
 * The e-mail channel of `notify`: one message to every address still owed it. Addresses the
 * server accepted are marked sent at once; refused ones stay owed, so the retry goes only to them.
 */
export async function notifyByEmail(
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
  let refused: string[];
  try {
    ({ refused } = await sendEmail(transport, deps.from, { key: row.key, to, subject: row.subject, text: row.payload.text, attachments }));
  } catch (e) {
    await recordDeliveryFailure(db, row.key, 'email', to, messageOf(e));
    throw e;
  }
  await markSent(
    db,
    deps.pool,
    row.key,
    'email',
    to.filter((t) => !refused.includes(t)),
  );
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
