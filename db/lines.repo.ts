import type { Pool } from 'pg';
import { ConflictError } from '../domain/errors';
import type { LineState, LineStatus } from '../domain/line/contracts';
import { formatId, ID_PREFIX } from '../domain/ids';

/**
 * The line inventory. The API reserves a DN when it accepts a provisioning
 * request; from then on only the workflows' projection writes the row.
 */

export async function nextLineId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('line_number_seq') AS n`);
  return formatId(ID_PREFIX.line, rows[0]!.n);
}

/** Claims the DN for a new line; a DN held by a live line is a ConflictError naming that line. */
export async function reserveLine(pool: Pool, state: LineState): Promise<void> {
  try {
    await pool.query(
      `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,0,$8)
       -- A retried request (same Idempotency-Key, same id) finds its own reservation.
       ON CONFLICT (id) DO NOTHING`,
      [state.id, state.dn, state.center, state.lineType, state.status, state.step, JSON.stringify(state), state.requestedAt],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      const holder = await pool.query<{ id: string; status: string }>(
        `SELECT id, status FROM lines WHERE dn = $1 AND status NOT IN ('FAILED','TERMINATED','CANCELLED')`,
        [state.dn],
      );
      const h = holder.rows[0];
      throw new ConflictError(`DN ${state.dn} is already held by line ${h?.id ?? '?'} (${h?.status ?? 'live'})`, { cause: err });
    }
    throw err;
  }
}

/** Drops a reservation whose workflow never started. */
export async function releaseLineReservation(pool: Pool, id: string): Promise<void> {
  await pool.query(`DELETE FROM lines WHERE id = $1 AND version = 0`, [id]);
}

export async function saveLine(pool: Pool, state: LineState): Promise<void> {
  await pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (id) DO UPDATE SET
       status = EXCLUDED.status, step = EXCLUDED.step, state = EXCLUDED.state,
       version = EXCLUDED.version, updated_at = now()
     -- A retried or late projection of an older state must not overwrite a newer one.
     WHERE lines.version < EXCLUDED.version`,
    [state.id, state.dn, state.center, state.lineType, state.status, state.step, JSON.stringify(state), state.history.length, state.requestedAt],
  );
}

export async function findLine(pool: Pool, id: string): Promise<LineState | undefined> {
  return (await findLineRecord(pool, id))?.state;
}

/** The line and the version of its row: 0 while it is only the API's reservation, before the workflow wrote it. */
export async function findLineRecord(pool: Pool, id: string): Promise<{ state: LineState; version: number } | undefined> {
  const { rows } = await pool.query<{ state: LineState; version: number }>(`SELECT state, version FROM lines WHERE id = $1`, [id]);
  return rows[0];
}

export interface LineFilter {
  dn?: string;
  status?: LineStatus;
  center?: string;
  limit: number;
  offset: number;
}

export async function listLines(pool: Pool, f: LineFilter): Promise<{ total: number; items: LineState[] }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.dn) where.push(`dn = $${args.push(f.dn)}`);
  if (f.status) where.push(`status = $${args.push(f.status)}`);
  if (f.center) where.push(`center = $${args.push(f.center)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM lines ${clause}`, args);
  const { rows } = await pool.query<{ state: LineState }>(
    `SELECT state FROM lines ${clause} ORDER BY requested_at DESC, id DESC LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
    args,
  );
  return { total: total.rows[0]!.n, items: rows.map((r) => r.state) };
}
