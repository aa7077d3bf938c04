import { everyOf, type Body, type Json, type Query } from '../../api/types';

/** The reviews area's names for the API's shapes, read off the generated document (never written by hand). */
export type InspectionList = Json<'getInspections'>;
export type InspectionRow = InspectionList['items'][number];
export type InspectionQuery = Query<'getInspections'>;
export type Inspection = Json<'getInspectionsById'>;
export type Finding = Inspection['findings'][number];
export type Readings = Json<'getInspectionsByIdReadings'>;
export type QsrList = Json<'getQsr'>;
export type QsrRow = QsrList['items'][number];
export type QsrQuery = Query<'getQsr'>;
export type Qsr = Json<'getQsrById'>;
export type Proposal = Qsr['proposals'][number];
export type Kpis = Json<'getKpis'>;
export type Share = Kpis['reopenRate'];
export type ReviewStatus = Inspection['status'];

export const REVIEW_STATUSES = everyOf<ReviewStatus>()(['RUNNING', 'AWAITING_REVIEW', 'DELIVERED', 'RETURNED', 'FAILED']);
export type WhatIfBody = Body<'postSlaWhatIf'>;
export type WhatIfResult = Json<'postSlaWhatIf'>;
