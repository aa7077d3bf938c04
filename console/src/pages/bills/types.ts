import { everyOf, type Body, type Json, type Query } from '../../api/types';

/** The bill pages' names for the API's shapes, read off the generated document (never written by hand). */
export type BillList = Json<'getBills'>;
export type BillQuery = Query<'getBills'>;
export type Bill = Json<'getBillsById'>;
export type BillStatus = Bill['status'];
export type Dispute = Bill['disputes'][number];
export type FindingList = Json<'getBillsByIdFindings'>;
export type Finding = FindingList['items'][number];
export type FindingKind = Finding['kind'];
export type ApproveBody = Body<'postBillsByIdApprove'>;
export type DisputeBody = Body<'postBillsByIdDispute'>;
export type SettleBody = Body<'postBillsByIdSettle'>;
export type PayBody = Body<'postBillsByIdPay'>;

/** Every status and finding kind, in the order the API lists them (checked against the document's enums). */
export const BILL_STATUSES = everyOf<BillStatus>()(['RECONCILING', 'AWAITING_REVIEW', 'APPROVED', 'PAID', 'WITHDRAWN', 'FAILED']);

export const FINDING_KINDS = everyOf<FindingKind>()([
  'unknown-number',
  'missing-from-bill',
  'charged-after-termination',
  'base-fee-mismatch',
  'usage-spike',
  'duplicate-number',
]);

/** The statuses each action is offered from (domain/billing/contracts.ts BILL_ACTIONS decides; the server refuses the rest). */
export const OFFERED_FROM = {
  approve: ['AWAITING_REVIEW'],
  dispute: ['AWAITING_REVIEW', 'APPROVED'],
  settle: ['AWAITING_REVIEW', 'APPROVED', 'PAID'],
  pay: ['APPROVED'],
} as const satisfies Record<string, readonly BillStatus[]>;

/** Money the carrier owes back if the finding holds (domain's isRecoverable): only those can be disputed. */
export const isRecoverable = (f: Pick<Finding, 'kind' | 'amountAtStake'>) => f.kind !== 'missing-from-bill' && f.amountAtStake > 0;
