import type { Body, Json } from '../../api/types';

/** The incident pages' names for the API's shapes, read off the generated document. */
export type IncidentAction = Json<'getIncidentsById'>['actions'][number];
export type Transition = Exclude<IncidentAction, 'rca' | 'publishReport' | 'notes'>;
export type OpenIncidentBody = Body<'postIncidents'>;
export type PendReason = Body<'postIncidentsByIdPend'>['reason'];
export type RcaBody = Body<'postIncidentsByIdRca'>;
export type ReportLocale = NonNullable<Body<'postIncidentsByIdReportPublish'>['locale']>;
export type SimilarIncident = Json<'getIncidentsByIdSimilar'>['items'][number];
