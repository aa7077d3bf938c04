import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import type { InspectionState } from '../../domain/inspection/contracts';

/** The inspection workflow's messages, declared once for the workflow, the API and the tests. */

export const inspectionStateQuery = defineQuery<InspectionState>('state');

/** Sent with the start (update-with-start): returns once the inspection is in the read model. */
export const inspectionStartedUpdate = defineUpdate<InspectionState>('started');

/** The SPM's review: approve (the report goes to the customer) or send back. Bodies: ApproveRequest / ReturnRequest. */
export const inspectionApproveUpdate = defineUpdate<InspectionState, [{ body: unknown; actor: Actor }]>('approve');
export const inspectionReturnUpdate = defineUpdate<InspectionState, [{ body: unknown; actor: Actor }]>('return');

export function inspectionWorkflowId(id: string): string {
  return `inspection-${id}`;
}
