import type { Pool, PoolClient } from 'pg';
import { LineUsageSourcesInput, type LineUsageSources, type LineUsageSourcesView, type UsageSourcesVersion } from '../domain/line/usage-sources';
import { DEFAULTS_ACTOR } from './billing-config.repo';

/** Where each center's line usage comes from (line_usage_source_sets): versioned, the latest in force; none saved means the PBX for every center. */

type Db = Pick<Pool | PoolClient, 'query'>;
type Row = { version: number; sources: LineUsageSources; saved_by: string; saved_at: Date };

export async function currentLineUsageSources(pool: Db): Promise<LineUsageSourcesView> {
  const { rows } = await pool.query<Row>(`SELECT version, sources, saved_by, saved_at FROM line_usage_source_sets ORDER BY version DESC LIMIT 1`);
  const row = rows[0];
  if (!row) return { centers: {}, version: 0, updatedBy: DEFAULTS_ACTOR, updatedAt: new Date(0).toISOString() };
  return view(row);
}

export async function saveLineUsageSources(pool: Pool, sources: LineUsageSources, savedBy: string): Promise<LineUsageSourcesView> {
  const { rows } = await pool.query<Row>(
    `INSERT INTO line_usage_source_sets (sources, saved_by) VALUES ($1, $2) RETURNING version, sources, saved_by, saved_at`,
    [JSON.stringify(sources), savedBy],
  );
  return view(rows[0]!);
}

/** Every saved version, in save order: which source was in force on which day (usageOriginOn). */
export async function lineUsageSourceVersions(pool: Db): Promise<UsageSourcesVersion[]> {
  const { rows } = await pool.query<Row>(`SELECT version, sources, saved_by, saved_at FROM line_usage_source_sets ORDER BY version`);
  return rows.map((r) => ({ centers: LineUsageSourcesInput.parse(r.sources).centers, savedAt: r.saved_at.toISOString() }));
}

function view(row: Row): LineUsageSourcesView {
  return { ...LineUsageSourcesInput.parse(row.sources), version: row.version, updatedBy: row.saved_by, updatedAt: row.saved_at.toISOString() };
}
