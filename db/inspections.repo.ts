import type { Pool, PoolClient } from 'pg';
import type { CollectorTarget, Finding, FindingSeverity, InspectionState, Reading } from '../domain/inspection/contracts';
import { collectionFailureFinding, compareFindings } from '../domain/inspection/rules';
import type { SystemTrendPoint } from '../domain/qsr/contracts';
import { reviewedRuns } from './reviewed-runs.repo';
import { inTransaction } from '../system/postgres';
import { ID_PREFIX } from '../domain/ids';

/** The inspections' read model, their readings, and the incidents critical findings opened. */

const runs = reviewedRuns<InspectionState>({
  table: 'inspections',
  sequence: 'inspection_number_seq',
  prefix: ID_PREFIX.inspection,
  periodColumn: 'period',
  periodOf: (s) => s.period,
});

export const nextInspectionId = runs.nextId;
export const inspectionIdOfWorkflow = runs.idOfWorkflow;
export const saveInspection = runs.save;
export const findInspection = runs.find;

export async function listInspections(
  pool: Pool,
  f: { period?: string; status?: string; limit: number; offset: number },
): Promise<{ items: InspectionState[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.period) where.push(`period = $${params.push(f.period)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspections ${clause}`, params);
  const { rows } = await pool.query<{ state: InspectionState }>(
    `SELECT state FROM inspections ${clause} ORDER BY started_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { items: rows.map((r) => r.state), total: total.rows[0]!.n };
}

/** Inspections of `period` still running or waiting for review whose centers overlap `centers` (all centers when empty). */
export async function inspectionsInFlight(pool: Pool, period: string, centers: string[] | undefined): Promise<string[]> {
  return (await runs.inFlight(pool, period))
    .filter((r) => !centers?.length || r.centers.length === 0 || r.centers.some((c) => centers.includes(c)))
    .map((r) => r.id);
}

/**
 * Replaces what one collector read for an inspection, and with `findings` what the rules made of it
 * (a retried collector writes its rows again). One transaction: the readings and their findings
 * are never from two attempts.
 */
export async function replaceCollected(
  pool: Pool,
  inspectionId: string,
  period: string,
  target: CollectorTarget,
  readings: Reading[],
  findings?: Finding[],
): Promise<void> {
  const { center, system } = target;
  await inTransaction(pool, async (db) => {
    if (findings) {
      await lockCollector(db, inspectionId, target);
      // An attempt abandoned after its timeout may commit after the collector was given up: it writes nothing.
      if (await givenUp(db, inspectionId, target)) return;
      await db.query(`DELETE FROM inspection_findings WHERE inspection_id = $1 AND center = $2 AND system = $3`, [inspectionId, center, system]);
      await insertFindings(db, inspectionId, target, findings);
    }
    await db.query(`DELETE FROM inspection_readings WHERE inspection_id = $1 AND center = $2 AND system = $3`, [inspectionId, center, system]);
    if (readings.length === 0) return;
    await db.query(
      `INSERT INTO inspection_readings (inspection_id, period, center, system, device_id, metric, item, value, capacity, unit, source, collected_at, data_source)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::text[], $12::timestamptz[], $13::text[])
       ON CONFLICT DO NOTHING`,
      [
        inspectionId,
        period,
        readings.map((r) => r.center),
        readings.map((r) => r.system),
        readings.map((r) => r.deviceId),
        readings.map((r) => r.metric),
        readings.map((r) => r.item ?? ''),
        readings.map((r) => r.value),
        readings.map((r) => r.capacity),
        readings.map((r) => r.unit),
        readings.map((r) => r.measuredBy),
        readings.map((r) => r.collectedAt),
        readings.map((r) => r.source),
      ],
    );
  });
}

export async function readingsOf(pool: Pool, inspectionId: string, page?: { limit: number; offset: number }): Promise<Reading[]> {
  // LIMIT NULL is no limit: without a page, every reading.
  const { rows } = await pool.query<ReadingRow>(
    `SELECT * FROM inspection_readings WHERE inspection_id = $1 ORDER BY center, system, device_id, metric, item LIMIT $2 OFFSET $3`,
    [inspectionId, page?.limit ?? null, page?.offset ?? 0],
  );
  return rows.map(readingOf);
}

/** How many readings an inspection has, and whether any came from a stand-in (all of them, not one page). */
export async function readingsSummary(pool: Pool, inspectionId: string): Promise<{ total: number; simulated: boolean }> {
  const { rows } = await pool.query<{ total: number; simulated: boolean | null }>(
    `SELECT count(*)::int AS total, bool_or(data_source = 'simulated') AS simulated FROM inspection_readings WHERE inspection_id = $1`,
    [inspectionId],
  );
  return { total: rows[0]!.total, simulated: rows[0]!.simulated ?? false };
}

interface ReadingRow {
  device_id: string;
  center: string;
  system: Reading['system'];
  metric: Reading['metric'];
  item: string;
  value: number;
  capacity: number | null;
  unit: Reading['unit'];
  source: string;
  collected_at: Date;
  data_source: Reading['source'];
}

function readingOf(r: ReadingRow): Reading {
  return {
    deviceId: r.device_id,
    center: r.center,
    system: r.system,
    metric: r.metric,
    ...(r.item ? { item: r.item } : {}),
    value: r.value,
    capacity: r.capacity,
    unit: r.unit,
    collectedAt: r.collected_at.toISOString(),
    measuredBy: r.source,
    source: r.data_source,
  };
}

/** Adds findings of one collector; one it already stored (same key) is kept as it is. */
async function insertFindings(db: PoolClient, inspectionId: string, target: CollectorTarget, findings: Finding[]): Promise<void> {
  if (findings.length === 0) return;
  await db.query(
    `INSERT INTO inspection_findings (inspection_id, center, system, finding_key, severity, finding)
     SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[], $6::jsonb[])
     ON CONFLICT DO NOTHING`,
    [inspectionId, target.center, target.system, findings.map((f) => f.key), findings.map((f) => f.severity), findings.map((f) => JSON.stringify(f))],
  );
}

/** Records the finding of a collector that failed as a whole, in place of anything it stored. */
export async function replaceFindings(pool: Pool, inspectionId: string, target: CollectorTarget, findings: Finding[]): Promise<void> {
  await inTransaction(pool, async (db) => {
    await lockCollector(db, inspectionId, target);
    await db.query(`DELETE FROM inspection_findings WHERE inspection_id = $1 AND center = $2 AND system = $3`, [inspectionId, target.center, target.system]);
    await insertFindings(db, inspectionId, target, findings);
  });
}

/** One collector's rows are written by one transaction at a time: an attempt's, or the failure recorded for it. */
async function lockCollector(db: PoolClient, inspectionId: string, target: CollectorTarget): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inspection:${inspectionId}:${target.center}/${target.system}`]);
}

