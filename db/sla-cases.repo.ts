import type { Pool } from 'pg';
import { runLinks, type HistoryJson } from '../domain/audit/history-json';
import { readIncidentClockCase, SlaProofError } from '../domain/audit/sla-proof';
import type { WhatIfCase } from '../domain/sla/what-if';
import { withEarlierRuns } from './histories.repo';

/** Closed incidents' clock cases (sla_cases), read once from their archived histories; what the SLA what-if judges again. */

export interface ClosedIncidentRun {
  runId: string;
  incidentId: string;
  closedAt: string;
}

/** The last runs of incidents whose workflow completed in [from, to): the incidents closed (or cancelled) then. */
export async function closedIncidentRuns(pool: Pool, from: string, to: string): Promise<ClosedIncidentRun[]> {
  const { rows } = await pool.query<{ run_id: string; business_key: string | null; workflow_id: string; closed_at: Date }>(
    `SELECT run_id, business_key, workflow_id, closed_at FROM workflow_histories
      WHERE workflow_type = 'incidentWorkflow' AND status = 'COMPLETED' AND closed_at >= $1 AND closed_at < $2
      ORDER BY closed_at, run_id`,
    [from, to],
  );
  return rows.map((r) => ({ runId: r.run_id, incidentId: r.business_key ?? r.workflow_id, closedAt: r.closed_at.toISOString() }));
}

/** The cases already read, by last run id. */
export async function slaCasesOf(pool: Pool, runIds: readonly string[]): Promise<Map<string, WhatIfCase>> {
  const { rows } = await pool.query<{ last_run_id: string; sla_case: WhatIfCase }>('SELECT last_run_id, sla_case FROM sla_cases WHERE last_run_id = ANY($1)', [
    runIds,
  ]);
  return new Map(rows.map((r) => [r.last_run_id, r.sla_case]));
}

export async function saveSlaCase(pool: Pool, c: { lastRunId: string; closedAt: string; historySha256: string[]; case: WhatIfCase }): Promise<void> {
  await pool.query(
    `INSERT INTO sla_cases (last_run_id, incident_id, closed_at, history_sha256, title, sla_case) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (last_run_id) DO NOTHING`,
    [c.lastRunId, c.case.incidentId, c.closedAt, c.historySha256, c.case.title, JSON.stringify(c.case)],
  );
}

/** The archived history of one run, as text (a history is parsed only when its case is missing). */
export async function runHistoryText(pool: Pool, runId: string): Promise<{ history: string; sha256: string } | undefined> {
  const { rows } = await pool.query<{ history: string; sha256: string }>('SELECT history::text AS history, sha256 FROM workflow_histories WHERE run_id = $1', [
    runId,
  ]);
  return rows[0];
}

/** An incident the what-if could not judge again, and why (its history does not read as an incident's). */
export interface SkippedCase {
  incidentId: string;
  reason: string;
}

/**
 * The clock cases of the incidents closed in [from, to): those already read, and the rest read now
 * from their archived histories (every run of a continued incident) and kept for the next time.
 */
export async function closedIncidentCases(pool: Pool, from: string, to: string): Promise<{ cases: WhatIfCase[]; skipped: SkippedCase[] }> {
  const runs = await closedIncidentRuns(pool, from, to);
  const known = await slaCasesOf(
    pool,
    runs.map((r) => r.runId),
  );
  const cases: WhatIfCase[] = [];
  const skipped: SkippedCase[] = [];
  for (const run of runs) {
    const ready = known.get(run.runId);
    if (ready) {
      cases.push(ready);
      continue;
    }
    try {
      cases.push(await readSlaCase(pool, run));
    } catch (err) {
      if (!(err instanceof SlaProofError)) throw err;
      skipped.push({ incidentId: run.incidentId, reason: err.message });
    }
  }
  return { cases, skipped };
}

/** Reads one closed incident's case from its archived runs and keeps it. */
export async function readSlaCase(pool: Pool, run: ClosedIncidentRun): Promise<WhatIfCase> {
  const last = await runHistoryText(pool, run.runId);
  if (!last) throw new SlaProofError(`run ${run.runId} is not archived`);
  const runs = await withEarlierRuns(pool, JSON.parse(last.history) as HistoryJson);
  const read = readIncidentClockCase(runs);
  const c: WhatIfCase = {
    incidentId: read.input.id,
    title: read.input.title,
    sla: read.input.sla,
    events: read.events.map(({ type, at, reason }) => ({ type, at, ...(reason ? { reason } : {}) })),
    asOf: read.asOf,
  };
  // Which archived histories it was read from, as stored (sha256 of each run, oldest first).
  const ids = runs.map((h) => runLinks(h).runId ?? '');
  const { rows } = await pool.query<{ run_id: string; sha256: string }>('SELECT run_id, sha256 FROM workflow_histories WHERE run_id = ANY($1)', [ids]);
  const sha = new Map(rows.map((r) => [r.run_id, r.sha256]));
  await saveSlaCase(pool, { lastRunId: run.runId, closedAt: run.closedAt, historySha256: ids.map((id) => sha.get(id) ?? ''), case: c });
  return c;
}
