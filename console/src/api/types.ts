import type { operations } from './schema';

/** Names for the API's shapes the console uses, read off the generated document (never written by hand). */

/** The JSON an operation answers with, by its operationId (and status: 200 unless named). */
export type Json<Op extends keyof operations, Status extends number = 200> = Status extends keyof operations[Op]['responses']
  ? operations[Op]['responses'][Status] extends { content: { 'application/json': infer T } }
    ? T
    : never
  : never;
/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = NonNullable<operations[Op]['requestBody']> extends { content: { 'application/json': infer B } } ? B : never;
/** The query parameters an operation takes. */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

export type IncidentList = Json<'getIncidents'>;
export type IncidentRow = IncidentList['items'][number];
export type IncidentQuery = Query<'getIncidents'>;
export type Incident = Json<'getIncidentsById'>;
export type Me = Json<'getMe'>;
/** An operation of the API by its operationId: what /api/v1/me lists as allowed. */
export type OperationId = keyof operations;
