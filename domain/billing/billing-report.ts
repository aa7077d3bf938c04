import { z } from 'zod';
import type { Actor } from '../actor';
import { ReportLocale, type ReviewDecision, type ReviewStatus, type StoredReportRef } from '../report/contracts';
import { monthsEndingWith } from '../report/periods';
import type { BillStatus, FindingKind } from './contracts';
import type { SavingProposal } from './savings';

/**
 * The monthly line cost analysis (회선 요금 분석, domain.md process 8: "a monthly cost report goes
 * to the customer"), written once: the request, the month's data as gathered and stored (the
 * render reads it by the report's id), and the reviewed workflow's state.
 */

export const BillingMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

export const BillingReportRequest = z.object({ month: BillingMonth, locale: ReportLocale.default('ko') }).strict();
export type BillingReportRequest = z.infer<typeof BillingReportRequest>;

/** How many months the trend shows, ending with the report's month. */
export const TREND_MONTHS = 12;
/** How many findings the report lists one by one (the largest amounts at stake). */
export const LARGEST_FINDINGS = 20;
/** Bills that count: a withdrawn or failed upload is no cost. */
export const BILLS_NOT_COUNTED: readonly BillStatus[] = ['WITHDRAWN', 'FAILED'];

// ---- the month's data, as gathered ---------------------------------------------

/** A live bill of the month. */
export interface MonthBill {
  id: string;
  carrier: string;
  lines: number;
  totalKrw: number;
  status: BillStatus;
  dueDate: string;
  /** The payment's date, or null while unpaid. */
  paidOn: string | null;
}

/** What one carrier billed for the numbers of one center; `center` null: numbers the inventory does not have (미확인). */
export interface CostCell {
  center: string | null;
  carrier: string;
  /** Bill lines counted. */
  lines: number;
  totalKrw: number;
}

export interface CarrierMonthTotal {
  month: string;
  carrier: string;
  totalKrw: number;
}

export interface FindingKindTotal {
  kind: FindingKind;
  count: number;
  amountAtStakeKrw: number;
}

export interface ReportedFinding {
  id: number;
  billId: string;
  carrier: string;
  kind: FindingKind;
  number: string;
  amountAtStakeKrw: number;
  /** The reconciliation's sentence, as the SPM would forward it. */
  detail: string;
  disputeId: string | null;
}

export interface ReportedDispute {
  id: string;
  billId: string;
  carrier: string;
  carrierReference: string;
  amountKrw: number;
  status: 'OPEN' | 'SETTLED';
  /** The credit the carrier granted once settled (0: refused); null while open. */
  creditKrw: number | null;
  openedAt: string;
}

/** Everything the report shows of the month's bills (stored per report; the savings are stored beside it). */
export interface BillingMonthData {
  month: string;
  /** The trend's months, oldest first, ending with `month`. */
  trendMonths: string[];
  /** Carrier key → the name its bill profile gives it. */
  carrierNames: Record<string, string>;
  bills: MonthBill[];
  costs: CostCell[];
  trend: CarrierMonthTotal[];
  findingsByKind: FindingKindTotal[];
  /** The largest findings by amount at stake, at most LARGEST_FINDINGS. */
  largestFindings: ReportedFinding[];
  disputes: ReportedDispute[];
}

/** The savings proposals as of the month's last day, and whether the call records they rest on came from a stand-in. */
export interface BillingSavingsData {
  asOf: string;
  proposals: SavingProposal[];
  simulatedUsage: boolean;
}

// ---- the workflow ----------------------------------------------------------------

/** The month's figures as the workflow holds them (the rows stay in the database). */
export interface BillingReportFigures {
  bills: number;
  totalKrw: number;
  /** Billed for numbers no line of the inventory has. */
  unidentifiedKrw: number;
  findings: number;
  amountAtStakeKrw: number;
  disputes: number;
}

export interface BillingReportSavings {
  proposals: number;
  monthlySavingKrw: number;
}

export interface BillingReportWorkflowInput {
  id?: string;
  /** A scheduled run has none: it reports the month before its scheduled time. */
  month?: string;
  locale?: ReportLocale;
  requestedBy: Actor;
}

export interface BillingReportState {
  id: string;
  month: string;
  locale: ReportLocale;
  status: ReviewStatus;
  requestedBy: Actor;
  startedAt: string;
  updatedAt: string;
  figures: BillingReportFigures | null;
  /** Null until collected, or when they could not be (then `notes` says why). */
  savings: BillingReportSavings | null;
  report: StoredReportRef | null;
  review: ReviewDecision | null;
  deliveredAt: string | null;
  failure: string | null;
  /** What the report went ahead without, e.g. the savings proposals. */
  notes: string[];
}

// ---- plain rules ------------------------------------------------------------------

/** The TREND_MONTHS months ending with `month`, oldest first. */
export function trendMonthsOf(month: string): string[] {
  return monthsEndingWith(month, TREND_MONTHS);
}

export function billingFigures(data: BillingMonthData): BillingReportFigures {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    bills: data.bills.length,
    totalKrw: sum(data.bills.map((b) => b.totalKrw)),
    unidentifiedKrw: sum(data.costs.filter((c) => c.center === null).map((c) => c.totalKrw)),
    findings: sum(data.findingsByKind.map((f) => f.count)),
    amountAtStakeKrw: sum(data.findingsByKind.map((f) => f.amountAtStakeKrw)),
    disputes: data.disputes.length,
  };
}

export function savingsFigures(proposals: readonly SavingProposal[]): BillingReportSavings {
  return { proposals: proposals.length, monthlySavingKrw: proposals.reduce((a, p) => a + p.monthlySavingKrw, 0) };
}
