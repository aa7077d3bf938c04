import { z } from 'zod';
import { Actor } from '../actor';
import { ReportLocale, ReviewStatus } from '../report/contracts';
import { ReviewDecisionView, StoredReportView, type Check, type Same } from '../report/view';
import type { BillingReportState } from './billing-report';

/** The monthly line cost analysis as the API answers it (GET /api/v1/billing-reports/:id and the list's rows). */

export const BillingReportView = z.object({
  id: z.string(),
  month: z.string(),
  locale: ReportLocale,
  status: ReviewStatus,
  requestedBy: Actor,
  startedAt: z.string(),
  updatedAt: z.string(),
  figures: z
    .object({
      bills: z.number().int(),
      totalKrw: z.number().int(),
      unidentifiedKrw: z.number().int().describe('billed for numbers no line of the inventory has (미확인)'),
      findings: z.number().int(),
      amountAtStakeKrw: z.number().int(),
      disputes: z.number().int(),
    })
    .nullable()
    .describe("the month's live bills in figures (null until gathered)"),
  savings: z
    .object({ proposals: z.number().int(), monthlySavingKrw: z.number().int() })
    .nullable()
    .describe('the savings proposals as of the month’s last day (null until collected, or when they could not be: see notes)'),
  report: StoredReportView.nullable(),
  review: ReviewDecisionView.nullable(),
  deliveredAt: z.string().nullable(),
  failure: z.string().nullable(),
  notes: z.array(z.string()),
});

export type BillingReportViewMatches = [Check<Same<z.infer<typeof BillingReportView>, BillingReportState>>];
