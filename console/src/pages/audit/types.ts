import type { Json, Query } from '../../api/types';

/** The audit API's shapes the audit pages use, read off the generated document (never written by hand). */
export type WorkflowQuery = Query<'getAuditWorkflows'>;
export type WorkflowPage = Json<'getAuditWorkflows'>;
export type ArchivedWorkflow = WorkflowPage['items'][number];
export type LogQuery = Query<'getAuditLog'>;
export type LogPage = Json<'getAuditLog'>;
export type LogEntry = LogPage['items'][number];
export type ChainVerdict = Json<'getAuditVerify'>;
export type Timeline = Json<'getAuditWorkflowsByWorkflowIdTimeline'>;
export type HistoryExport = Json<'postAuditWorkflowsByWorkflowIdExport', 201>;
export type SlaProof = Json<'getAuditIncidentsByIdSla'>;
export type ProvenClock = SlaProof['recomputed']['response'];
