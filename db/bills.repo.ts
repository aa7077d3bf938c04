import type { Pool, PoolClient } from 'pg';
import type { BillFinding, BillFindingDraft, BillLine, BillState, BillStatus, FindingKind, FindingSummary } from '../domain/billing/contracts';
import { ConflictError } from '../domain/errors';
import { formatId, ID_PREFIX } from '../domain/ids';
import { inTransaction } from '../system/postgres';

/**
 * Carriers' bills: the upload (bill row and its lines, written once by the API), the bill
 * workflow's projection of its state, and the reconciliation's findings.
 */

type Db = Pick<Pool | PoolClient, 'query'>;

export async function nextBillId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('bill_number_seq') AS n`);
  return formatId(ID_PREFIX.bill, rows[0]!.n);
}

/**
 * The live bill (not withdrawn or failed) holding this file, if any: the same file is not imported
 * twice. `version` 0: stored by the API, its workflow not yet heard from.
 */
export async function liveBillWithFile(pool: Db, sha256: string): Promise<{ state: BillState; version: number } | undefined> {
  const { rows } = await pool.query<{ state: BillState; version: number }>(
    `SELECT state, version FROM bills WHERE sha256 = $1 AND status NOT IN ('WITHDRAWN','FAILED')`,
    [sha256],
  );
  return rows[0];
}

/**
 * Stores an upload: the bill (version 0, the API's record until the workflow projects it) and its
 * lines, in one transaction. A second live bill of the carrier and month is a ConflictError naming it;
 * the same file stored meanwhile by another request is returned (and nothing is stored).
 */
export async function insertBill(pool: Pool, state: BillState, lines: readonly BillLine[]): Promise<{ state: BillState; version: number } | undefined> {
  return inTransaction(pool, async (db) => {
    try {
      await db.query(
        `INSERT INTO bills (id, carrier, month, due_date, sha256, file_name, status, line_count, total_krw, state, version, requested_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,0,$11)`,
        [
          state.id,
          state.carrier,
          state.month,
          state.dueDate,
          state.sha256,
          state.fileName,
          state.status,
          state.lines,
          state.totalKrw,
          JSON.stringify(state),
          state.requestedAt,
        ],
      );
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      if ((err as { constraint?: string }).constraint === 'bills_live_sha256_idx') {
        const holder = await liveBillWithFile(pool, state.sha256);
        // Withdrawn in between: nothing to hand back, and this upload was not stored either.
        if (!holder) throw new ConflictError('the same file was being taken in by another request; send it again', { cause: err });
        return holder;
      }
      const { rows } = await pool.query<{ id: string; status: string }>(
        `SELECT id, status FROM bills WHERE carrier = $1 AND month = $2 AND status NOT IN ('WITHDRAWN','FAILED')`,
        [state.carrier, state.month],
      );
      const holder = rows[0];
      throw new ConflictError(
        `${state.carrier}'s bill for ${state.month} is already ${holder?.id ?? 'stored'} (${holder?.status ?? 'live'}); withdraw it first`,
        {
          cause: err,
          problems: [{ path: 'month', code: 'taken', message: `already billed in ${holder?.id ?? 'another bill'}` }],
        },
      );
    }
    // One statement per bill: 20,000 lines as arrays, not 20,000 round trips.
    await db.query(
      `INSERT INTO bill_lines (bill_id, row_no, number, base_fee, usage_fee, add_on_fee, discount, total)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])`,
      [
        state.id,
        lines.map((l) => l.row),
        lines.map((l) => l.number),
        lines.map((l) => l.baseFee),
        lines.map((l) => l.usageFee),
        lines.map((l) => l.addOnFee),
        lines.map((l) => l.discount),
        lines.map((l) => l.total),
      ],
    );
    return undefined;
  });
}

/** Drops an upload whose workflow never started (the API could not start it and no retry will). */
export async function releaseBillUpload(pool: Pool, id: string): Promise<void> {
  await pool.query(`DELETE FROM bills WHERE id = $1 AND version = 0`, [id]);
}

export async function saveBill(pool: Pool, state: BillState, version: number): Promise<void> {
  await pool.query(
    `UPDATE bills SET status = $2, due_date = $3, state = $4, version = $5, updated_at = now()
     -- A retried or late projection of an older state must not overwrite a newer one.
     WHERE id = $1 AND version < $5`,
    [state.id, state.status, state.dueDate, JSON.stringify(state), version],
  );
}

