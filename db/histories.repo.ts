import type { Pool } from 'pg';
import type { ArchivedHistory, StoredHistory } from '../domain/audit/archived-history';
import { runLinks, type HistoryJson } from '../domain/audit/history-json';
import { appendAuditIn } from './audit.repo';
import type { AuditSigner } from '../domain/audit/seal';
import { inTransaction } from '../system/postgres';

/** Archived workflow histories; each archive is also an entry of the audit chain, written in the same transaction. */

/** Archives a run once: a second call for the same run changes nothing and returns false. */
export async function archiveHistory(pool: Pool, signer: AuditSigner, h: ArchivedHistory): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const { rowCount } = await db.query(
      `INSERT INTO workflow_histories (run_id, workflow_id, workflow_type, business_key, status, started_at, closed_at, events, history, sha256)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (run_id) DO NOTHING`,
      [h.runId, h.workflowId, h.workflowType, h.businessKey, h.status, h.startedAt, h.closedAt, h.events, h.history, h.sha256],
    );
    if (!rowCount) return false;
    await appendAuditIn(db, signer, {
      actor: 'butler',
      actorRole: 'system',
      action: 'archive-history',
      subject: h.workflowId,
      requestId: null,
      remote: null,
      details: { runId: h.runId, workflowType: h.workflowType, businessKey: h.businessKey, status: h.status, events: h.events, sha256: h.sha256 },
    });
    return true;
  });
}

export async function isArchived(pool: Pool, runId: string): Promise<boolean> {
  const { rows } = await pool.query(`SELECT 1 FROM workflow_histories WHERE run_id = $1`, [runId]);
  return rows.length > 0;
}

export async function archivedHistory(pool: Pool, workflowId: string): Promise<(Omit<ArchivedHistory, 'history'> & { history: string }) | undefined> {
  const { rows } = await pool.query<ArchivedRow & { history: string }>(
    `SELECT run_id, workflow_id, workflow_type, business_key, status, started_at, closed_at, events, history::text AS history, sha256
        FROM workflow_histories WHERE workflow_id = $1 ORDER BY closed_at DESC LIMIT 1`,
    [workflowId],
  );
  const r = rows[0];
  return r && { ...archivedOf(r), history: r.history };
}

