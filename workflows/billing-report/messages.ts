import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import type { BillingReportState } from '../../domain/billing/billing-report';

/** The line cost analysis workflow's messages, declared once for the workflow, the API and the tests. */

export const billingReportStateQuery = defineQuery<BillingReportState>('state');

/** Sent with the start (update-with-start): returns once the report is in the read model. */
export const billingReportStartedUpdate = defineUpdate<BillingReportState>('started');

export const billingReportApproveUpdate = defineUpdate<BillingReportState, [{ body: unknown; actor: Actor }]>('approve');
export const billingReportReturnUpdate = defineUpdate<BillingReportState, [{ body: unknown; actor: Actor }]>('return');

export function billingReportWorkflowId(id: string): string {
  return `billing-report-${id}`;
}
