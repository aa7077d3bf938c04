import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { EmailDeliveryError, messageOf } from '../delivery-errors';

/** One e-mail of a notification: to every address still owed it, with its stored PDFs attached. */
export interface EmailMessage {
  /** The notification's key: one Message-ID per key, so a resend is recognisable as the same message. */
  key: string;
  to: string[];
  subject: string;
  text: string;
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/**
 * The e-mail channel: sends one message over SMTP and says which addresses the server
 * refused (every other one was accepted). A send the server did not take at all throws an
 * EmailDeliveryError naming every address. What was owed and what was sent is kept by the
 * caller (activities/notify-email.ts), not here.
 */
export async function sendEmail(transport: Transporter, from: string, message: EmailMessage): Promise<{ refused: string[] }> {
  const { key, to } = message;
  let rejected: string[];
  try {
    const info = await transport.sendMail({
      from,
      to,
      subject: message.subject,
      text: message.text,
      // The same Message-ID on a resend lets the receiving side recognise the duplicate.
      messageId: messageIdFor(key, from),
      headers: { 'X-Butler-Notification-Key': key },
      attachments: message.attachments,
    });
    rejected = (info.rejected as Array<string | { address: string }>).map((r) => (typeof r === 'string' ? r : r.address).toLowerCase());
  } catch (e) {
    throw new EmailDeliveryError(`e-mail failed: ${messageOf(e)}`, to, { cause: e });
  }
  return { refused: to.filter((t) => rejected.includes(t.toLowerCase())) };
}

function messageIdFor(key: string, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? 'butler.invalid';
  return `<notification.${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}
