import { asActor } from './config-history.repo';
import type { Pool } from 'pg';

/** The holiday calendar: reviewed seed data plus what admins add or remove; it feeds the SLA business clock. */

export interface HolidayRow {
  date: string;
  name: string;
  kind: string;
  source: 'seed' | 'admin';
  updatedBy: string | null;
}

export async function listHolidays(pool: Pool, year?: number): Promise<HolidayRow[]> {
  const { rows } = await pool.query(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, name, kind, source, updated_by FROM holidays
      WHERE $1::int IS NULL OR extract(year FROM date) = $1 ORDER BY date`,
    [year ?? null],
  );
  return rows.map((r) => ({ date: r.date, name: r.name, kind: r.kind, source: r.source, updatedBy: r.updated_by }));
}

export async function putHoliday(
  pool: Pool,
  h: { date: string; name: string; kind: string },
  actor: string,
): Promise<{ holiday: HolidayRow; created: boolean }> {
  const { rows } = await pool.query(
    `INSERT INTO holidays (date, name, kind, source, updated_at, updated_by) VALUES ($1, $2, $3, 'admin', now(), $4)
     ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, source = 'admin', updated_at = now(), updated_by = EXCLUDED.updated_by
     RETURNING to_char(date, 'YYYY-MM-DD') AS date, name, kind, source, updated_by, (xmax = 0) AS created`,
    [h.date, h.name, h.kind, actor],
  );
  const r = rows[0];
  return { holiday: { date: r.date, name: r.name, kind: r.kind, source: r.source, updatedBy: r.updated_by }, created: r.created };
}

export async function deleteHoliday(pool: Pool, date: string, actor = '(unknown)'): Promise<boolean> {
  const { rowCount } = await asActor(pool, actor, (db) => db.query('DELETE FROM holidays WHERE date = $1', [date]));
  return (rowCount ?? 0) > 0;
}
