import type { Pool } from 'pg';
import { runLinks, type HistoryJson } from '../domain/audit/history-json';
import { sealHolds, type AuditSigner } from '../domain/audit/seal';
import { CASE_READER, caseDigest, readWhatIfCase, WhatIfCase, type CaseReading } from '../domain/sla/what-if-case';
import { withEarlierRuns } from './histories.repo';

/**
 * Closed incidents' clock cases (sla_cases): read from their archived histories and kept, sealed with
 * the audit key, so judging ten thousand incidents again does not re-read ten thousand histories. A
 * kept case is used only while its seal holds, its reader is the current one and its last history
 * is still the archived one; otherwise it is read again. Derived, not evidence.
 */

export interface ClosedIncidentRun {
  runId: string;
  incidentId: string;
  closedAt: string;
  status: string;
  sha256: string;
}

/** An incident the what-if could not judge again, and why. */
export interface SkippedCase {
  incidentId: string;
  reason: string;
}

/** The last runs of incidents whose workflow ended in [from, to) (earlier runs of a continued incident are not last runs). */
export async function closedIncidentRuns(pool: Pool, from: string, to: string): Promise<ClosedIncidentRun[]> {
  const { rows } = await pool.query<{ run_id: string; business_key: string | null; workflow_id: string; closed_at: Date; status: string; sha256: string }>(
    `SELECT run_id, business_key, workflow_id, closed_at, status, sha256 FROM workflow_histories
      WHERE workflow_type = 'incidentWorkflow' AND status <> 'CONTINUED_AS_NEW' AND closed_at >= $1 AND closed_at < $2
      ORDER BY closed_at, run_id`,
    [from, to],
  );
  return rows.map((r) => ({
    runId: r.run_id,
    incidentId: r.business_key ?? r.workflow_id,
    closedAt: r.closed_at.toISOString(),
    status: r.status,
    sha256: r.sha256,
  }));
}

/** The kept cases that can still be trusted, by last run id. */
async function trustedCases(pool: Pool, signer: AuditSigner, runs: readonly ClosedIncidentRun[]): Promise<Map<string, WhatIfCase>> {
  const { rows } = await pool.query<{ last_run_id: string; sla_case: unknown; history_sha256: string[]; reader: number; seal: string }>(
    'SELECT last_run_id, sla_case, history_sha256, reader, seal FROM sla_cases WHERE last_run_id = ANY($1)',
    [runs.map((r) => r.runId)],
  );
  const archived = new Map(runs.map((r) => [r.runId, r.sha256]));
  const trusted = new Map<string, WhatIfCase>();
  for (const row of rows) {
    const parsed = WhatIfCase.safeParse(row.sla_case);
    if (!parsed.success || row.reader !== CASE_READER || row.history_sha256.at(-1) !== archived.get(row.last_run_id)) continue;
    if (!sealHolds(signer.publicKey, caseDigest(parsed.data, row.history_sha256), row.seal)) continue;
    trusted.set(row.last_run_id, parsed.data);
  }
  return trusted;
}

const BATCH = 100;

/**
 * The cases of the incidents closed in [from, to): those kept and still trusted, the rest read now from
 * their archived histories (a hundred at a time; every run of a continued incident) and kept. An
 * incident that cannot be judged again is listed with why, never silently left out.
 */
export async function closedIncidentCases(pool: Pool, signer: AuditSigner, from: string, to: string): Promise<{ cases: WhatIfCase[]; skipped: SkippedCase[] }> {
  const runs = await closedIncidentRuns(pool, from, to);
  const skipped: SkippedCase[] = runs
    .filter((r) => r.status !== 'COMPLETED')
    .map((r) => ({ incidentId: r.incidentId, reason: `its workflow ended ${r.status}, not closed or cancelled` }));
  const completed = runs.filter((r) => r.status === 'COMPLETED');
  const kept = await trustedCases(pool, signer, completed);
  const missing = completed.filter((r) => !kept.has(r.runId));
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const readings = await readCases(pool, batch);
    await keepCases(pool, signer, readings);
    for (const { run, reading } of readings) {
      if ('case' in reading) kept.set(run.runId, reading.case);
      else skipped.push({ incidentId: run.incidentId, reason: reading.skipped });
    }
  }
  return { cases: completed.flatMap((r) => kept.get(r.runId) ?? []), skipped };
}

