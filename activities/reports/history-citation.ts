import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { recordExport } from '../../db/histories.repo';
import { captureHistory } from '../../adapters/temporal/history-capture';
import type { HistoryCitation } from '../../reports/render-report';
import type { AuditSigner } from '../../domain/audit/seal';

/**
 * Called from a report activity: captures the calling workflow's history as it stands
 * (the report is built from that state), keeps it as an export so the citation can be
 * fetched and checked later (GET /api/v1/audit/workflows/:id/history?sha256=…), and
 * returns the citation the report prints.
 */
export async function citeWorkflowHistory({ pool, auditSigner }: { pool: Pool; auditSigner: AuditSigner }, reason: string): Promise<HistoryCitation> {
  const context = Context.current();
  const execution = context.info.workflowExecution;
  if (!execution) throw new Error('a report cites the history of the workflow that runs it; this activity runs outside any workflow');
  const { workflowId, runId } = execution;
  const { closedAt: _closedAt, ...captured } = await captureHistory(context.client, workflowId, runId);
  await recordExport(pool, auditSigner, captured, { actor: 'butler', actorRole: 'system', reason });
  return { workflowId, runId, events: captured.events, sha256: captured.sha256 };
}