/** The bill as stored and the version of its row (0 while only the API's upload). */
export async function findBillRecord(pool: Db, id: string): Promise<{ state: BillState; version: number } | undefined> {
  const { rows } = await pool.query<{ state: BillState; version: number }>(`SELECT state, version FROM bills WHERE id = $1`, [id]);
  return rows[0];
}

export async function findBill(pool: Db, id: string): Promise<BillState | undefined> {
  return (await findBillRecord(pool, id))?.state;
}

export interface BillFilter {
  carrier?: string;
  month?: string;
  status?: BillStatus;
  limit: number;
  offset: number;
}

export async function listBills(pool: Pool, f: BillFilter): Promise<{ items: BillState[]; total: number }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.carrier) where.push(`carrier = $${args.push(f.carrier)}`);
  if (f.month) where.push(`month = $${args.push(f.month)}`);
  if (f.status) where.push(`status = $${args.push(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bills ${clause}`, args);
  const { rows } = await pool.query<{ state: BillState }>(
    `SELECT state FROM bills ${clause} ORDER BY month DESC, carrier, id DESC LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
    args,
  );
  return { items: rows.map((r) => r.state), total: total.rows[0]!.n };
}

/** What the reconciliation needs to know of the bill row. */
export async function billHeader(pool: Db, id: string): Promise<{ carrier: string; month: string } | undefined> {
  const { rows } = await pool.query<{ carrier: string; month: string }>(`SELECT carrier, month FROM bills WHERE id = $1`, [id]);
  return rows[0];
}

export async function billLinesOf(pool: Db, billId: string): Promise<BillLine[]> {
  const { rows } = await pool.query<{
    row_no: number;
    number: string;
    base_fee: string;
    usage_fee: string;
    add_on_fee: string;
    discount: string;
    total: string;
  }>(`SELECT row_no, number, base_fee, usage_fee, add_on_fee, discount, total FROM bill_lines WHERE bill_id = $1 ORDER BY row_no`, [billId]);
  return rows.map((r) => ({
    row: r.row_no,
    number: r.number,
    baseFee: Number(r.base_fee),
    usageFee: Number(r.usage_fee),
    addOnFee: Number(r.add_on_fee),
    discount: Number(r.discount),
    total: Number(r.total),
  }));
}

/**
 * Each number's usage charges on the carrier's live bills of the `months` before `month`, most
 * recent first (a number billed twice in a month counts once, summed).
 */
export async function usageHistory(pool: Db, carrier: string, months: readonly string[]): Promise<Map<string, number[]>> {
  const { rows } = await pool.query<{ number: string; fees: string[] }>(
    `SELECT number, array_agg(fee ORDER BY month DESC) AS fees FROM (
       SELECT l.number, b.month, sum(l.usage_fee) AS fee
         FROM bill_lines l JOIN bills b ON b.id = l.bill_id
        WHERE b.carrier = $1 AND b.month = ANY($2) AND b.status NOT IN ('WITHDRAWN','FAILED')
        GROUP BY l.number, b.month) m
     GROUP BY number`,
    [carrier, months],
  );
  return new Map(rows.map((r) => [r.number, r.fees.map(Number)]));
}

/**
 * Replaces the bill's findings with a new reconciliation's, keeping those already disputed (a
 * dispute names them); a new finding equal to a disputed one (same kind, number, rows) is not added again.
 */
export async function replaceFindings(pool: Pool, billId: string, drafts: readonly BillFindingDraft[]): Promise<void> {
  await inTransaction(pool, async (db) => {
    // One reconciliation of a bill at a time: an attempt still running when its retry starts must not add its findings twice.
    await db.query(`SELECT 1 FROM bills WHERE id = $1 FOR UPDATE`, [billId]);
    await db.query(`DELETE FROM bill_findings WHERE bill_id = $1 AND dispute_id IS NULL`, [billId]);
    // Compared here, not with NOT EXISTS per row: each probe would walk every row the same INSERT had
    // already added (19,000 findings took 20 s). The disputed findings that remain are few.
    const { rows: disputed } = await db.query<{ kind: string; number: string; rows: number[] }>(
      `SELECT kind, number, rows FROM bill_findings WHERE bill_id = $1`,
      [billId],
    );
    const keyOf = (f: { kind: string; number: string; rows: readonly number[] }) => `${f.kind} ${f.number} ${f.rows.join(',')}`;
    const kept = new Set(disputed.map(keyOf));
    const fresh = drafts.filter((d) => !kept.has(keyOf(d)));
    await db.query(
      `INSERT INTO bill_findings (bill_id, kind, number, line_id, rows, amount_at_stake, billed, expected, detail)
       SELECT $1, f.kind, f.number, f.line_id, f.rows, f.amount_at_stake, f.billed, f.expected, f.detail
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (kind text, number text, line_id text, rows integer[], amount_at_stake bigint, billed bigint, expected bigint, detail text))
              WITH ORDINALITY AS f(kind, number, line_id, rows, amount_at_stake, billed, expected, detail, n)
        -- Ids in the reconciliation's order (by kind, then row): the findings list reads in that order.
        ORDER BY f.n`,
      [
        billId,
        JSON.stringify(
          fresh.map((d) => ({
            kind: d.kind,
            number: d.number,
            line_id: d.lineId,
            rows: d.rows,
            amount_at_stake: d.amountAtStake,
            billed: d.billed,
            expected: d.expected,
            detail: d.detail,
          })),
        ),
      ],
    );
  });
}

export interface FindingFilter {
  kind?: FindingKind;
  ids?: readonly number[];
  limit: number;
  offset: number;
}

export async function findingsOf(pool: Db, billId: string, f: FindingFilter): Promise<{ items: BillFinding[]; total: number }> {
  const args: unknown[] = [billId];
  const where = ['bill_id = $1'];
  if (f.kind) where.push(`kind = $${args.push(f.kind)}`);
  if (f.ids) where.push(`id = ANY($${args.push(f.ids)}::bigint[])`);
  const clause = where.join(' AND ');
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM bill_findings WHERE ${clause}`, args);
  const { rows } = await pool.query<FindingRow>(
    `SELECT id, kind, number, line_id, rows, amount_at_stake, billed, expected, detail, dispute_id FROM bill_findings
      WHERE ${clause} ORDER BY id LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
    args,
  );
  return { items: rows.map(findingOf), total: total.rows[0]!.n };
}

/** Marks the findings as taken up by a dispute (the workflow's dispute, projected). */
export async function markDisputed(pool: Db, billId: string, disputeId: string, findingIds: readonly number[]): Promise<void> {
  await pool.query(`UPDATE bill_findings SET dispute_id = $2 WHERE bill_id = $1 AND id = ANY($3::bigint[]) AND dispute_id IS NULL`, [
    billId,
    disputeId,
    findingIds,
  ]);
}

interface FindingRow {
  id: string;
  kind: FindingKind;
  number: string;
  line_id: string | null;
  rows: number[];
  amount_at_stake: string;
  billed: string | null;
  expected: string | null;
  detail: string;
  dispute_id: string | null;
}

function findingOf(r: FindingRow): BillFinding {
  return {
    id: Number(r.id),
    kind: r.kind,
    number: r.number,
    lineId: r.line_id,
    rows: r.rows,
    amountAtStake: Number(r.amount_at_stake),
    billed: r.billed === null ? null : Number(r.billed),
    expected: r.expected === null ? null : Number(r.expected),
    detail: r.detail,
    disputeId: r.dispute_id,
  };
}

/** The bill's findings counted and summed, overall and per kind (disputed ones included). */
export async function findingSummary(pool: Db, billId: string): Promise<FindingSummary> {
  // What may be recovered is the SQL twin of isRecoverable (domain/billing/contracts.ts).
  const { rows } = await pool.query<{ kind: FindingKind; n: number; amount: string; recoverable: string }>(
    `SELECT kind, count(*)::int AS n, sum(amount_at_stake) AS amount,
            coalesce(sum(amount_at_stake) FILTER (WHERE kind <> 'missing-from-bill' AND amount_at_stake > 0), 0) AS recoverable
       FROM bill_findings WHERE bill_id = $1 GROUP BY kind`,
    [billId],
  );
  const byKind: FindingSummary['byKind'] = {};
  for (const r of rows) byKind[r.kind] = { count: r.n, amountAtStake: Number(r.amount) };
  return {
    count: rows.reduce((n, r) => n + r.n, 0),
    amountAtStake: rows.reduce((n, r) => n + Number(r.recoverable), 0),
    byKind,
  };
}
