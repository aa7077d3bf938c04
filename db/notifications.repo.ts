import type { Pool, PoolClient } from 'pg';
import type { NotificationFallback, NotificationRequest } from '../domain/notification/contracts';
import type { DeadReason } from '../domain/notification/outbox';

/**
 * The notifications outbox: one row per idempotency key. What was sent to whom lives in
 * `notification_deliveries` (notification-deliveries.repo.ts); the channel columns are derived from it.
 */

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
  fallback: NotificationFallback | null;
  email_sent_at: Date | null;
  webhook_sent_at: Date | null;
  dead_at: Date | null;
  dead_reason: DeadReason | null;
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

/** The row for the key, created with these recipients on the first attempt; every attempt is counted. */
export async function insertOrLoad(
  db: PoolClient,
  req: NotificationRequest,
  recipients: StoredRecipient[],
  fallback: NotificationFallback | null,
): Promise<OutboxRow> {
  const payload = {
    text: req.text,
    data: req.data,
    audience: req.audience,
    duringBusinessHours: req.duringBusinessHours,
    center: req.center ?? null,
    attachments: req.attachments ?? [],
  };
  await db.query(
    `INSERT INTO notifications (key, about, kind, subject, recipients, payload, fallback, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
     ON CONFLICT (key) DO UPDATE SET attempts = notifications.attempts + 1`,
    [req.key, req.about, req.kind, req.subject, JSON.stringify(recipients), JSON.stringify(payload), fallback],
  );
  const { rows } = await db.query<OutboxRow>(
    `SELECT key, about, kind, subject, recipients, payload, fallback, email_sent_at, webhook_sent_at, dead_at, dead_reason
       FROM notifications WHERE key = $1`,
    [req.key],
  );
  return rows[0]!;
}

/** Keeps the channel columns (read by older tools and tests) derived: set once every target of the channel is sent. */
export async function syncChannelColumns(db: PoolClient, key: string): Promise<void> {
  // bool_and over no rows is null: a channel without targets stays unset.
  await db.query(
    `UPDATE notifications n SET
       email_sent_at = coalesce(n.email_sent_at, CASE WHEN s.email_done THEN now() END),
       webhook_sent_at = coalesce(n.webhook_sent_at, CASE WHEN s.webhook_done THEN now() END)
     FROM (SELECT bool_and(sent_at IS NOT NULL) FILTER (WHERE channel = 'email') AS email_done,
                  bool_and(sent_at IS NOT NULL) FILTER (WHERE channel = 'webhook') AS webhook_done
             FROM notification_deliveries WHERE notification_key = $1) s
     WHERE n.key = $1`,
    [key],
  );
}

/** Marks the notification dead; the first reason stands. */
export async function markDead(db: PoolClient, key: string, reason: Exclude<DeadReason, 'retry-horizon-passed'>, error?: string): Promise<void> {
  await db.query(
    `UPDATE notifications SET dead_at = now(), dead_reason = $2, last_error = coalesce($3, last_error)
      WHERE key = $1 AND dead_at IS NULL`,
    [key, reason, error ?? null],
  );
}

export async function recordError(db: PoolClient, key: string, message: string): Promise<void> {
  await db.query(`UPDATE notifications SET last_error = $2 WHERE key = $1`, [key, message]);
}

/** One address per person even when they are on the roster under two audiences. */
export function emailsOf(recipients: StoredRecipient[]): string[] {
  const seen = new Map<string, string>();
  for (const r of recipients) if (r.email && !seen.has(r.email.toLowerCase())) seen.set(r.email.toLowerCase(), r.email);
  return [...seen.values()];
}
