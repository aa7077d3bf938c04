import type { Pool } from 'pg';
import type { DataSource } from '../domain/data-source';
import type { CallVolumeDay } from '../domain/qsr/contracts';

/**
 * Daily call volume per center. A CSV upload is a person's correction and
 * replaces anything; the CTI statistics fill in and refresh only what no
 * upload has set.
 */
export async function saveCallVolume(pool: Pool, days: CallVolumeDay[], updatedBy: string | null, dataSource: DataSource = 'vendor'): Promise<number> {
  if (days.length === 0) return 0;
  const { rowCount } = await pool.query(
    `INSERT INTO call_volume (date, center, offered, answered, source, updated_by, data_source)
     SELECT *, $7::text FROM unnest($1::date[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[])
     ON CONFLICT (date, center) DO UPDATE SET
       offered = EXCLUDED.offered, answered = EXCLUDED.answered, source = EXCLUDED.source,
       updated_by = EXCLUDED.updated_by, updated_at = now(), data_source = EXCLUDED.data_source
     WHERE EXCLUDED.source = 'csv' OR call_volume.source = 'cti'`,
    [
      days.map((d) => d.date),
      days.map((d) => d.center),
      days.map((d) => d.offered),
      days.map((d) => d.answered),
      days.map((d) => d.source),
      days.map(() => updatedBy),
      dataSource,
    ],
  );
  return rowCount ?? 0;
}

export async function callVolumeBetween(pool: Pool, fromDate: string, toDate: string): Promise<CallVolumeDay[]> {
  const { rows } = await pool.query<CallVolumeDay>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, center, offered, answered, source
       FROM call_volume WHERE date >= $1 AND date < $2 ORDER BY date, center`,
    [fromDate, toDate],
  );
  return rows;
}

/** Some day between the dates has call volume from a stand-in (the CTI emulator's statistics). */
export async function simulatedCallVolumeBetween(pool: Pool, fromDate: string, toDate: string): Promise<boolean> {
  const { rows } = await pool.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM call_volume WHERE date >= $1 AND date < $2 AND data_source = 'simulated') AS any`,
    [fromDate, toDate],
  );
  return rows[0]!.any;
}
