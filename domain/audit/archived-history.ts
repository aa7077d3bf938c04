/**
 * A workflow run's history as Butler files it: the shapes the archive and the exports keep
 * (db/histories.repo.ts), the capture produces (adapters/temporal/history-capture.ts) and the
 * API and the audit-trail report read.
 */

export interface ArchivedHistory {
  runId: string;
  workflowId: string;
  workflowType: string;
  businessKey: string | null;
  /** Temporal's execution status name: COMPLETED, FAILED, … (RUNNING for an export). */
  status: string;
  startedAt: string;
  closedAt: string;
  events: number;
  /** The history as the CLI/UI export it, keys sorted (JSON text, exactly as hashed). */
  history: string;
  sha256: string;
}

export interface StoredHistory {
  /** Where it was read: the archive of a closed run, or an on-demand export. */
  source: 'archive' | 'export';
  runId: string;
  workflowId: string;
  workflowType: string;
  status: string;
  events: number;
  sha256: string;
  /** When it was taken: the run's close for an archive, the export's time otherwise. */
  capturedAt: string;
  history: string;
}
