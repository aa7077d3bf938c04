import type { Pool } from 'pg';
import type { DataSource } from '../domain/data-source';
import type { TrunkDay } from '../domain/line/trunk-usage';
import { inTransaction } from '../system/postgres';

/** Each trunk's day from the PBX's call records (trunk_usage_daily): the QSR stores its quarter's and charts it. */

/** Replaces the days [fromDate, toDate) with these (a rerun of a quarter gives the same rows). */
export async function replaceTrunkUsage(pool: Pool, fromDate: string, toDate: string, days: readonly TrunkDay[], source: DataSource): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`DELETE FROM trunk_usage_daily WHERE date >= $1 AND date < $2`, [fromDate, toDate]);
    for (const d of days.filter((d) => d.date >= fromDate && d.date < toDate)) {
      await client.query(`INSERT INTO trunk_usage_daily (date, trunk, calls, minutes, peak_concurrent, data_source) VALUES ($1, $2, $3, $4, $5, $6)`, [
        d.date,
        d.trunk,
        d.calls,
        d.minutes,
        d.peakConcurrent,
        source,
      ]);
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
