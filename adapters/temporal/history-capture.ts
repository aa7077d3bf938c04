import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { ArchivedHistory } from '../../domain/audit/archived-history';
import { canonicalJson } from '../../domain/audit/chain';

/**
 * One run's full event history as the Temporal CLI and UI export it, with what an
 * auditor files it under. The archiver captures closed runs; an export or a report
 * captures a running one as it stands.
 */

/** As the archive keeps it, but a running run has no close yet. */
export type CapturedHistory = Omit<ArchivedHistory, 'closedAt'> & { closedAt: string | null };

const BUSINESS_KEY = /\b(INC|LN|CHG|INS|QSR)-\d+\b/;

export function businessKeyOf(workflowId: string): string | null {
  return BUSINESS_KEY.exec(workflowId)?.[0] ?? null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Throws the client's WorkflowNotFoundError when Temporal does not know the workflow (or its retention removed it). */
export async function captureHistory(client: Client, workflowId: string, runId?: string): Promise<CapturedHistory> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const described = await handle.describe();
  const history = await client.workflow.getHandle(workflowId, described.runId).fetchHistory();
  // The server writes map fields (e.g. a marker's details) in no fixed order; sorted keys make
  // the same events the same text, so the hash names the history, not one serialisation of it.
  const json = canonicalJson(JSON.parse(historyToJSON(history)));
  return {
    runId: described.runId,
    workflowId,
    workflowType: described.type,
    businessKey: businessKeyOf(workflowId),
    status: described.status.name,
    startedAt: described.startTime.toISOString(),
    closedAt: described.closeTime?.toISOString() ?? null,
    events: history.events?.length ?? 0,
    history: json,
    sha256: sha256Hex(json),
  };
}
