import type { Pool } from 'pg';
import type { ChangeState, ChangeStatus, ChangeWindow } from '../domain/change/contracts';
import { emergencyChangesIn, type EmergencyChangeEntry } from '../domain/change/emergency';
import { ConflictError } from '../domain/errors';
import { formatId, ID_PREFIX } from '../domain/ids';

/**
 * Change requests' read model and the window holds of approved changes. The
 * workflow's projection writes `changes`; approval takes a hold, the end of
 * the change releases it.
 */

export async function nextChangeId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('change_number_seq') AS n`);
  return formatId(ID_PREFIX.change, rows[0]!.n);
}

export async function saveChange(pool: Pool, state: ChangeState): Promise<void> {
  await pool.query(
    `INSERT INTO changes (id, type, target, status, step, window_start, window_end, state, version, requested_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
     ON CONFLICT (id) DO UPDATE SET
       status = EXCLUDED.status, step = EXCLUDED.step, state = EXCLUDED.state,
       version = EXCLUDED.version, updated_at = now()
     WHERE changes.version < EXCLUDED.version`,
    [
      state.id,
      state.type,
      state.target,
      state.status,
      state.step,
      state.window.start,
      state.window.end,
      JSON.stringify(state),
      state.history.length,
      state.requestedAt,
    ],
  );
}

export async function findChange(pool: Pool, id: string): Promise<ChangeState | undefined> {
  const { rows } = await pool.query<{ state: ChangeState }>(`SELECT state FROM changes WHERE id = $1`, [id]);
  return rows[0]?.state;
}

/** Approved changes on `target` whose window overlaps `window`. */
export async function overlappingHolds(pool: Pool, target: string, window: ChangeWindow): Promise<string[]> {
  const { rows } = await pool.query<{ change_id: string }>(
    `SELECT change_id FROM change_window_holds WHERE target = $1 AND during && tstzrange($2, $3) ORDER BY change_id`,
    [target, window.start, window.end],
  );
  return rows.map((r) => r.change_id);
}

/** Takes the window for an approved change; idempotent for the same change, a ConflictError when another holds an overlap. */
export async function holdWindow(pool: Pool, changeId: string, target: string, window: ChangeWindow): Promise<void> {
  try {
    await pool.query(
      `INSERT INTO change_window_holds (change_id, target, during) VALUES ($1, $2, tstzrange($3, $4))
       ON CONFLICT (change_id) DO NOTHING`,
      [changeId, target, window.start, window.end],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23P01') {
      const others = (await overlappingHolds(pool, target, window)).filter((id) => id !== changeId);
      throw new ConflictError(`the window overlaps approved change ${others.join(', ') || '(another change)'} on ${target}`, { cause: err });
    }
    throw err;
  }
}

export async function releaseWindow(pool: Pool, changeId: string): Promise<void> {
  await pool.query(`DELETE FROM change_window_holds WHERE change_id = $1`, [changeId]);
}

export interface ChangeFilter {
  status?: ChangeStatus;
  target?: string;
  emergency?: boolean;
  /** The window overlaps [from, to). */
  from?: string;
  to?: string;
  sort?: 'requested' | 'window';
  limit: number;
  offset: number;
}

export async function listChanges(pool: Pool, f: ChangeFilter): Promise<{ total: number; items: ChangeState[] }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) where.push(`status = $${args.push(f.status)}`);
  if (f.target) where.push(`target = $${args.push(f.target)}`);
  if (f.emergency !== undefined) where.push(`coalesce((state->>'emergency')::boolean, false) = $${args.push(f.emergency)}`);
  if (f.from) where.push(`window_end > $${args.push(f.from)}`);
  if (f.to) where.push(`window_start < $${args.push(f.to)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM changes ${clause}`, args);
  const { rows } = await pool.query<{ state: ChangeState }>(
    `SELECT state FROM changes ${clause} ORDER BY ${f.sort === 'window' ? 'window_start, id' : 'requested_at DESC, id DESC'} LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
    args,
  );
  return { total: total.rows[0]!.n, items: rows.map((r) => r.state) };
}

/** Emergency changes applied within [from, to) (a change applies inside its window, so the windows overlapping the period are read). */
export async function emergencyChangesBetween(pool: Pool, from: string, to: string): Promise<EmergencyChangeEntry[]> {
  const { rows } = await pool.query<{ state: ChangeState }>(
    `SELECT state FROM changes
      WHERE coalesce((state->>'emergency')::boolean, false) AND window_start < $2 AND window_end > $1
      ORDER BY window_start, id`,
    [from, to],
  );
  return emergencyChangesIn(
    rows.map((r) => r.state),
    { from, to },
  );
}
