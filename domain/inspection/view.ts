import { z } from 'zod';
import { Actor } from '../actor';
import { ReviewStatus } from '../report/contracts';
import { ReviewDecisionView, StoredReportView, type Check, type Same } from '../report/view';
import { InspectedSystem, Metric, type InspectionState } from './contracts';

/** The monthly inspection as the API answers it (GET /api/v1/inspections/:id and the list's rows). */

const LocalText = z.object({ ko: z.string(), en: z.string() });

export const FindingView = z.object({
  key: z.string(),
  ruleId: z.string(),
  center: z.string(),
  system: InspectedSystem,
  deviceId: z.string().nullable(),
  metric: Metric.nullable(),
  item: z.string().optional(),
  severity: z.enum(['warning', 'critical']),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  error: z.string().optional(),
  proposal: LocalText,
});

export const InspectionView = z.object({
  id: z.string(),
  period: z.string(),
  centers: z.array(z.string()),
  status: ReviewStatus,
  requestedBy: Actor,
  startedAt: z.string(),
  updatedAt: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  collectors: z.array(
    z.object({
      center: z.string(),
      system: InspectedSystem,
      status: z.enum(['pending', 'running', 'done', 'failed']),
      devices: z.number().int(),
      readings: z.number().int(),
      error: z.string().optional(),
    }),
  ),
  findings: z.array(FindingView),
  incidents: z.array(z.object({ findingKey: z.string(), incidentId: z.string() })),
  report: StoredReportView.nullable(),
  review: ReviewDecisionView.nullable(),
  deliveredAt: z.string().nullable(),
  failure: z.string().nullable(),
});

/** A row of the list: the findings counted, not listed. */
export const InspectionSummary = InspectionView.omit({ findings: true }).extend({ findings: z.number().int().describe('how many findings') });

export type InspectionViewMatches = Check<Same<z.infer<typeof InspectionView>, InspectionState>>;
