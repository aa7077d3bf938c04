import { z } from 'zod';
import { Actor } from '../actor';
import { ReviewStatus } from '../report/contracts';
import { ReviewDecisionView, StoredReportView, type Check, type Same } from '../report/view';
import { Severity } from '../sla/model';
import { Proposal, type Kpis, type QsrState } from './contracts';

/** The quarterly service review and the SLA indicators as the API answers them. */

const Share = z.object({ numerator: z.number().int(), denominator: z.number().int(), ratio: z.number().nullable() });

export const KpisView = z.object({
  from: z.string(),
  to: z.string(),
  incidents: z.object({
    total: z.number().int(),
    bySeverity: z.object({ P1: z.number().int(), P2: z.number().int(), P3: z.number().int(), P4: z.number().int() }),
    bySystem: z.record(z.string(), z.number().int()),
    byCenter: z.record(z.string(), z.number().int()),
  }),
  mttrMs: z.number().nullable().describe('mean time to restore (ms) over resolved incidents; null if none resolved'),
  restoredWithinTarget: z.object({ complex: Share, all: Share }),
  responseAttainment: Share,
  l1Resolution: Share,
  reopenRate: Share,
  breaches: z.array(
    z.object({
      incidentId: z.string(),
      title: z.string(),
      severity: Severity,
      system: z.string(),
      center: z.string().nullable(),
      clock: z.enum(['response', 'restore']),
      targetSeconds: z.number(),
      elapsedSeconds: z.number(),
      dueAt: z.string().nullable(),
      cancelled: z.object({ at: z.string(), reason: z.string() }).optional().describe('cancelled after it breached: when and why'),
    }),
  ),
  cancelled: z
    .object({
      total: z.number().int(),
      breached: z.number().int(),
      byReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    })
    .optional()
    .describe('incidents of the period that were cancelled, those that had breached first, and why'),
});

export const AnomalyView = z.object({
  date: z.string(),
  center: z.string(),
  offered: z.number(),
  expected: z.number(),
  score: z.number(),
  kind: z.enum(['spike', 'drop']),
});

export const QsrView = z.object({
  id: z.string(),
  quarter: z.string(),
  status: ReviewStatus,
  requestedBy: Actor,
  startedAt: z.string(),
  updatedAt: z.string(),
  kpis: KpisView.nullable(),
  anomalies: z.array(AnomalyView),
  proposals: z.array(Proposal),
  report: StoredReportView.nullable(),
  review: ReviewDecisionView.nullable(),
  deliveredAt: z.string().nullable(),
  failure: z.string().nullable(),
  notes: z.array(z.string()),
});

/** A row of the list: the indicators, anomalies and proposals counted, not listed. */
export const QsrSummary = QsrView.omit({ kpis: true, anomalies: true, proposals: true }).extend({
  incidents: z.number().int().nullable().describe('incidents of the quarter (null until the indicators are computed)'),
  breaches: z.number().int().nullable().describe('SLA breaches of the quarter (null until the indicators are computed)'),
  anomalies: z.number().int().describe('how many call volume anomalies'),
  proposals: z.number().int().describe('how many improvement proposals'),
});

export type QsrViewMatches = [Check<Same<z.infer<typeof KpisView>, Kpis>>, Check<Same<z.infer<typeof QsrView>, QsrState>>];
