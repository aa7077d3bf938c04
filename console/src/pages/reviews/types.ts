import type { operations } from '../../api/schema';

/** The reviews area's names for the API's shapes, read off the generated document (never written by hand). */
type Json<O extends keyof operations, S extends keyof operations[O]['responses']> = operations[O]['responses'][S] extends {
  content: { 'application/json': infer T };
}
  ? T
  : never;

export type InspectionList = Json<'getInspections', 200>;
export type InspectionRow = InspectionList['items'][number];
export type InspectionQuery = NonNullable<operations['getInspections']['parameters']['query']>;
export type Inspection = Json<'getInspectionsById', 200>;
export type Finding = Inspection['findings'][number];
export type Readings = Json<'getInspectionsByIdReadings', 200>;
export type QsrList = Json<'getQsr', 200>;
export type QsrRow = QsrList['items'][number];
export type QsrQuery = NonNullable<operations['getQsr']['parameters']['query']>;
export type Qsr = Json<'getQsrById', 200>;
export type Proposal = Qsr['proposals'][number];
export type Kpis = Json<'getKpis', 200>;
export type Share = Kpis['reopenRate'];
export type ReviewStatus = Inspection['status'];

export const REVIEW_STATUSES = ['RUNNING', 'AWAITING_REVIEW', 'DELIVERED', 'RETURNED', 'FAILED'] as const satisfies readonly ReviewStatus[];
