import type { Pool } from 'pg';
import { ConflictError } from '../domain/errors';
import { formatId, ID_PREFIX } from '../domain/ids';
import type { LineBatchState } from '../domain/line/batch';
import type { LineState, LineStatus } from '../domain/line/contracts';
import { inTransaction } from '../system/postgres';
import { liveHolders } from './lines.repo';

/**
 * Batches of lines. The API reserves a batch and all its lines' DNs in one
 * transaction; from then on the batch workflow's projection writes the batch
 * row, and each line's own workflow its line row.
 */

export async function nextLineBatchId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('line_batch_number_seq') AS n`);
  return formatId(ID_PREFIX.lineBatch, rows[0]!.n);
}

/** Line ids for a new batch, `count` of them. */
export async function nextLineIds(pool: Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('line_number_seq') AS n FROM generate_series(1, $1)`, [count]);
  return rows.map((r) => formatId(ID_PREFIX.line, r.n));
}

/**
 * Reserves the batch and every line's DN, all or nothing: a DN held by a live line is a
 * ConflictError naming the DN, its place in the batch and its holder, and nothing is kept.
 * A retry of the same batch (same Idempotency-Key) finds its reservation and gets its lines back.
 */
export async function reserveLineBatch(pool: Pool, batch: LineBatchState, lines: (ids: string[] | undefined) => Promise<LineState[]>): Promise<LineState[]> {
  return inTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`line-batch:${batch.id}`]);
    const stored = await db.query<{ state: LineBatchState }>(`SELECT state FROM line_batches WHERE id = $1`, [batch.id]);
    if (stored.rows[0]) return lines(stored.rows[0].state.lines.map((l) => l.lineId));
    const states = await lines(undefined);
    const dns = states.map((l) => l.dn);
    const held = await liveHolders(db, dns);
    if (held.length > 0) throw heldError(held, dns);
    try {
      for (const state of states) {
        await db.query(`INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at) VALUES ($1,$2,$3,$4,$5,$6,$7,0,$8)`, [
          state.id,
          state.dn,
          state.center,
          state.lineType,
          state.status,
          state.step,
          JSON.stringify(state),
          state.requestedAt,
        ]);
      }
    } catch (err) {
      // Another request took one of the DNs meanwhile: the whole batch is refused.
      if ((err as { code?: string }).code === '23505')
        throw new ConflictError('a DN of this batch was taken by another request meanwhile; nothing was reserved', { cause: err });
      throw err;
    }
    await db.query(`INSERT INTO line_batches (id, center, status, state, version, requested_at) VALUES ($1,$2,$3,$4,0,$5)`, [
      batch.id,
      batch.center,
      batch.status,
      JSON.stringify({ ...batch, lines: states.map((l) => ({ lineId: l.id, dn: l.dn })) }),
      batch.requestedAt,
    ]);
    return states;
  });
}

function heldError(held: Array<{ dn: string; id: string; status: LineStatus }>, dns: readonly string[]): ConflictError {
  const named = held.map((h) => `DN ${h.dn} (lines.${dns.indexOf(h.dn)}.dn) is already held by line ${h.id} (${h.status})`);
  return new ConflictError(`${named.join('; ')}; nothing was reserved`);
}

/** Drops a batch reservation whose workflow never started, with its lines' reservations. */
export async function releaseLineBatchReservation(pool: Pool, id: string): Promise<void> {
  await inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ state: LineBatchState }>(`DELETE FROM line_batches WHERE id = $1 AND version = 0 RETURNING state`, [id]);
    const ids = rows[0]?.state.lines.map((l) => l.lineId) ?? [];
    if (ids.length > 0) await db.query(`DELETE FROM lines WHERE id = ANY($1) AND version = 0`, [ids]);
  });
}

export async function saveLineBatch(pool: Pool, state: LineBatchState): Promise<void> {
  await pool.query(
    `INSERT INTO line_batches (id, center, status, state, version, requested_at) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, version = EXCLUDED.version, updated_at = now()
     -- A retried or late projection of an older state must not overwrite a newer one.
     WHERE line_batches.version < EXCLUDED.version`,
    [state.id, state.center, state.status, JSON.stringify(state), state.history.length, state.requestedAt],
  );
}

/** The batch and the version of its row: 0 while it is only the API's reservation. */
export async function findLineBatchRecord(pool: Pool, id: string): Promise<{ state: LineBatchState; version: number } | undefined> {
  const { rows } = await pool.query<{ state: LineBatchState; version: number }>(`SELECT state, version FROM line_batches WHERE id = $1`, [id]);
  return rows[0];
}

/** The batch's lines as the inventory has them now. */
export async function batchLines(pool: Pool, ids: readonly string[]): Promise<Map<string, LineState>> {
  const { rows } = await pool.query<{ state: LineState }>(`SELECT state FROM lines WHERE id = ANY($1)`, [ids]);
  return new Map(rows.map((r) => [r.state.id, r.state]));
}
