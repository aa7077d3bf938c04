import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import type { QsrState } from '../../domain/qsr/contracts';

/** The QSR workflow's messages, declared once for the workflow, the API and the tests. */

export const qsrStateQuery = defineQuery<QsrState>('state');

/** Sent with the start (update-with-start): returns once the review is in the read model. */
export const qsrStartedUpdate = defineUpdate<QsrState>('started');

/** The SPM's improvement proposals (replacing earlier ones); the report is rendered again with them. Body: ProposalsRequest. */
export const qsrProposalsUpdate = defineUpdate<QsrState, [{ body: unknown; actor: Actor }]>('proposals');

export const qsrApproveUpdate = defineUpdate<QsrState, [{ body: unknown; actor: Actor }]>('approve');
export const qsrReturnUpdate = defineUpdate<QsrState, [{ body: unknown; actor: Actor }]>('return');

export function qsrWorkflowId(id: string): string {
  return `qsr-${id}`;
}
