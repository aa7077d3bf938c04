import type { Pool } from 'pg';
import type { DataSource } from '../domain/data-source';
import type { TrunkDay } from '../domain/line/trunk-usage';
import { inTransaction } from '../system/postgres';

/** Each trunk's day from the PBX's call records (trunk_usage_daily): the QSR stores its quarter's and charts it. */

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
