import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { BILL_ACTIONS, type BillAction, type BillActionRequest, type BillState } from '../../domain/billing/contracts';

/** The bill workflow's messages, declared once: one Update per action (BILL_ACTIONS), and the state query. */

export const billStateQuery = defineQuery<BillState>('state');

type BillUpdate<A extends BillAction> = ReturnType<typeof defineUpdate<BillState, [BillActionRequest<A>]>>;

export const billUpdates = Object.fromEntries(Object.keys(BILL_ACTIONS).map((action) => [action, defineUpdate<BillState, [BillActionRequest]>(action)])) as {
  [A in BillAction]: BillUpdate<A>;
};

export function billWorkflowId(billId: string): string {
  return `bill-${billId}`;
}