/** The collector was given up: the workflow recorded its failure (collectionFailureFinding, no device). */
async function givenUp(db: PoolClient, inspectionId: string, target: CollectorTarget): Promise<boolean> {
  const { key } = collectionFailureFinding(target, null, '');
  const { rowCount } = await db.query(`SELECT 1 FROM inspection_findings WHERE inspection_id = $1 AND center = $2 AND system = $3 AND finding_key = $4`, [
    inspectionId,
    target.center,
    target.system,
    key,
  ]);
  return rowCount === 1;
}

/** An inspection's stored findings (`severity`: only those), in the inspection's order (compareFindings). */
export async function findingsOf(pool: Pool, inspectionId: string, severity?: FindingSeverity): Promise<Finding[]> {
  const { rows } = await pool.query<{ finding: Finding }>(
    `SELECT finding FROM inspection_findings WHERE inspection_id = $1 AND ($2::text IS NULL OR severity = $2)`,
    [inspectionId, severity ?? null],
  );
  return rows.map((r) => r.finding).sort(compareFindings);
}

/** The incidents an inspection's stored critical findings opened (claimed per period and finding key). */
export async function findingIncidentsOf(pool: Pool, inspectionId: string, period: string): Promise<Array<{ findingKey: string; incidentId: string }>> {
  const { rows } = await pool.query<{ findingKey: string; incidentId: string }>(
    `SELECT DISTINCT fi.finding_key AS "findingKey", fi.incident_id AS "incidentId"
       FROM inspection_findings f JOIN finding_incidents fi ON fi.period = $2 AND fi.finding_key = f.finding_key
      WHERE f.inspection_id = $1 AND f.severity = 'critical'
      ORDER BY 1`,
    [inspectionId, period],
  );
  return rows;
}

/** Who measured the simulated readings of these periods' inspections (none: all came from real systems). */
export async function simulatedReadingsIn(pool: Pool, periods: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ source: string }>(
    `SELECT DISTINCT source FROM inspection_readings WHERE period = ANY($1) AND data_source = 'simulated' ORDER BY source`,
    [periods],
  );
  return rows.map((r) => r.source);
}

/**
 * Month-over-month points: for each period, the readings of its latest inspection that did
 * not fail (for `current`, that inspection itself), worst per center/system/metric —
 * the highest usage ratio, or the highest raw value (ages) where there is no capacity.
 */
export async function trendPoints(
  pool: Pool,
  periods: string[],
  current: { inspectionId: string; period: string } | null,
  centers: string[],
): Promise<SystemTrendPoint[]> {
  const { rows } = await pool.query<SystemTrendPoint>(
    `WITH chosen AS (
       SELECT DISTINCT ON (period) id FROM inspections
        WHERE period = ANY($1) AND period <> $3 AND status <> 'FAILED'
        ORDER BY period, started_at DESC
     )
     SELECT period, center, system, metric,
            max(CASE WHEN capacity > 0 THEN value / capacity ELSE value END) AS value
       FROM inspection_readings
      WHERE (inspection_id IN (SELECT id FROM chosen) OR inspection_id = $2)
        AND metric NOT IN ('eos','eol') AND (cardinality($4::text[]) = 0 OR center = ANY($4))
      GROUP BY period, center, system, metric
      ORDER BY period, center, system, metric`,
    [periods, current?.inspectionId ?? '', current?.period ?? '', centers],
  );
  return rows;
}

/** The incident of a finding in a period: the one claimed before, or `candidate`, claimed now. */
export async function claimFindingIncident(
  pool: Pool,
  period: string,
  finding: Finding,
  candidate: () => Promise<string>,
): Promise<{ incidentId: string; claimed: boolean }> {
  const existing = await pool.query<{ incident_id: string }>(`SELECT incident_id FROM finding_incidents WHERE period = $1 AND finding_key = $2`, [
    period,
    finding.key,
  ]);
  if (existing.rows[0]) return { incidentId: existing.rows[0].incident_id, claimed: false };
  const id = await candidate();
  await pool.query(`INSERT INTO finding_incidents (period, finding_key, incident_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [period, finding.key, id]);
  const { rows } = await pool.query<{ incident_id: string }>(`SELECT incident_id FROM finding_incidents WHERE period = $1 AND finding_key = $2`, [
    period,
    finding.key,
  ]);
  return { incidentId: rows[0]!.incident_id, claimed: rows[0]!.incident_id === id };
}
