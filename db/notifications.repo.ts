import type { Pool, PoolClient } from 'pg';
import type { NotificationRequest } from '../domain/notification/contracts';

/** The notifications outbox: one row per idempotency key, each channel marked sent once it succeeded. */

/** The roster as resolved on the first attempt; retries reuse it so nobody is added or dropped midway. */
export interface StoredRecipient {
  /** Null for an address the request named directly (`cc`), not a roster contact. */
  contactId: number | null;
  name: string;
  email: string | null;
  webhookUrl: string | null;
}

export interface OutboxRow {
  key: string;
  about: string;
  kind: NotificationRequest['kind'];
  subject: string;
  recipients: StoredRecipient[];
  payload: { text: string; data: Record<string, unknown>; attachments?: string[] };
  email_sent_at: Date | null;
  webhook_sent_at: Date | null;
}

/**
 * Serialises attempts for one key (a timed-out attempt may still be running when Temporal
 * starts the next). A session advisory lock, not SELECT … FOR UPDATE, so that each
 * *_sent_at mark commits the moment its channel succeeds.
 */
export async function withKeyLock<T>(pool: Pool, key: string, fn: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [key]);
    return await fn(db);
  } finally {
    try {
      await db.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
      db.release();
    } catch (e) {
      // Destroying the connection ends its session, which releases the lock too.
      db.release(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

export async function insertOrLoad(db: PoolClient, req: NotificationRequest, recipients: StoredRecipient[]): Promise<OutboxRow> {
  const payload = {
    text: req.text,
    data: req.data,
    audience: req.audience,
    duringBusinessHours: req.duringBusinessHours,
    center: req.center ?? null,
    attachments: req.attachments ?? [],
  };
  await db.query(
    `INSERT INTO notifications (key, about, kind, subject, recipients, payload)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
    [req.key, req.about, req.kind, req.subject, JSON.stringify(recipients), JSON.stringify(payload)],
  );
  const { rows } = await db.query<OutboxRow>(
    `SELECT key, about, kind, subject, recipients, payload, email_sent_at, webhook_sent_at
       FROM notifications WHERE key = $1`,
    [req.key],
  );
  return rows[0];
}


export async function markSent(db: PoolClient, key: string, channel: 'email' | 'webhook'): Promise<void> {
  const column = channel === 'email' ? 'email_sent_at' : 'webhook_sent_at';
  await db.query(`UPDATE notifications SET ${column} = now() WHERE key = $1`, [key]);
}

export async function recordError(db: PoolClient, key: string, message: string): Promise<void> {
  await db.query(`UPDATE notifications SET last_error = $2 WHERE key = $1`, [key, message]);
}
