import type { Pool } from 'pg';
import type { BillingMonthData, BillingReportState, BillingSavingsData } from '../domain/billing/billing-report';
import { ID_PREFIX } from '../domain/ids';
import { reviewedRuns } from './reviewed-runs.repo';

/**
 * The line cost analyses' read model, written by the billing report workflow's projection, and
 * what each was built from (billing_report_inputs): gathered once per run, read by every rendering.
 */

const runs = reviewedRuns<BillingReportState>({
  table: 'billing_reports',
  sequence: 'billing_report_number_seq',
  prefix: ID_PREFIX.billingReport,
  periodColumn: 'month',
  periodOf: (s) => s.month,
});

export const nextBillingReportId = runs.nextId;
export const billingReportIdOfWorkflow = runs.idOfWorkflow;
export const saveBillingReport = runs.save;
export const findBillingReport = runs.find;

export async function billingReportsInFlight(pool: Pool, month: string): Promise<string[]> {
  return (await runs.inFlight(pool, month)).map((r) => r.id);
}

/** Billing reports newest first (by when they started), filtered by month and status; `total` counts every match. */
export async function listBillingReports(
  pool: Pool,
  f: { month?: string; status?: string; limit: number; offset: number },
): Promise<{ items: BillingReportState[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.month) where.push(`month = $${params.push(f.month)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM billing_reports ${clause}`, params);
  const { rows } = await pool.query<{ state: BillingReportState }>(
    `SELECT state FROM billing_reports ${clause} ORDER BY started_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { items: rows.map((r) => r.state), total: total.rows[0]!.n };
}

/** Keeps the month's data for the report; a retried gathering replaces what an earlier attempt kept (nothing was rendered from it yet). */
export async function storeBillingMonth(pool: Pool, reportId: string, data: BillingMonthData): Promise<void> {
  await pool.query(
    `INSERT INTO billing_report_inputs (report_id, month, bills) VALUES ($1, $2, $3)
     ON CONFLICT (report_id) DO UPDATE SET month = EXCLUDED.month, bills = EXCLUDED.bills, gathered_at = now()`,
    [reportId, data.month, JSON.stringify(data)],
  );
}

export async function storeBillingSavings(pool: Pool, reportId: string, savings: BillingSavingsData): Promise<void> {
  const { rowCount } = await pool.query(`UPDATE billing_report_inputs SET savings = $2, savings_at = now() WHERE report_id = $1`, [
    reportId,
    JSON.stringify(savings),
  ]);
  if (rowCount !== 1) throw new Error(`billing report ${reportId} has no gathered data to add the savings to`);
}

/** What the report is rendered from; undefined before the month was gathered. */
export async function billingReportInputs(pool: Pool, reportId: string): Promise<{ bills: BillingMonthData; savings: BillingSavingsData | null } | undefined> {
  const { rows } = await pool.query<{ bills: BillingMonthData; savings: BillingSavingsData | null }>(
    `SELECT bills, savings FROM billing_report_inputs WHERE report_id = $1`,
    [reportId],
  );
  return rows[0];
}
