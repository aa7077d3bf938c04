import type { operations } from '../../api/schema';

/** The incident pages' names for the API's shapes, read off the generated document. */
type Body<O extends keyof operations> = NonNullable<operations[O]['requestBody']> extends { content: { 'application/json': infer B } } ? B : never;

export type IncidentAction = operations['getIncidentsById']['responses'][200]['content']['application/json']['actions'][number];
export type Transition = Exclude<IncidentAction, 'rca' | 'publishReport' | 'notes'>;
export type OpenIncidentBody = Body<'postIncidents'>;
export type PendReason = Body<'postIncidentsByIdPend'>['reason'];
export type RcaBody = Body<'postIncidentsByIdRca'>;
export type ReportLocale = NonNullable<Body<'postIncidentsByIdReportPublish'>['locale']>;
export type SimilarIncident = operations['getIncidentsByIdSimilar']['responses'][200]['content']['application/json']['items'][number];
