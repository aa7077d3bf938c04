import { idForRequest } from '../db/idempotency.repo';
import { findInspection, inspectionsInFlight, listInspections, nextInspectionId, readingsOf, readingsSummary } from '../db/inspections.repo';
import { NotFoundError } from '../domain/errors';
import type { Actor } from '../domain/actor';
import type { InspectionRequest, InspectionState, InspectionWorkflowInput } from '../domain/inspection/contracts';
import { inspectionStartedUpdate, inspectionWorkflowId } from '../workflows/inspection/messages';
import { refuseInFlight, startReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';

/** The monthly inspection between HTTP and Temporal: what the routes call. */

export const INSPECTION: ReviewedKind<InspectionState> = {
  noun: 'inspection',
  workflowType: 'inspectionWorkflow',
  workflowId: inspectionWorkflowId,
  started: inspectionStartedUpdate,
  read: findInspection,
};

/** Runs the inspection of a month now; an Idempotency-Key makes a retry return the same run. */
export async function startInspection(deps: ReviewServiceDeps, body: InspectionRequest, actor: Actor, idempotencyKey: string | undefined) {
  // Refused before the Idempotency-Key is stored: a 409 keeps nothing (a retry is judged afresh).
  const { id } = await idForRequest(deps.pool, 'inspection', body, idempotencyKey, async () => {
    refuseInFlight('inspection', body.period, await inspectionsInFlight(deps.pool, body.period, body.centers));
    return nextInspectionId(deps.pool);
  });
  const input: InspectionWorkflowInput = { id, period: body.period, centers: body.centers, requestedBy: actor };
  return startReviewed(deps, INSPECTION, id, input);
}

/** Inspections newest first, each with its number of findings instead of the findings. */
export async function listInspectionSummaries(deps: ReviewServiceDeps, query: Parameters<typeof listInspections>[1]) {
  const { items, total } = await listInspections(deps.pool, query);
  return { items: items.map(({ findings, ...rest }) => ({ ...rest, findings: findings.length })), total };
}

/**
 * What an inspection's collectors read, a page at a time (10,000 devices make about 53,000 readings),
 * each reading with who measured it; `simulated` says whether any reading of the whole inspection came from a stand-in.
 */
export async function inspectionReadings(deps: ReviewServiceDeps, id: string, page: { limit: number; offset: number }) {
  if (!(await findInspection(deps.pool, id))) throw new NotFoundError('inspection', id);
  const [items, summary] = await Promise.all([readingsOf(deps.pool, id, page), readingsSummary(deps.pool, id)]);
  return { items, ...summary };
}
