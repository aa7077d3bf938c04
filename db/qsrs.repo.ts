import type { Pool } from 'pg';
import type { QsrState } from '../domain/qsr/contracts';
import { reviewedRuns } from './reviewed-runs.repo';
import { ID_PREFIX } from '../domain/ids';

/** The quarterly service reviews' read model, written by the QSR workflow's projection. */

const runs = reviewedRuns<QsrState>({
  table: 'qsrs',
  sequence: 'qsr_number_seq',
  prefix: ID_PREFIX.qsr,
  periodColumn: 'quarter',
  periodOf: (s) => s.quarter,
});

export const nextQsrId = runs.nextId;
export const qsrIdOfWorkflow = runs.idOfWorkflow;
export const saveQsr = runs.save;
export const findQsr = runs.find;

export async function qsrsInFlight(pool: Pool, quarter: string): Promise<string[]> {
  return (await runs.inFlight(pool, quarter)).map((r) => r.id);
}

/** QSRs newest first (by when they started), filtered by quarter and status; `total` counts every match. */
export async function listQsrs(
  pool: Pool,
  f: { quarter?: string; status?: string; limit: number; offset: number },
): Promise<{ items: QsrState[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.quarter) where.push(`quarter = $${params.push(f.quarter)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM qsrs ${clause}`, params);
  const { rows } = await pool.query<{ state: QsrState }>(
    `SELECT state FROM qsrs ${clause} ORDER BY started_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { items: rows.map((r) => r.state), total: total.rows[0]!.n };
}
