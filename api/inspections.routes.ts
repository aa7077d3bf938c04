import { z } from 'zod';
import { idForRequest } from '../db/idempotency.repo';
import { getInspection, inspectionsInFlight, listInspections, nextInspectionId } from '../db/inspections.repo';
import { InspectionRequest, Period, type InspectionState, type InspectionWorkflowInput } from '../domain/inspection/contracts';
import { ReviewStatus } from '../domain/report/contracts';
import {
  inspectionApproveUpdate,
  inspectionReturnUpdate,
  inspectionStartedUpdate,
  inspectionWorkflowId,
} from '../workflows/inspection/messages';
import { reviewRoutes } from './review.routes';
import { refuseInFlight, startReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';
import { ALL_ROLES, route, type AnyRoute } from './route';
import { ID_PREFIX, idParams } from '../domain/ids';

const IdParams = idParams(ID_PREFIX.inspection, 'an inspection');
const ListQuery = z
  .object({
    period: Period.optional(),
    status: ReviewStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const RUNNERS = ['admin', 'spm', 'engineer', 'automation'] as const;

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
      idempotent: true,
      handle: async ({ body, actor, idempotencyKey }) => {
        // Refused before the Idempotency-Key is stored: a 409 keeps nothing (a retry is judged afresh).
        const { id } = await idForRequest(deps.pool, 'inspection', body, idempotencyKey, async () => {
          refuseInFlight('inspection', body.period, await inspectionsInFlight(deps.pool, body.period, body.centers));
          return nextInspectionId(deps.pool);
        });
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
    ...reviewRoutes(deps, INSPECTION, {
      base: '/api/v1/inspections',
      tag: 'inspections',
      params: IdParams,
      approve: inspectionApproveUpdate,
      return: inspectionReturnUpdate,
      shows: 'status, progress (collectors done/total), findings, incidents opened, the report',
    }),
  ];
}
