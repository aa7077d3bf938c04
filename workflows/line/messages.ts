import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import { RECORD_CONTRACT_UPDATE, type LineBatchState } from '../../domain/line/batch';
import type {
  CancelProvisioningRequest,
  ContractRequest,
  EquipmentReturnedRequest,
  LineState,
  TerminationCancelRequest,
  TerminationRetryRequest,
} from '../../domain/line/contracts';

/**
 * The line workflows' messages, declared once: the workflows set their
 * handlers, the API and the tests send them.
 */

/** Both line workflows answer it with the line as they hold it. */
export const lineStateQuery = defineQuery<LineState>('state');

/**
 * Sent with the start (update-with-start): returns once the line is in the
 * inventory as the workflow holds it, so the API's 201 shows the real state.
 */
export const lineRequestedUpdate = defineUpdate<LineState>('requested');
export const terminationRequestedUpdate = defineUpdate<LineState>('terminationRequested');

/** The carrier contract was signed (provisioning, while PENDING_CONTRACT). */
export const recordContractUpdate = defineUpdate<LineState, [{ body: ContractRequest; actor: Actor }]>(RECORD_CONTRACT_UPDATE);

/** The provisioning is called off before the contract (provisioning, while PENDING_CONTRACT): CANCELLED. */
export const cancelProvisioningUpdate = defineUpdate<LineState, [{ body: CancelProvisioningRequest; actor: Actor }]>('cancel');

/** The customer returned the equipment (termination, while it waits for it). */
export const equipmentReturnedUpdate = defineUpdate<LineState, [{ body: EquipmentReturnedRequest; actor: Actor }]>('equipmentReturned');

/** Withdraws a termination still waiting for its effective date (TERMINATION_SCHEDULED → ACTIVE). */
export const cancelTerminationUpdate = defineUpdate<LineState, [{ body: TerminationCancelRequest; actor: Actor }]>('cancelTermination');

/** Reconciles and removes again what a failed termination left (TERMINATION_FAILED → TERMINATING). */
export const retryTerminationUpdate = defineUpdate<LineState, [{ body: TerminationRetryRequest; actor: Actor }]>('retryTermination');

/** The workflow ids of a line's provisioning and of its termination. */
export function lineWorkflowId(lineId: string): string {
  return `line-${lineId}`;
}

export function lineTerminationWorkflowId(lineId: string): string {
  return `line-${lineId}-termination`;
}

/** A batch of lines (batch.ts) answers it with the batch as it holds it. */
export const lineBatchStateQuery = defineQuery<LineBatchState>('batchState');

/** Sent with the batch's start (update-with-start): returns once the batch is in the read model. */
export const lineBatchRequestedUpdate = defineUpdate<LineBatchState>('batchRequested');

/** One carrier contract for the batch: recorded on the batch, then on every line of it still waiting for one. */
export const recordBatchContractUpdate = defineUpdate<LineBatchState, [{ body: ContractRequest; actor: Actor }]>('recordBatchContract');

export function lineBatchWorkflowId(batchId: string): string {
  return `line-batch-${batchId}`;
}
