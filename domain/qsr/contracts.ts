import { z } from 'zod';
import { Actor } from '../actor';
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
  /** The incident was cancelled after it breached: when and why (absent: not cancelled; indicators stored before issue 17 never say). */
  cancelled?: { at: string; reason: string };
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
  /** Incidents of the period that were cancelled: how many, how many had breached first, and why (absent in indicators stored before issue 17). */
  cancelled?: { total: number; breached: number; byReason: Array<{ reason: string; count: number }> };
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
