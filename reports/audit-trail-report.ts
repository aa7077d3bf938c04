import type { StoredHistory } from '../domain/audit/archived-history';
import type { HistoryJson } from '../domain/audit/history-json';
import { proveSla, type SlaProof } from '../domain/audit/sla-proof';
import { historyTimeline } from '../domain/audit/timeline';
import { label, type ReportLocale } from './helpers';
import type { ReportInput } from './render-report';

/**
 * The audit trail of one stored history as report data: what the history is (ids, type,
 * source, hash), every meaningful event with its time in Asia/Seoul and its actor, and for
 * an incident the SLA recomputed from that history. Dated by the history's capture, so the
 * same history always renders to the same bytes.
 */
export function auditTrailReportInput(stored: StoredHistory, locale: ReportLocale, runs: HistoryJson[] = [JSON.parse(stored.history)]): ReportInput {
  const history = runs.at(-1)!;
  let sla: Pick<SlaProof, 'matches' | 'differences' | 'explanation'> | null = null;
  if (stored.workflowType === 'incidentWorkflow') {
    // A continued incident is proven over all its runs.
    const proof = proveSla(runs);
    sla = { matches: proof.matches, differences: proof.differences, explanation: proof.explanation };
  }
  return {
    template: 'audit-trail/report',
    locale,
    documentDate: new Date(stored.capturedAt),
    title: `${label('auditTrail', locale)} ${stored.workflowId}`,
    sourceHistory: { workflowId: stored.workflowId, runId: stored.runId, events: stored.events, sha256: stored.sha256 },
    data: {
      workflow: {
        workflowId: stored.workflowId,
        workflowType: stored.workflowType,
        runId: stored.runId,
        status: stored.status,
        source: `trailSource_${stored.source}`,
        capturedAt: stored.capturedAt,
        events: stored.events,
        sha256: stored.sha256,
      },
      sla,
      lines: historyTimeline(history),
    },
  };
}