export async function listArchived(
  pool: Pool,
  f: { type?: string; status?: string; key?: string; from?: string; to?: string; limit: number; offset: number },
): Promise<{ items: Array<Omit<ArchivedHistory, 'history'>>; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.type) where.push(`workflow_type = $${params.push(f.type)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  if (f.key) where.push(`business_key = $${params.push(f.key)}`);
  if (f.from) where.push(`closed_at >= $${params.push(f.from)}`);
  if (f.to) where.push(`closed_at < $${params.push(f.to)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [page, count] = await Promise.all([
    pool.query<ArchivedRow>(
      `SELECT run_id, workflow_id, workflow_type, business_key, status, started_at, closed_at, events, sha256
         FROM workflow_histories ${clause} ORDER BY closed_at DESC, run_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, f.offset],
    ),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_histories ${clause}`, params),
  ]);
  return { items: page.rows.map(archivedOf), total: count.rows[0]!.n };
}

type ArchivedRow = {
  run_id: string;
  workflow_id: string;
  workflow_type: string;
  business_key: string | null;
  status: string;
  started_at: Date;
  closed_at: Date;
  events: number;
  sha256: string;
};

function archivedOf(r: ArchivedRow): Omit<ArchivedHistory, 'history'> {
  return {
    runId: r.run_id,
    workflowId: r.workflow_id,
    workflowType: r.workflow_type,
    businessKey: r.business_key,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    closedAt: r.closed_at.toISOString(),
    events: r.events,
    sha256: r.sha256,
  };
}

// ---- histories captured on demand (running workflows) -------------------------------

export type HistoryExport = Omit<ArchivedHistory, 'closedAt' | 'history'> & {
  id: string;
  exportedBy: string;
  reason: string;
  exportedAt: string;
};

type ExportRow = {
  id: string;
  run_id: string;
  workflow_id: string;
  workflow_type: string;
  business_key: string | null;
  status: string;
  started_at: Date;
  events: number;
  sha256: string;
  exported_by: string;
  reason: string;
  exported_at: Date;
};
const EXPORT_COLUMNS = 'id::text AS id, run_id, workflow_id, workflow_type, business_key, status, started_at, events, sha256, exported_by, reason, exported_at';
const toExport = (r: ExportRow): HistoryExport => ({
  id: r.id,
  runId: r.run_id,
  workflowId: r.workflow_id,
  workflowType: r.workflow_type,
  businessKey: r.business_key,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  events: r.events,
  sha256: r.sha256,
  exportedBy: r.exported_by,
  reason: r.reason,
  exportedAt: r.exported_at.toISOString(),
});

/**
 * Keeps a captured history of a (usually running) run, with an audit entry naming who
 * exported it and why. The same run with the same events is stored once: a second
 * export returns the first row, `created: false`, and adds no audit entry.
 */
export async function recordExport(
  pool: Pool,
  signer: AuditSigner,
  h: Omit<ArchivedHistory, 'closedAt'>,
  by: { actor: string; actorRole: string; reason: string; requestId?: string | null; remote?: string | null },
): Promise<HistoryExport & { created: boolean }> {
  return inTransaction(pool, async (db) => {
    const inserted = await db.query<ExportRow>(
      `INSERT INTO workflow_history_exports (run_id, workflow_id, workflow_type, business_key, status, started_at, events, history, sha256, exported_by, reason)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (run_id, sha256) DO NOTHING RETURNING ${EXPORT_COLUMNS}`,
      [h.runId, h.workflowId, h.workflowType, h.businessKey, h.status, h.startedAt, h.events, h.history, h.sha256, by.actor, by.reason],
    );
    if (!inserted.rows[0]) {
      const { rows } = await db.query<ExportRow>(`SELECT ${EXPORT_COLUMNS} FROM workflow_history_exports WHERE run_id = $1 AND sha256 = $2`, [
        h.runId,
        h.sha256,
      ]);
      return { ...toExport(rows[0]), created: false };
    }
    const row = toExport(inserted.rows[0]);
    await appendAuditIn(db, signer, {
      actor: by.actor,
      actorRole: by.actorRole,
      action: 'export-history',
      subject: h.workflowId,
      requestId: by.requestId ?? null,
      remote: by.remote ?? null,
      details: { exportId: row.id, runId: h.runId, workflowType: h.workflowType, status: h.status, events: h.events, sha256: h.sha256, reason: by.reason },
    });
    return { ...row, created: true };
  });
}

/**
 * The history an auditor reads for a workflow: the archive of its latest closed run,
 * else its latest export; with `sha256`, exactly that archived or exported history.
 */
export async function storedHistory(pool: Pool, workflowId: string, sha256?: string): Promise<StoredHistory | undefined> {
  const { rows } = await pool.query<{
    source: 'archive' | 'export';
    run_id: string;
    workflow_id: string;
    workflow_type: string;
    status: string;
    events: number;
    sha256: string;
    captured_at: Date;
    history: string;
  }>(
    `SELECT * FROM (
       SELECT 'archive' AS source, 0 AS rank, run_id, workflow_id, workflow_type, status, events, sha256, closed_at AS captured_at, history::text AS history
         FROM workflow_histories WHERE workflow_id = $1 AND ($2::text IS NULL OR sha256 = $2)
       UNION ALL
       SELECT 'export', 1, run_id, workflow_id, workflow_type, status, events, sha256, exported_at, history::text
         FROM workflow_history_exports WHERE workflow_id = $1 AND ($2::text IS NULL OR sha256 = $2)
     ) h ORDER BY rank, captured_at DESC LIMIT 1`,
    [workflowId, sha256 ?? null],
  );
  const r = rows[0];
  return (
    r && {
      source: r.source,
      runId: r.run_id,
      workflowId: r.workflow_id,
      workflowType: r.workflow_type,
      status: r.status,
      events: r.events,
      sha256: r.sha256,
      capturedAt: r.captured_at.toISOString(),
      history: r.history,
    }
  );
}

/**
 * One batch of archived histories, oldest close first, after the (closed_at, run_id) key
 * of the previous batch: closed_at comes back as text so its microseconds survive the round trip.
 */
export async function archivedBatch(
  pool: Pool,
  filter: { type?: string; since?: string },
  after: { closedAt: string; runId: string } | undefined,
  take: number,
): Promise<Array<{ run_id: string; workflow_id: string; closed_at: string; history: string; sha256: string }>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.type) where.push(`workflow_type = $${params.push(filter.type)}`);
  if (filter.since) where.push(`closed_at >= $${params.push(filter.since)}`);
  if (after) where.push(`(closed_at, run_id) > ($${params.push(after.closedAt)}::timestamptz, $${params.push(after.runId)})`);
  const { rows } = await pool.query<{ run_id: string; workflow_id: string; closed_at: string; history: string; sha256: string }>(
    `SELECT run_id, workflow_id, closed_at::text AS closed_at, history::text AS history, sha256
       FROM workflow_histories ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY closed_at, run_id LIMIT $${params.push(take)}`,
    params,
  );
  return rows;
}

/**
 * The runs before a stored history, when its workflow continued as new: each earlier run's
 * archive (they are closed), oldest first, then the history itself. A run that was not
 * archived (yet) ends the walk: the proof then says which run it lacks.
 */
export async function withEarlierRuns(pool: Pool, history: HistoryJson): Promise<HistoryJson[]> {
  const runs = [history];
  for (let continues = runLinks(history).continues; continues;) {
    const { rows } = await pool.query<{ history: string }>(`SELECT history::text AS history FROM workflow_histories WHERE run_id = $1`, [continues]);
    if (!rows[0]) break;
    const earlier = JSON.parse(rows[0].history) as HistoryJson;
    runs.unshift(earlier);
    continues = runLinks(earlier).continues;
  }
  return runs;
}

/** The settings row where the history archiver keeps how far it has archived; written at the end of every pass. */
export const ARCHIVER_WATERMARK_KEY = 'archiver.closedSince';
