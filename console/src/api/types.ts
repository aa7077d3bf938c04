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

/**
 * Every value of one of the API's string unions, as the list a form or a filter offers: a value the
 * document gains and the list lacks fails the type check and is named there (`missing`), so no
 * status added to the API is silently absent from the console.
 */
export const everyOf =
  <T extends string>() =>
  <const L extends readonly T[]>(values: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L =>
    values;

export type IncidentList = Json<'getIncidents'>;
export type IncidentRow = IncidentList['items'][number];
export type IncidentQuery = Query<'getIncidents'>;
export type Incident = Json<'getIncidentsById'>;
export type Me = Json<'getMe'>;
/** An operation of the API by its operationId: what /api/v1/me lists as allowed. */
export type OperationId = keyof operations;
