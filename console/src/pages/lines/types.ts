import { everyOf, type Body, type Json, type Query } from '../../api/types';

/** Names for the lines area's API shapes, read off the generated document (never written by hand). */
export type LineList = Json<'getLines'>;
export type Line = Json<'getLinesById'>;
export type LineQuery = Query<'getLines'>;
export type LineStatus = Line['status'];
export type InstalledItem = Line['installed'][number];
export type LineEvent = Line['history'][number];
export type Settlement = Json<'getLinesByIdTerminationSettlement'>;
export type SipCredentials = Json<'getLinesByIdSipCredentials'>;
export type ProvisionRequest = Body<'postLinesProvisioning'>;
export type BatchRequest = Body<'postLineBatches'>;
export type BatchItem = BatchRequest['lines'][number];
export type ContractRequest = Body<'postLinesByIdContract'>;
export type LineBatch = Json<'getLineBatchesById'>;

/** Every status a line can have, in the order of its life (the inventory's filter). */
export const LINE_STATUSES = everyOf<LineStatus>()([
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
]);
export const LINE_TYPES = everyOf<ProvisionRequest['lineType']>()(['extension', 'pri', 'did']);
