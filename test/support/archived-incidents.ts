import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { sha256Hex } from '../../adapters/temporal/history-capture';
import { archiveHistory } from '../../db/histories.repo';
import { proveSla, type SlaProof } from '../../domain/audit/sla-proof';
import { testAuditSigner } from '../../runtime/embedded-worker';
import { FIXTURE_DIR } from '../replay/fixtures';

/** Closed incidents' histories from the committed replay fixtures (real histories of the real workflow), each once. */
export const FIXTURE_INCIDENTS = [
  'incident-p1-breach-reopen-autoclose',
  'incident-p2-cancelled',
  'incident-p2-rca-report-published',
  'incident-p3-escalated-closed',
  'incident-monitoring-auto-resolved',
] as const;

/** Archives them as the history archiver would, closed at `closedAt`; returns each one's SLA proof and history hash by incident id. */
export async function archiveFixtureIncidents(pool: Pool, closedAt: string): Promise<Map<string, { proof: SlaProof; sha256: string }>> {
  const archived = new Map<string, { proof: SlaProof; sha256: string }>();
  for (const name of FIXTURE_INCIDENTS) {
    const history = readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8').trim();
    const parsed = JSON.parse(history);
    const started = parsed.events[0].workflowExecutionStartedEventAttributes;
    const proof = proveSla(parsed);
    const sha256 = sha256Hex(history);
    archived.set(proof.incidentId, { proof, sha256 });
    await archiveHistory(pool, testAuditSigner(), {
      runId: started.originalExecutionRunId,
      workflowId: `incident-${proof.incidentId}`,
      workflowType: 'incidentWorkflow',
      businessKey: proof.incidentId,
      status: 'COMPLETED',
      startedAt: parsed.events[0].eventTime,
      closedAt,
      events: parsed.events.length,
      history,
      sha256,
    });
  }
  return archived;
}
