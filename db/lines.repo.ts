import type { Pool } from 'pg';
import { ConflictError } from '../domain/errors';
import { LIVE_LINE_STATUSES, type LineState, type LineStatus } from '../domain/line/contracts';
import { formatId, ID_PREFIX } from '../domain/ids';
import { SYSTEM_ACTOR } from '../domain/actor';
import type { ChangeRequest } from '../domain/change/contracts';
import { record } from '../domain/event-log';
import { changedBy, fieldsOf, followChange, lineKeyOf, type ChangeContext, type LineFields, type LineFollowResult } from '../domain/line/follow-change';
import { inTransaction } from '../system/postgres';
import type { InventoryRow } from '../domain/billing/inventory';
import type { AgentLineSpan } from '../domain/line/line-usage-merge';
import { seoulDateOf } from '../domain/calendar/seoul';

/**
 * The line inventory. The API reserves a DN when it accepts a provisioning
 * request; from then on only the workflows' projection writes the row.
 */

/** The live lines (LIVE_LINE_STATUSES) holding any of these DNs: whoever a new request for one of them would collide with. */
export async function liveHolders(pool: Pick<Pool, 'query'>, dns: readonly string[]): Promise<Array<{ dn: string; id: string; status: LineStatus }>> {
  const { rows } = await pool.query<{ dn: string; id: string; status: LineStatus }>(
    `SELECT dn, id, status FROM lines WHERE dn = ANY($1) AND status = ANY($2) ORDER BY dn`,
    [dns, LIVE_LINE_STATUSES],
  );
  return rows;
}

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
    const holder = await liveDnHolder(pool, state.dn, err);
    // A retry with the same id racing its first attempt: the reservation is there, which is all it asks.
    if (holder?.id === state.id) return;
    if (holder) throw dnTaken(state.dn, holder, err);
    // Its holder let go between the two statements: taken a moment ago, free now; the caller may retry.
    throw isLiveDnViolation(err) ? new ConflictError(`DN ${state.dn} was held by another line a moment ago; retry`, { cause: err }) : err;
  }
}

/** Drops a reservation whose workflow never started. */
export async function releaseLineReservation(pool: Pool, id: string): Promise<void> {
  await pool.query(`DELETE FROM lines WHERE id = $1 AND version = 0`, [id]);
}

/**
 * The workflow's projection of its line. Its first write inserts the row when the API's reservation
 * is gone: a start the API gave up on and gave the DN back for, which Temporal carried out after all.
 * If another line holds the DN by then, that is a ConflictError (the activity fails for good), not a
 * write retried forever.
 */
export async function saveLine(pool: Pool, state: LineState): Promise<void> {
  try {
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
  } catch (err) {
    const holder = await liveDnHolder(pool, state.dn, err);
    // Only another line holding the DN is final; the line's own reservation racing this write (same id) is retried.
    throw holder && holder.id !== state.id ? dnTaken(state.dn, holder, err) : err;
  }
}

/** For a violation of the live-DN index, the line holding the DN now (none if it let go meanwhile); undefined for any other error. */
async function liveDnHolder(pool: Pool, dn: string, err: unknown): Promise<{ id: string; status: string } | undefined> {
  if (!isLiveDnViolation(err)) return undefined;
  const { rows } = await pool.query<{ id: string; status: string }>(
    `SELECT id, status FROM lines WHERE dn = $1 AND status NOT IN ('FAILED','TERMINATED','CANCELLED')`,
    [dn],
  );
  return rows[0];
}

function isLiveDnViolation(err: unknown): boolean {
  const pgErr = err as { code?: string; constraint?: string };
  return pgErr.code === '23505' && pgErr.constraint === 'lines_live_dn_idx';
}

