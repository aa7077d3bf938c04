import type { operations } from '../../api/schema';

/** Names for the lines area's API shapes, read off the generated document (never written by hand). */
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type LineList = Json<operations['getLines']['responses'][200]>;
export type Line = Json<operations['getLinesById']['responses'][200]>;
export type LineQuery = NonNullable<operations['getLines']['parameters']['query']>;
export type LineStatus = Line['status'];
export type InstalledItem = Line['installed'][number];
export type LineEvent = Line['history'][number];
export type Settlement = Json<operations['getLinesByIdTerminationSettlement']['responses'][200]>;
export type SipCredentials = Json<operations['getLinesByIdSipCredentials']['responses'][200]>;
export type ProvisionRequest = NonNullable<operations['postLinesProvisioning']['requestBody']>['content']['application/json'];
export type BatchRequest = NonNullable<operations['postLineBatches']['requestBody']>['content']['application/json'];
export type BatchItem = BatchRequest['lines'][number];
export type ContractRequest = NonNullable<operations['postLinesByIdContract']['requestBody']>['content']['application/json'];
export type LineBatch = Json<operations['getLineBatchesById']['responses'][200]>;

/** Every status a line can have, in the order of its life (the inventory's filter). */
export const LINE_STATUSES: readonly LineStatus[] = [
  'PENDING_CONTRACT',
  'INSTALLING',
  'ACCEPTANCE',
  'ACTIVE',
  'FAILED',
  'TERMINATION_SCHEDULED',
  'TERMINATING',
  'TERMINATION_FAILED',
  'TERMINATED',
  'CANCELLED',
];
export const LINE_TYPES: readonly ProvisionRequest['lineType'][] = ['extension', 'pri', 'did'];
