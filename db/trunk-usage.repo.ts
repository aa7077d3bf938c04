import type { Pool } from 'pg';
import type { DataSource } from '../domain/data-source';
import type { LineDay, TrunkDay } from '../domain/line/trunk-usage';
import type { UsageOrigin } from '../domain/line/usage-sources';
import { inTransaction } from '../system/postgres';

/**
 * Usage from the PBX's call records, per day: each trunk's (trunk_usage_daily, charted by the
 * inspection and the QSR) and each line's (line_usage_daily, GET /api/v1/lines/usage), the latter
 * from the CTI's call statistics on the days the CTI carried its center (activities/line-usage-import.ts).
 */

/**
 * Stores these days (each trunk's, within [fromDate, toDate)); a day stored before is replaced. Written
 * by the QSR for its quarter and by each center's inspection collector for its month, at once:
 * upserts, so two writers of the same days never collide.
 */
export async function saveTrunkUsage(pool: Pool, fromDate: string, toDate: string, days: readonly TrunkDay[], source: DataSource): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const d of days.filter((d) => d.date >= fromDate && d.date < toDate)) {
      await client.query(
        `INSERT INTO trunk_usage_daily (date, trunk, calls, minutes, peak_concurrent, data_source) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (date, trunk) DO UPDATE SET calls = EXCLUDED.calls, minutes = EXCLUDED.minutes,
           peak_concurrent = EXCLUDED.peak_concurrent, data_source = EXCLUDED.data_source, updated_at = now()`,
        [d.date, d.trunk, d.calls, d.minutes, d.peakConcurrent, source],
      );
    }
  });
}

export async function trunkUsageBetween(pool: Pool, fromDate: string, toDate: string): Promise<Array<TrunkDay & { source: DataSource }>> {
  const { rows } = await pool.query<{ date: string; trunk: string; calls: number; minutes: string; peak_concurrent: number; data_source: DataSource }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, trunk, calls, minutes, peak_concurrent, data_source
       FROM trunk_usage_daily WHERE date >= $1 AND date < $2 ORDER BY trunk, date`,
    [fromDate, toDate],
  );
  return rows.map((r) => ({
    date: r.date,
    trunk: r.trunk,
    calls: r.calls,
    minutes: Number(r.minutes),
    peakConcurrent: r.peak_concurrent,
    source: r.data_source,
  }));
}

// One import of line days at a time: each replaces its span's days whole (below).
const LINE_USAGE_LOCK = 0x6c757365; // "luse"

/**
 * Replaces every line's days in [fromDate, toDate) with these, each with its source and where it
 * came from: a day its source no longer has (a source changed, an agent moved) goes, rather than
 * lingering beside the new one. One transaction, one import at a time (the inspection's per-center
 * collectors and the QSR may import the same days at once).
 */
export async function replaceLineUsage(
  pool: Pool,
  fromDate: string,
  toDate: string,
  days: ReadonlyArray<LineDay & { origin: UsageOrigin; source: DataSource }>,
): Promise<void> {
  const inSpan = days.filter((d) => d.date >= fromDate && d.date < toDate);
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LINE_USAGE_LOCK]);
    await client.query(`DELETE FROM line_usage_daily WHERE date >= $1 AND date < $2`, [fromDate, toDate]);
    await client.query(
      `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, data_source, origin)
       SELECT (d->>'date')::date, d->>'dn', (d->>'callsOut')::int, (d->>'callsIn')::int, (d->>'minutes')::numeric, d->>'source', d->>'origin'
         FROM jsonb_array_elements($1::jsonb) d`,
      [JSON.stringify(inSpan)],
    );
  });
}

export interface LineUsage {
  lineId: string;
  dn: string;
  center: string;
  lineType: string;
  status: string;
  callsOut: number;
  callsIn: number;
  minutes: number;
  /** Days with at least one call. */
  activeDays: number;
  lastCallDate: string | null;
  /** Whether any day came from a stand-in (the PBX simulator, the CTI emulator). */
  simulated: boolean;
  origins: UsageOrigin[];
}

/** Each inventory line's usage over [fromDate, toDate), lines without calls included (zero); optionally one center's. */
export async function lineUsageBetween(pool: Pool, fromDate: string, toDate: string, center?: string): Promise<LineUsage[]> {
  const { rows } = await pool.query(
    `SELECT l.id, l.dn, l.center, l.line_type, l.status,
            coalesce(sum(u.calls_out), 0)::int AS calls_out, coalesce(sum(u.calls_in), 0)::int AS calls_in,
            coalesce(sum(u.minutes), 0)::float8 AS minutes, count(u.date)::int AS active_days,
            to_char(max(u.date), 'YYYY-MM-DD') AS last_call_date, coalesce(bool_or(u.data_source = 'simulated'), false) AS simulated,
            coalesce(array_agg(DISTINCT u.origin ORDER BY u.origin) FILTER (WHERE u.origin IS NOT NULL), '{}') AS origins
       FROM lines l
       LEFT JOIN line_usage_daily u ON u.dn = l.dn AND u.date >= $1 AND u.date < $2
      WHERE ($3::text IS NULL OR l.center = $3)
      GROUP BY l.id, l.dn, l.center, l.line_type, l.status
      ORDER BY l.center, l.dn, l.id`,
    [fromDate, toDate, center ?? null],
  );
  return rows.map((r) => ({
    lineId: r.id,
    dn: r.dn,
    center: r.center,
    lineType: r.line_type,
    status: r.status,
    callsOut: r.calls_out,
    callsIn: r.calls_in,
    minutes: Math.round(r.minutes * 10) / 10,
    activeDays: r.active_days,
    lastCallDate: r.last_call_date,
    simulated: r.simulated,
    origins: r.origins,
  }));
}
