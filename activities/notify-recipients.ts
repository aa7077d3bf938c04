import type { Pool } from 'pg';
import { activeAdmins, recipientsFor } from '../db/contacts.repo';
import type { StoredRecipient } from '../db/notifications.repo';
import type { Contact, NotificationFallback, NotificationRequest } from '../domain/notification/contracts';

/**
 * Who a notification goes to: the requested audience on duty and the `cc` addresses. When
 * that is nobody, the SPM on duty is told instead, and failing that every admin: a
 * notification nobody receives is lost, so "nobody" is a last resort, recorded as such.
 */
export async function resolveRecipients(
  pool: Pool,
  req: NotificationRequest,
): Promise<{ recipients: StoredRecipient[]; fallback: NotificationFallback | null }> {
  const direct = (req.cc ?? []).map((email): StoredRecipient => ({ contactId: null, name: email, email, webhookUrl: null }));
  const roster = await recipientsFor(pool, req);
  if (roster.length + direct.length > 0) return { recipients: [...roster.map(toStoredRecipient), ...direct], fallback: null };

  const spms = await recipientsFor(pool, { ...req, audience: ['spm'] });
  if (spms.length > 0) return { recipients: spms.map(toStoredRecipient), fallback: 'spm-on-duty' };
  const admins = await activeAdmins(pool);
  if (admins.length > 0) return { recipients: admins.map(toStoredRecipient), fallback: 'admin' };
  return { recipients: [], fallback: null };
}

function toStoredRecipient(c: Contact): StoredRecipient {
  return { contactId: c.id, name: c.name, email: c.email, webhookUrl: c.webhookUrl };
}