function dnTaken(dn: string, holder: { id: string; status: string }, cause: unknown): ConflictError {
  return new ConflictError(`DN ${dn} is already held by line ${holder.id} (${holder.status})`, { cause });
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

/**
 * A completed change's effect on the inventory (issue 13): the live line it
 * targets (by DN, or by its agent's login) takes the new fields, with a
 * `changed-by:<change id>` history entry naming them before and after. Once
 * per change: a retry finds the entry it left (the change id is locked while
 * it looks) and reports it again instead of appending a second.
 */
export async function recordLineChange(
  pool: Pool,
  changeId: string,
  change: ChangeRequest,
  at: string,
  context: ChangeContext = {},
): Promise<LineFollowResult> {
  return inTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`line-change:${changeId}`]);
    const entry = JSON.stringify([{ type: changedBy(changeId) }]);
    const done = await db.query<{ id: string; state: LineState }>(`SELECT id, state FROM lines WHERE state->'history' @> $1::jsonb ORDER BY id`, [entry]);
    if (done.rows.length > 0) {
      return {
        updated: done.rows.map(({ id, state }) => {
          const event = state.history.find((e) => e.type === changedBy(changeId))!;
          const details = event.details as { before: LineFields; after: LineFields };
          return { lineId: id, seq: event.seq, before: details.before, after: details.after };
        }),
      };
    }
    const key = lineKeyOf(change.type);
    if (!key) return { updated: [], unchanged: `a ${change.type} change alters no field of a line record` };
    const dead = ['FAILED', 'TERMINATED'];
    const logins = change.type === 'cti-team-add' || change.type === 'cti-team-remove' ? change.params.loginIds : [change.target];
    const found =
      key === 'dn'
        ? await db.query<{ state: LineState }>(`SELECT state FROM lines WHERE dn = $1 AND status <> ALL($2) ORDER BY id FOR UPDATE`, [change.target, dead])
        : await db.query<{ state: LineState }>(
            `SELECT state FROM lines WHERE state->'agent'->>'loginId' = ANY($1) AND status <> ALL($2) ORDER BY id FOR UPDATE`,
            [logins, dead],
          );
    if (found.rows.length === 0) {
      return { updated: [], unchanged: `no live line in the inventory has ${key === 'dn' ? `DN ${change.target}` : `agent ${logins.join(', ')}`}` };
    }
    const result: LineFollowResult = { updated: [] };
    const skipped: string[] = [];
    for (const { state: line } of found.rows) {
      // A line whose own workflow is running (installing, terminating) is that workflow's to write.
      if (line.status !== 'ACTIVE') {
        skipped.push(`line ${line.id} is ${line.status}`);
        continue;
      }
      const after = followChange(change, line, context);
      if (!after) {
        skipped.push(`line ${line.id} holds no field this change alters`);
        continue;
      }
      if (after.dn !== undefined && after.dn !== line.dn) {
        const holder = await db.query<{ id: string }>(`SELECT id FROM lines WHERE dn = $1 AND status <> ALL($2) AND id <> $3`, [after.dn, dead, line.id]);
        if (holder.rows.length > 0) {
          skipped.push(`DN ${after.dn} is held by line ${holder.rows[0]!.id}`);
          continue;
        }
      }
      const before = fieldsOf(line, after);
      const next: LineState = { ...line, ...after, history: [...line.history] };
      const event = record(next, changedBy(changeId), SYSTEM_ACTOR, at, { changeId, changeType: change.type, before, after });
      await db.query(`UPDATE lines SET dn = $2, state = $3, version = $4, updated_at = now() WHERE id = $1`, [
        next.id,
        next.dn,
        JSON.stringify(next),
        next.history.length,
      ]);
      result.updated.push({ lineId: line.id, seq: event.seq, before, after });
    }
    if (result.updated.length === 0) result.unchanged = skipped.join('; ');
    return result;
  });
}

/**
 * Every line (whatever its status) whose contract names one of these carriers (compared trimmed and
 * case-insensitively). Only the fields the reconciliation reads leave the database: a line's state
 * carries its whole history.
 */
export async function linesOfCarrier(pool: Pick<Pool, 'query'>, carrierNames: readonly string[]): Promise<InventoryRow[]> {
  const { rows } = await pool.query<InventoryRow>(
    `SELECT id, dn, center, status,
            (state->'contract'->>'monthlyFee')::bigint::float8 AS "monthlyFee",
            (SELECT min(e->>'at') FROM jsonb_array_elements(state->'history') e WHERE e->>'type' = 'status:ACTIVE') AS "activatedAt",
            state->'termination'->>'effectiveDate' AS "effectiveDate",
            (SELECT min(e->>'at') FROM jsonb_array_elements(state->'history') e WHERE e->>'type' = 'status:TERMINATED') AS "terminatedAt"
       FROM lines
      WHERE lower(btrim(state->'contract'->>'carrier')) = ANY($1)`,
    [carrierNames.map((n) => n.trim().toLowerCase())],
  );
  return rows;
}

/** The live line (LIVE_LINE_STATUSES) holding this DN, if any: at most one does (lines_live_dn_idx). */
export async function liveLineByDn(pool: Pick<Pool, 'query'>, dn: string): Promise<LineState | undefined> {
  const { rows } = await pool.query<{ state: LineState }>(`SELECT state FROM lines WHERE dn = $1 AND status = ANY($2)`, [dn, LIVE_LINE_STATUSES]);
  return rows[0]?.state;
}

/**
 * Every CTI agent a line's installation created or adopted (its `installed:cti-agent` events, which
 * outlive the line's termination), over the Seoul days its line served: for usage from the CTI.
 * A line that failed before service never had its agent's calls.
 */
export async function agentLineSpans(pool: Pick<Pool, 'query'>): Promise<AgentLineSpan[]> {
  const { rows } = await pool.query<{ agent_id: string; dn: string; center: string; installed_at: string; ends_on: string | null }>(
    `SELECT e->'details'->>'agentId' AS agent_id, l.dn, l.center, e->>'at' AS installed_at,
            CASE WHEN l.status IN ('TERMINATING','TERMINATED') THEN l.state->'termination'->>'effectiveDate' END AS ends_on
       FROM lines l, jsonb_array_elements(l.state->'history') e
      WHERE l.status <> 'FAILED' AND e->>'type' = 'installed:cti-agent' AND e->'details'->>'agentId' IS NOT NULL`,
  );
  return rows.map((r) => ({ agentId: r.agent_id, dn: r.dn, center: r.center, installedOn: seoulDateOf(Date.parse(r.installed_at)), endsOn: r.ends_on }));
}

/** Every center some line of the inventory is in. */
export async function lineCenters(pool: Pick<Pool, 'query'>): Promise<string[]> {
  const { rows } = await pool.query<{ center: string }>(`SELECT DISTINCT center FROM lines ORDER BY center`);
  return rows.map((r) => r.center);
}
