import type { operations } from '../../api/schema';

/** The audit API's shapes the audit pages use, read off the generated document (never written by hand). */
type Json<Op extends keyof operations, Status extends number = 200> = Status extends keyof operations[Op]['responses']
  ? operations[Op]['responses'][Status] extends { content: { 'application/json': infer T } }
    ? T
    : never
  : never;

export type WorkflowQuery = NonNullable<operations['getAuditWorkflows']['parameters']['query']>;
export type WorkflowPage = Json<'getAuditWorkflows'>;
export type ArchivedWorkflow = WorkflowPage['items'][number];
export type LogQuery = NonNullable<operations['getAuditLog']['parameters']['query']>;
export type LogPage = Json<'getAuditLog'>;
export type LogEntry = LogPage['items'][number];
export type ChainVerdict = Json<'getAuditVerify'>;
export type Timeline = Json<'getAuditWorkflowsByWorkflowIdTimeline'>;
export type HistoryExport = Json<'postAuditWorkflowsByWorkflowIdExport', 201>;
export type SlaProof = Json<'getAuditIncidentsByIdSla'>;
export type ProvenClock = SlaProof['recomputed']['response'];
