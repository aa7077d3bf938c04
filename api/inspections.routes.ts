import { z } from 'zod';
import { idForRequest } from '../db/idempotency.repo';
import { getInspection, inspectionsInFlight, listInspections, nextInspectionId } from '../db/inspections.repo';
import { InspectionRequest, Period, type InspectionState, type InspectionWorkflowInput } from '../domain/inspection/contracts';
import { ApproveRequest, ReturnRequest, ReviewStatus } from '../domain/report/contracts';
import {
  inspectionApproveUpdate,
  inspectionReturnUpdate,
  inspectionStartedUpdate,
  inspectionWorkflowId,
} from '../workflows/inspection/messages';
import { PDF_SUCCESS, ReportPdfQuery, sendReportPdf } from './report-pdf';
import { readReviewed, refuseInFlight, startReviewed, updateReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';
import { ALL_ROLES, idempotencyKey, route, type AnyRoute } from './route';

const IdParams = z.object({ id: z.string().regex(/^INS-\d{6,}$/, 'expected an inspection id like INS-000001') });
const ListQuery = z
  .object({
    period: Period.optional(),
    status: ReviewStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const RUNNERS = ['admin', 'spm', 'engineer', 'automation'] as const;
const REVIEWERS = ['admin', 'spm'] as const;

export const INSPECTION: ReviewedKind<InspectionState> = {
  noun: 'inspection',
  workflowType: 'inspectionWorkflow',
  workflowId: inspectionWorkflowId,
  started: inspectionStartedUpdate,
  read: getInspection,
};

/** The monthly inspection: on-demand runs (the Schedule starts the monthly ones), progress, findings, review, the PDF. */
export function inspectionRoutes(deps: ReviewServiceDeps): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/inspections',
      summary: 'Run the inspection of a month now (all centers, or those named); an Idempotency-Key makes a retry return the same run',
      tag: 'inspections',
      roles: RUNNERS,
      body: InspectionRequest,
      success: { status: 201, description: 'the inspection, RUNNING with its progress' },
      handle: async ({ body, actor, req }) => {
        const { id, replay } = await idForRequest(deps.pool, 'inspection', body, idempotencyKey(req), () => nextInspectionId(deps.pool));
        if (!replay) refuseInFlight('inspection', body.period, await inspectionsInFlight(deps.pool, body.period, body.centers));
        const input: InspectionWorkflowInput = { id, period: body.period, centers: body.centers, requestedBy: actor };
        return startReviewed(deps, INSPECTION, id, input);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/inspections',
      summary: 'Inspections, newest first',
      tag: 'inspections',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200 },
      handle: async ({ query }) => {
        const { items, total } = await listInspections(deps.pool, query);
        return { items: items.map(({ findings, ...rest }) => ({ ...rest, findings: findings.length })), total };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/inspections/:id',
      summary: 'One inspection: status, progress (collectors done/total), findings, incidents opened, the report',
      tag: 'inspections',
      roles: ALL_ROLES,
      params: IdParams,
      success: { status: 200 },
      handle: ({ params }) => readReviewed(deps, INSPECTION, params.id),
    }),
    route({
      method: 'get',
      path: '/api/v1/inspections/:id/report.pdf',
      summary: 'The inspection report (the newest rendering, or ?version=n)',
      tag: 'inspections',
      roles: ALL_ROLES,
      params: IdParams,
      query: ReportPdfQuery,
      success: PDF_SUCCESS,
      handle: ({ params, query, res }) => sendReportPdf(deps.pool, res, params.id, query.version),
    }),
    route({
      method: 'post',
      path: '/api/v1/inspections/:id/approve',
      summary: 'Approve the report (comments optional): it is e-mailed to the customer contact and the inspection is DELIVERED',
      tag: 'inspections',
      roles: REVIEWERS,
      params: IdParams,
      body: ApproveRequest,
      success: { status: 200 },
      handle: ({ params, body, actor }) => updateReviewed(deps, INSPECTION, params.id, inspectionApproveUpdate, 'approve', body, actor),
    }),
    route({
      method: 'post',
      path: '/api/v1/inspections/:id/return',
      summary: 'Send the report back (comments required); the inspection ends RETURNED and the month can be run again',
      tag: 'inspections',
      roles: REVIEWERS,
      params: IdParams,
      body: ReturnRequest,
      success: { status: 200 },
      handle: ({ params, body, actor }) => updateReviewed(deps, INSPECTION, params.id, inspectionReturnUpdate, 'return', body, actor),
    }),
  ];
}
