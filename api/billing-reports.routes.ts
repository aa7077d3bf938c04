import { z } from 'zod';
import { BillingMonth, BillingReportRequest } from '../domain/billing/billing-report';
import { BillingReportView } from '../domain/billing/billing-report-view';
import { ID_PREFIX, idParams } from '../domain/ids';
import { ReviewStatus } from '../domain/report/contracts';
import { billingReportApproveUpdate, billingReportReturnUpdate } from '../workflows/billing-report/messages';
import { BILLING_REPORT, listBillingReportStates, startBillingReport } from './billing-report-service';
import { reviewRoutes } from './review.routes';
import type { ReviewServiceDeps } from './review-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

const IdParams = idParams(ID_PREFIX.billingReport, 'a billing report');

const ListQuery = z
  .object({
    month: BillingMonth.optional(),
    status: ReviewStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const RUNNERS = ['admin', 'spm', 'automation'] as const;

/** The monthly line cost analysis (회선 요금 분석): on-demand runs, the list, the review and the PDF. */
export function billingReportRoutes(deps: ReviewServiceDeps): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/billing-reports',
      summary: 'Prepare the line cost analysis of a month now (Korean, or locale en); an Idempotency-Key makes a retry return the same run',
      tag: 'billing-reports',
      roles: RUNNERS,
      body: BillingReportRequest,
      success: { status: 201, description: 'the billing report, RUNNING', schema: BillingReportView },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => startBillingReport(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/billing-reports',
      summary: 'Line cost analyses, newest first (by when they started)',
      tag: 'billing-reports',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(BillingReportView), total: z.number().int() }) },
      handle: ({ query }) => listBillingReportStates(deps, query),
    }),
    ...reviewRoutes(deps, BILLING_REPORT, {
      base: '/api/v1/billing-reports',
      tag: 'billing-reports',
      params: IdParams,
      view: BillingReportView,
      approve: billingReportApproveUpdate,
      return: billingReportReturnUpdate,
      shows: "status, the month's figures (bills, total, findings, disputes), the savings, the report",
    }),
  ];
}
