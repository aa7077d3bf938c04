import { z } from 'zod';
import { Actor } from '../incident/contracts';
import type { ReviewDecision, ReviewStatus, StoredReportRef } from '../report/contracts';
import type { Severity } from '../sla/model';

/**
 * The quarterly service review (분기 서비스 리뷰), written once: the quarter,
 * the indicators computed from the incident read model, call volume and its
 * anomalies, the SPM's improvement proposals, and the workflow's state.
 */

export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'expected a quarter as YYYY-Qn');

export const QsrRequest = z.object({ quarter: Quarter }).strict();
export type QsrRequest = z.infer<typeof QsrRequest>;

export const Proposal = z
  .object({
    title: z.string().trim().min(1).max(200),
    detail: z.string().trim().min(1).max(5000),
    owner: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type Proposal = z.infer<typeof Proposal>;
export const ProposalsRequest = z.object({ proposals: z.array(Proposal).min(1).max(50) }).strict();
export type ProposalsRequest = z.infer<typeof ProposalsRequest>;

/** A ratio with what it was computed from, so a reader can check it; ratio is null when there is nothing to divide. */
export interface Share {
  numerator: number;
  denominator: number;
  ratio: number | null;
}

export interface Breach {
  incidentId: string;
  title: string;
  severity: Severity;
  system: string;
  center: string | null;
  clock: 'response' | 'restore';
  targetSeconds: number;
  elapsedSeconds: number;
  dueAt: string | null;
}

/** The SLA indicators of a period (KPI formulas: domain/qsr/kpis.ts). */
export interface Kpis {
  from: string;
  to: string;
  incidents: {
    total: number;
    bySeverity: Record<Severity, number>;
    bySystem: Record<string, number>;
    byCenter: Record<string, number>;
  };
  /** Mean time to restore: wall-clock opened → last resolution over resolved incidents (ms); null if none resolved. */
  mttrMs: number | null;
  /** Resolved complex incidents restored within their target (4 h), and all resolved incidents within theirs. */
  restoredWithinTarget: { complex: Share; all: Share };
  /** Incidents whose response clock stopped within target, of those whose response clock stopped. */
  responseAttainment: Share;
  /** Resolved incidents resolved at L1 (never escalated), of resolved incidents. */
  l1Resolution: Share;
  /** Incidents reopened at least once, of incidents ever resolved. */
  reopenRate: Share;
  breaches: Breach[];
}

/** Daily call volume of one center: from the CTI statistics or a CSV upload. */
export interface CallVolumeDay {
  date: string;
  center: string;
  offered: number;
  answered: number;
  source: 'cti' | 'csv';
}

export interface CallVolumeAnomaly {
  date: string;
  center: string;
  offered: number;
  /** The expected value (median of the same weekday) and the robust z-score against it. */
  expected: number;
  score: number;
  kind: 'spike' | 'drop';
}

/** One system metric per month, from the inspections (e.g. PBX memory %, backup age). */
export interface SystemTrendPoint {
  period: string;
  center: string;
  system: string;
  metric: string;
  /** The month's worst reading: highest usage ratio or age. */
  value: number;
}

export interface QsrWorkflowInput {
  id?: string;
  /** A scheduled run has none: it reviews the quarter before its scheduled time. */
  quarter?: string;
  requestedBy: Actor;
}

export interface QsrState {
  id: string;
  quarter: string;
  status: ReviewStatus;
  requestedBy: Actor;
  startedAt: string;
  updatedAt: string;
  kpis: Kpis | null;
  anomalies: CallVolumeAnomaly[];
  proposals: Proposal[];
  report: StoredReportRef | null;
  review: ReviewDecision | null;
  deliveredAt: string | null;
  failure: string | null;
  /** What the review went ahead without, e.g. the CTI statistics being unreachable (CSV uploads still count). */
  notes: string[];
}

/** YYYY-Qn → its first and last day local to Asia/Seoul, as [from, to) instants. */
export function quarterBounds(quarter: string): { from: string; to: string; months: string[] } {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const first = (q - 1) * 3;
  const at = (y: number, m: number) => new Date(Date.UTC(y, m, 1) - 9 * 3_600_000).toISOString();
  const months = [0, 1, 2].map((i) => `${year}-${String(first + i + 1).padStart(2, '0')}`);
  return { from: at(year, first), to: at(year, first + 3), months };
}

/** The quarter's calendar dates (Asia/Seoul) as [fromDate, toDate), YYYY-MM-DD. */
export function quarterDates(quarter: string): { fromDate: string; toDate: string } {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const first = (q - 1) * 3 + 1;
  const next = q === 4 ? `${year + 1}-01-01` : `${year}-${String(first + 3).padStart(2, '0')}-01`;
  return { fromDate: `${year}-${String(first).padStart(2, '0')}-01`, toDate: next };
}
