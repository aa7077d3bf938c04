import { z } from 'zod';
import { InspectionRequest, Period, ReadingRecord } from '../domain/inspection/contracts';
import { ReviewStatus } from '../domain/report/contracts';
import { InspectionSummary, InspectionView } from '../domain/inspection/view';
import { inspectionApproveUpdate, inspectionReturnUpdate } from '../workflows/inspection/messages';
import { INSPECTION, inspectionReadings, listInspectionSummaries, startInspection } from './inspection-service';
import { reviewRoutes } from './review.routes';
import type { ReviewServiceDeps } from './review-service';
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
/** A page of readings, in the order of center, system, device, metric and item. */
const ReadingsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

const RUNNERS = ['admin', 'spm', 'engineer', 'automation'] as const;

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
      success: { status: 201, description: 'the inspection, RUNNING with its progress', schema: InspectionView },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => startInspection(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/inspections',
      summary: 'Inspections, newest first',
      tag: 'inspections',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(InspectionSummary), total: z.number().int() }) },
      handle: ({ query }) => listInspectionSummaries(deps, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/inspections/:id/readings',
      summary: 'What the inspection read: each reading with who measured it and its source, "vendor" or "simulated" (a stand-in)',
      tag: 'inspections',
      roles: ALL_ROLES,
      params: IdParams,
      query: ReadingsQuery,
      success: {
        status: 200,
        schema: z.object({
          items: z.array(ReadingRecord),
          total: z.number().int().describe('readings of the whole inspection; `items` is the page from `offset`'),
          simulated: z.boolean().describe('some reading of the inspection came from a stand-in: the report carries the SIMULATED DATA banner'),
        }),
      },
      handle: ({ params, query }) => inspectionReadings(deps, params.id, query),
    }),
    ...reviewRoutes(deps, INSPECTION, {
      base: '/api/v1/inspections',
      tag: 'inspections',
      params: IdParams,
      view: InspectionView,
      approve: inspectionApproveUpdate,
      return: inspectionReturnUpdate,
      shows: 'status, progress (collectors done/total), findings, incidents opened, the report',
    }),
  ];
}
