import type { Pool } from 'pg';

/** What Butler's /metrics reads from the read model at scrape time (api/metrics.ts): counts, not rows. */

export async function openIncidentCounts(pool: Pool): Promise<Array<{ severity: string; status: string; level: string; n: number }>> {
  const { rows } = await pool.query(
    `SELECT severity, status, level, count(*)::int AS n FROM incidents
      WHERE status NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED') GROUP BY severity, status, level`,
  );
  return rows;
}

/** SLA warnings and breaches ever recorded (timeline events), by clock and severity: counters. */
export async function slaEventCounts(pool: Pool): Promise<Array<{ type: 'sla-warning' | 'sla-breached'; clock: string; severity: string; n: number }>> {
  const { rows } = await pool.query(
    `SELECT e.type, e.details->>'clock' AS clock, i.severity, count(*)::int AS n
       FROM incident_events e JOIN incidents i ON i.id = e.incident_id
      WHERE e.type IN ('sla-warning', 'sla-breached') GROUP BY e.type, e.details->>'clock', i.severity`,
  );
  return rows;
}

/**
 * Breaches recorded more than `graceSeconds` ago whose notification has not gone out on any channel
 * (none written, or pending, or dead): the "breach without notification" alert.
 */
export async function unnotifiedBreaches(pool: Pool, graceSeconds: number): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incident_events e
       LEFT JOIN notifications n ON n.key = e.incident_id || ':sla:' || (e.details->>'clock') || ':breached'
      WHERE e.type = 'sla-breached' AND e.at < now() - make_interval(secs => $1)
        AND (n.key IS NULL OR (n.email_sent_at IS NULL AND n.webhook_sent_at IS NULL))`,
    [graceSeconds],
  );
  return rows[0]!.n;
}

/** Wall-clock seconds from opened to resolved, of every resolved incident, by severity. */
export async function restoreDurations(pool: Pool): Promise<Array<{ severity: string; seconds: number }>> {
  const { rows } = await pool.query(
    `SELECT severity, extract(epoch FROM resolved_at - opened_at)::float8 AS seconds FROM incidents WHERE resolved_at IS NOT NULL`,
  );
  return rows;
}

export async function deadLetterCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE dead_at IS NOT NULL`);
  return rows[0]!.n;
}

/** When the history archiver last finished a pass (it writes its watermark at the end of every pass); null before the first. */
export async function archiverLastPass(pool: Pool, watermarkKey: string): Promise<Date | null> {
  const { rows } = await pool.query<{ updated_at: Date }>(`SELECT updated_at FROM settings WHERE key = $1`, [watermarkKey]);
  return rows[0]?.updated_at ?? null;
}
