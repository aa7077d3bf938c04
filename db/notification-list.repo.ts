import type { Pool } from 'pg';
import type { NotificationListQuery, NotificationView } from '../domain/notification/outbox';
import { notifyRetryHorizonMs } from '../domain/notification/retry';

/**
 * The outbox as operators read it. The status is derived on read: a row is dead when the
 * activity marked it so, or when it is still owed to a target after the retry horizon,
 * when no attempt can still be working on it (the worker running the last one was killed).
 */
const STATUS = `
  CASE
    WHEN n.dead_at IS NOT NULL THEN 'dead'
    WHEN NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_key = n.key AND d.sent_at IS NULL) THEN 'sent'
    WHEN n.created_at < now() - make_interval(secs => $1::double precision / 1000) THEN 'dead'
    ELSE 'pending'
  END`;

const WITH_STATUS = `SELECT n.*, ${STATUS} AS status FROM notifications n`;

interface Row {
  key: string;
  about: string;
  kind: NotificationView['kind'];
  subject: string;
  status: NotificationView['status'];
  dead_reason: NotificationView['reason'];
  fallback: NotificationView['fallback'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  deliveries: Array<{ channel: 'email' | 'webhook'; target: string; label: string; sent_at: string | null; attempts: number; last_error: string | null }>;
}

export async function listNotifications(pool: Pool, q: NotificationListQuery): Promise<{ items: NotificationView[]; total: number }> {
  const where = `($2::text IS NULL OR x.status = $2) AND ($3::text IS NULL OR x.about = $3)`;
  const params = [notifyRetryHorizonMs(), q.status ?? null, q.about ?? null];
  const [{ rows }, counted] = await Promise.all([
    pool.query<Row>(
      `SELECT x.key, x.about, x.kind, x.subject, x.status, x.dead_reason, x.fallback, x.attempts, x.last_error, x.created_at,
              coalesce((SELECT json_agg(json_build_object('channel', d.channel, 'target', d.target, 'label', d.label,
                          'sent_at', d.sent_at, 'attempts', d.attempts, 'last_error', d.last_error) ORDER BY d.channel, d.target)
                          FROM notification_deliveries d WHERE d.notification_key = x.key), '[]') AS deliveries
         FROM (${WITH_STATUS}) x
        WHERE ${where}
        ORDER BY x.created_at DESC, x.key
        LIMIT $4 OFFSET $5`,
      [...params, q.limit, q.offset],
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${WITH_STATUS}) x WHERE ${where}`, params),
  ]);
  return { items: rows.map(toView), total: counted.rows[0]!.n };
}

/** Dead letters, for /readyz: information for operators, not a reason to stop serving. */
export async function countDeadLetters(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${WITH_STATUS}) x WHERE x.status = 'dead'`, [notifyRetryHorizonMs()]);
  return rows[0]!.n;
}

function toView(r: Row): NotificationView {
  return {
    key: r.key,
    about: r.about,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    reason: r.status === 'dead' ? (r.dead_reason ?? 'retry-horizon-passed') : null,
    fallback: r.fallback,
    deliveries: r.deliveries.map((d) => ({
      channel: d.channel,
      target: d.channel === 'webhook' ? originOf(d.target) : d.target,
      label: d.label,
      sentAt: d.sent_at === null ? null : new Date(d.sent_at).toISOString(),
      attempts: d.attempts,
      lastError: d.last_error,
    })),
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
  };
}

/** A webhook URL's path may carry a secret token: only the origin is shown. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unparseable URL)';
  }
}
