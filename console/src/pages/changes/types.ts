import { everyOf, type Body, type Json, type Query } from '../../api/types';

/** The change pages' names for the API's shapes, read off the generated document (never written by hand). */
export type ChangeList = Json<'getChanges'>;
export type ChangeQuery = Query<'getChanges'>;
export type Change = Json<'getChangesById'>;
export type ChangeStatus = Change['status'];
export type ChangeType = Change['type'];
export type Approver = Change['requiredApprovals'][number];
export type RetroStatus = NonNullable<Change['retroApproval']>['status'];
export type ChangeRequest = Body<'postChanges'>;
export type ApproveBody = Body<'postChangesByIdApprove'>;

/** Every status and type, in the order the API lists them (checked against the document's enums). */
export const CHANGE_STATUSES = everyOf<ChangeStatus>()([
  'PENDING_APPROVAL',
  'SCHEDULED',
  'APPLYING',
  'VERIFYING',
  'COMPLETED',
  'FAILED',
  'ROLLED_BACK',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
]);

export const CHANGE_TYPES = everyOf<ChangeType>()([
  'dn-change',
  'ip-change',
  'dialplan',
  'trunk',
  'cti-team-add',
  'cti-team-remove',
  'skillset',
  'agent-account',
  'ivr-holidays',
  'rec-account',
  'line-plan',
  'trunk-channels',
]);