interface Reading {
  run: ClosedIncidentRun;
  reading: CaseReading;
  historySha256: string[];
}

async function readCases(pool: Pool, runs: readonly ClosedIncidentRun[]): Promise<Reading[]> {
  const { rows } = await pool.query<{ run_id: string; history: string }>(
    'SELECT run_id, history::text AS history FROM workflow_histories WHERE run_id = ANY($1)',
    [runs.map((r) => r.runId)],
  );
  const texts = new Map(rows.map((r) => [r.run_id, r.history]));
  const readings: Reading[] = [];
  for (const run of runs) {
    const last = JSON.parse(texts.get(run.runId)!) as HistoryJson;
    const histories = runLinks(last).continues ? await withEarlierRuns(pool, last) : [last];
    readings.push({ run, reading: readWhatIfCase(histories), historySha256: await shaOfRuns(pool, histories, run) });
  }
  return readings;
}

/** The archived sha256 of each run, oldest first. */
async function shaOfRuns(pool: Pool, histories: readonly HistoryJson[], last: ClosedIncidentRun): Promise<string[]> {
  if (histories.length === 1) return [last.sha256];
  const ids = histories.map((h) => runLinks(h).runId ?? '');
  const { rows } = await pool.query<{ run_id: string; sha256: string }>('SELECT run_id, sha256 FROM workflow_histories WHERE run_id = ANY($1)', [ids]);
  const sha = new Map(rows.map((r) => [r.run_id, r.sha256]));
  return ids.map((id) => sha.get(id) ?? '');
}

/** Keeps the cases read (one statement for the batch), sealed; a case read again replaces the one before. */
async function keepCases(pool: Pool, signer: AuditSigner, readings: readonly Reading[]): Promise<void> {
  const good = readings.flatMap((r) => ('case' in r.reading ? [{ ...r, case: r.reading.case }] : []));
  if (good.length === 0) return;
  await pool.query(
    `INSERT INTO sla_cases (last_run_id, incident_id, closed_at, history_sha256, title, sla_case, reader, seal)
     SELECT t.last_run_id, t.incident_id, t.closed_at, string_to_array(t.history, ','), t.title, t.sla_case, t.reader, t.seal
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[], $7::int[], $8::text[])
         AS t(last_run_id, incident_id, closed_at, history, title, sla_case, reader, seal)
     ON CONFLICT (last_run_id) DO UPDATE SET history_sha256 = EXCLUDED.history_sha256, title = EXCLUDED.title,
       sla_case = EXCLUDED.sla_case, reader = EXCLUDED.reader, seal = EXCLUDED.seal`,
    [
      good.map((g) => g.run.runId),
      good.map((g) => g.case.incidentId),
      good.map((g) => g.run.closedAt),
      good.map((g) => g.historySha256.join(',')),
      good.map((g) => g.case.title),
      good.map((g) => JSON.stringify(g.case)),
      good.map(() => CASE_READER),
      good.map((g) => signer.seal(caseDigest(g.case, g.historySha256))),
    ],
  );
}

/** Reads and keeps one closed incident's case (the history archiver, as it archives it); undefined when it cannot be judged again. */
export async function readSlaCase(pool: Pool, signer: AuditSigner, run: ClosedIncidentRun): Promise<WhatIfCase | undefined> {
  const readings = await readCases(pool, [run]);
  await keepCases(pool, signer, readings);
  const reading = readings[0]!.reading;
  return 'case' in reading ? reading.case : undefined;
}
