import { idForRequest } from '../db/idempotency.repo';
import { billingReportsInFlight, findBillingReport, listBillingReports, nextBillingReportId } from '../db/billing-reports.repo';
import type { Actor } from '../domain/actor';
import type { BillingReportRequest, BillingReportState, BillingReportWorkflowInput } from '../domain/billing/billing-report';
import { billingReportStartedUpdate, billingReportWorkflowId } from '../workflows/billing-report/messages';
import { refuseInFlight, startReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';

/** The monthly line cost analysis between HTTP and Temporal: what the routes call. */

export const BILLING_REPORT: ReviewedKind<BillingReportState> = {
  noun: 'billing report',
  workflowType: 'billingReportWorkflow',
  workflowId: billingReportWorkflowId,
  started: billingReportStartedUpdate,
  read: findBillingReport,
};

/** Prepares the line cost analysis of a month now; an Idempotency-Key makes a retry return the same run. */
export async function startBillingReport(deps: ReviewServiceDeps, body: BillingReportRequest, actor: Actor, idempotencyKey: string | undefined) {
  // Refused before the Idempotency-Key is stored: a 409 keeps nothing (a retry is judged afresh).
  const { id } = await idForRequest(deps.pool, 'billing-report', body, idempotencyKey, async () => {
    refuseInFlight('billing report', body.month, await billingReportsInFlight(deps.pool, body.month));
    return nextBillingReportId(deps.pool);
  });
  const input: BillingReportWorkflowInput = { id, month: body.month, locale: body.locale, requestedBy: actor };
  return startReviewed(deps, BILLING_REPORT, id, input);
}

export async function listBillingReportStates(deps: ReviewServiceDeps, query: Parameters<typeof listBillingReports>[1]) {
  return listBillingReports(deps.pool, query);
}
