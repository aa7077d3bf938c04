import type { Pool, PoolClient } from 'pg';

/**
 * One row per (notification, channel, target): what each e-mail address and webhook
 * has been sent. Each mark commits on its own, the moment its send succeeded or failed,
 * so a retry knows exactly which targets still wait.
 */

export type DeliveryChannel = 'email' | 'webhook';

export interface PlannedTarget {
  channel: DeliveryChannel;
  target: string;
  label: string;
}

export interface DeliveryRow extends PlannedTarget {
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
}

/**
 * Adds the targets not yet planned. A row from before per-target deliveries starts sent
 * when its channel column says the channel was sent, so the upgrade re-sends nothing.
 */
export async function planDeliveries(db: PoolClient, key: string, targets: PlannedTarget[]): Promise<void> {
  if (targets.length === 0) return;
  await db.query(
    `INSERT INTO notification_deliveries (notification_key, channel, target, label, sent_at)
     SELECT n.key, t.channel, t.target, t.label, CASE t.channel WHEN 'email' THEN n.email_sent_at ELSE n.webhook_sent_at END
       FROM notifications n, unnest($2::text[], $3::text[], $4::text[]) AS t (channel, target, label)
      WHERE n.key = $1
     ON CONFLICT (notification_key, channel, target) DO NOTHING`,
    [key, targets.map((t) => t.channel), targets.map((t) => t.target), targets.map((t) => t.label)],
  );
}

export async function deliveriesOf(db: PoolClient, key: string, channel: DeliveryChannel): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT channel, target, label, sent_at, attempts, last_error FROM notification_deliveries
      WHERE notification_key = $1 AND channel = $2 ORDER BY target`,
    [key, channel],
  );
  return rows;
}

export async function markDelivered(db: Pool | PoolClient, key: string, channel: DeliveryChannel, targets: string[]): Promise<void> {
  if (targets.length === 0) return;
  await db.query(
    `UPDATE notification_deliveries SET sent_at = now(), attempts = attempts + 1
      WHERE notification_key = $1 AND channel = $2 AND target = ANY($3::text[]) AND sent_at IS NULL`,
    [key, channel, targets],
  );
}

export async function recordDeliveryFailure(db: PoolClient, key: string, channel: DeliveryChannel, targets: string[], error: string): Promise<void> {
  if (targets.length === 0) return;
  await db.query(
    `UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $4
      WHERE notification_key = $1 AND channel = $2 AND target = ANY($3::text[]) AND sent_at IS NULL`,
    [key, channel, targets, error],
  );
}

/** How long `markSent` keeps trying on fresh connections: longer than PostgreSQL takes to restart, well inside `notify`'s 30 s attempt. */
const MARK_SENT_BUDGET_MS = 10_000;

/**
 * Records targets that were just sent to. A send cannot be taken back, so its record must not be
 * lost with the connection it was to be written on (PostgreSQL restarting between the receiver's
 * "accepted" and this UPDATE): then the mark is written on fresh pool connections, retried for a
 * while. Only if PostgreSQL stays away longer does the mark fail, and the retry sends again
 * (at least once, with the same Message-ID and idempotency key so the receiver can tell).
 */
export async function markSent(held: PoolClient, pool: Pool, key: string, channel: DeliveryChannel, targets: string[]): Promise<void> {
  try {
    return await markDelivered(held, key, channel, targets);
  } catch (first) {
    const deadline = Date.now() + MARK_SENT_BUDGET_MS;
    for (let wait = 200; ; wait = Math.min(wait * 2, 2_000)) {
      await new Promise((r) => setTimeout(r, wait));
      try {
        return await markDelivered(pool, key, channel, targets);
      } catch (e) {
        if (Date.now() + wait > deadline)
          throw new Error(`${channel} sent to ${targets.join(', ')} but not recorded: ${(e as Error).message}`, { cause: first });
      }
    }
  }
}
