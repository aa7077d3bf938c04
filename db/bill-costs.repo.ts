import type { Pool } from 'pg';
import {
  LARGEST_FINDINGS,
  trendMonthsOf,
  type BillingMonthData,
  type CarrierMonthTotal,
  type CostCell,
  type FindingKindTotal,
  type MonthBill,
  type ReportedDispute,
  type ReportedFinding,
} from '../domain/billing/billing-report';
import type { BillStatus, Dispute, FindingKind } from '../domain/billing/contracts';
import { carrierDisplayNames } from './billing-config.repo';

/**
 * What the bills of a month cost, read for the line cost analysis: the live bills (not withdrawn
 * or failed), their lines by center and carrier, the twelve months' totals, the findings and the
 * disputes. Read only; the bills' own repository (bills.repo.ts) writes these tables.
 */

// Inlined in each query: the bills that count (BILLS_NOT_COUNTED).
const LIVE = `b.status NOT IN ('WITHDRAWN','FAILED')`;

export async function billingMonthData(pool: Pool, month: string): Promise<BillingMonthData> {
  const trendMonths = trendMonthsOf(month);
  const [bills, costs, trend, findingsByKind, largestFindings, disputes, carrierNames] = await Promise.all([
    monthBills(pool, month),
    costsByCenter(pool, month),
    carrierTotals(pool, trendMonths),
    findingTotals(pool, month),
    largestFindingsOf(pool, month),
    disputesOf(pool, month),
    carrierDisplayNames(pool),
  ]);
  return { month, trendMonths, carrierNames, bills, costs, trend, findingsByKind, largestFindings, disputes };
}

async function monthBills(pool: Pool, month: string): Promise<MonthBill[]> {
  const { rows } = await pool.query<{ id: string; carrier: string; lines: number; total: string; status: BillStatus; due: string; paid_on: string | null }>(
    `SELECT b.id, b.carrier, b.line_count AS lines, b.total_krw AS total, b.status, to_char(b.due_date, 'YYYY-MM-DD') AS due,
            b.state->'payment'->>'paidOn' AS paid_on
       FROM bills b WHERE b.month = $1 AND ${LIVE} ORDER BY b.carrier, b.id`,
    [month],
  );
  return rows.map((r) => ({ id: r.id, carrier: r.carrier, lines: r.lines, totalKrw: Number(r.total), status: r.status, dueDate: r.due, paidOn: r.paid_on }));
}

/**
 * Each bill line's total, by the center of the inventory line holding its number (center null: no
 * line has it). A number held by several lines over time counts for the one holding it now, else
 * the latest that was in service; lines that never went into service (failed, cancelled) hold none.
 */
async function costsByCenter(pool: Pool, month: string): Promise<CostCell[]> {
  const { rows } = await pool.query<{ center: string | null; carrier: string; lines: number; total: string }>(
    `WITH billed AS (
       SELECT l.number, l.total, b.carrier FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE b.month = $1 AND ${LIVE}
     ), holder AS (
       SELECT DISTINCT ON (dn) dn, center FROM lines
        WHERE dn IN (SELECT number FROM billed) AND status NOT IN ('FAILED','CANCELLED')
        ORDER BY dn, (status <> 'TERMINATED') DESC, requested_at DESC, id DESC
     )
     SELECT h.center, x.carrier, count(*)::int AS lines, sum(x.total) AS total
       FROM billed x LEFT JOIN holder h ON h.dn = x.number
      GROUP BY h.center, x.carrier
      ORDER BY h.center NULLS LAST, x.carrier`,
    [month],
  );
  return rows.map((r) => ({ center: r.center, carrier: r.carrier, lines: r.lines, totalKrw: Number(r.total) }));
}

async function carrierTotals(pool: Pool, months: readonly string[]): Promise<CarrierMonthTotal[]> {
  const { rows } = await pool.query<{ month: string; carrier: string; total: string }>(
    `SELECT b.month, b.carrier, sum(b.total_krw) AS total FROM bills b
      WHERE b.month = ANY($1) AND ${LIVE} GROUP BY b.month, b.carrier ORDER BY b.month, b.carrier`,
    [months],
  );
  return rows.map((r) => ({ month: r.month, carrier: r.carrier, totalKrw: Number(r.total) }));
}

async function findingTotals(pool: Pool, month: string): Promise<FindingKindTotal[]> {
  const { rows } = await pool.query<{ kind: FindingKind; n: number; amount: string }>(
    `SELECT f.kind, count(*)::int AS n, sum(f.amount_at_stake) AS amount
       FROM bill_findings f JOIN bills b ON b.id = f.bill_id
      WHERE b.month = $1 AND ${LIVE} GROUP BY f.kind ORDER BY f.kind`,
    [month],
  );
  return rows.map((r) => ({ kind: r.kind, count: r.n, amountAtStakeKrw: Number(r.amount) }));
}

async function largestFindingsOf(pool: Pool, month: string): Promise<ReportedFinding[]> {
  const { rows } = await pool.query<{
    id: string;
    bill_id: string;
    carrier: string;
    kind: FindingKind;
    number: string;
    amount: string;
    detail: string;
    dispute_id: string | null;
  }>(
    `SELECT f.id, f.bill_id, b.carrier, f.kind, f.number, f.amount_at_stake AS amount, f.detail, f.dispute_id
       FROM bill_findings f JOIN bills b ON b.id = f.bill_id
      WHERE b.month = $1 AND ${LIVE}
      ORDER BY f.amount_at_stake DESC, f.id LIMIT $2`,
    [month, LARGEST_FINDINGS],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    billId: r.bill_id,
    carrier: r.carrier,
    kind: r.kind,
    number: r.number,
    amountAtStakeKrw: Number(r.amount),
    detail: r.detail,
    disputeId: r.dispute_id,
  }));
}

/** The disputes of the month's bills, as each bill workflow holds them (its state's `disputes`). */
async function disputesOf(pool: Pool, month: string): Promise<ReportedDispute[]> {
  const { rows } = await pool.query<{ bill_id: string; carrier: string; dispute: Dispute }>(
    `SELECT b.id AS bill_id, b.carrier, d.dispute
       FROM bills b CROSS JOIN LATERAL jsonb_array_elements(coalesce(b.state->'disputes', '[]'::jsonb)) AS d(dispute)
      WHERE b.month = $1 AND ${LIVE}
      ORDER BY b.carrier, b.id, d.dispute->>'openedAt', d.dispute->>'id'`,
    [month],
  );
  return rows.map(({ bill_id, carrier, dispute: d }) => ({
    id: d.id,
    billId: bill_id,
    carrier,
    carrierReference: d.carrierReference,
    amountKrw: d.amountKrw,
    status: d.status,
    creditKrw: d.settlement ? d.settlement.creditKrw : null,
    openedAt: d.openedAt,
  }));
}

/** Whether any of the PBX's daily call records in [fromDate, toDate) came from a stand-in (the savings rest on them). */
export async function simulatedUsageBetween(pool: Pool, fromDate: string, toDate: string): Promise<boolean> {
  const { rows } = await pool.query<{ simulated: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM line_usage_daily WHERE date >= $1 AND date < $2 AND data_source = 'simulated')
         OR EXISTS (SELECT 1 FROM trunk_usage_daily WHERE date >= $1 AND date < $2 AND data_source = 'simulated') AS simulated`,
    [fromDate, toDate],
  );
  return rows[0]!.simulated;
}
