import type { operations } from './schema';

/** Names for the API's shapes the console uses, read off the generated document (never written by hand). */
export type IncidentList = operations['getIncidents']['responses'][200]['content']['application/json'];
export type IncidentRow = IncidentList['items'][number];
export type IncidentQuery = NonNullable<operations['getIncidents']['parameters']['query']>;
export type Incident = operations['getIncidentsById']['responses'][200]['content']['application/json'];
export type Me = operations['getMe']['responses'][200]['content']['application/json'];
/** An operation of the API by its operationId: what /api/v1/me lists as allowed. */
export type OperationId = keyof operations;
