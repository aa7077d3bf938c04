import type { Pool } from 'pg';
import type { DataSource } from '../domain/data-source';
import type { LineDay, TrunkDay } from '../domain/line/trunk-usage';
import type { UsageOrigin } from '../domain/line/usage-sources';
import { inTransaction } from '../system/postgres';
import { listTrunkCapacities } from './trunks.repo';

/**
 * Usage from the PBX's call records, per day: each trunk's (trunk_usage_daily, charted by the
 * inspection and the QSR, GET /api/v1/trunks/usage) and each line's (line_usage_daily,
 * GET /api/v1/lines/usage), the latter from the CTI's call statistics on the days the CTI carried
 * its center (activities/line-usage-import.ts).
 */

/**
 * Stores these days (each trunk's, within [fromDate, toDate)); a day stored before is replaced. Written
 * by the QSR for its quarter and by each center's inspection collector for its month, at once:
 * upserts, so two writers of the same days never collide.
 */
export async function saveTrunkUsage(pool: Pool, fromDate: string, toDate: string, days: readonly TrunkDay[], source: DataSource): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const d of days.filter((d) => d.date >= fromDate && d.date < toDate)) {
      await client.query(
        `INSERT INTO trunk_usage_daily (date, trunk, calls, minutes, peak_concurrent, data_source) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (date, trunk) DO UPDATE SET calls = EXCLUDED.calls, minutes = EXCLUDED.minutes,
           peak_concurrent = EXCLUDED.peak_concurrent, data_source = EXCLUDED.data_source, updated_at = now()`,
        [d.date, d.trunk, d.calls, d.minutes, d.peakConcurrent, source],
      );
    }
  });
}

export async function trunkUsageBetween(pool: Pool, fromDate: string, toDate: string): Promise<Array<TrunkDay & { source: DataSource }>> {
  const { rows } = await pool.query<{ date: string; trunk: string; calls: number; minutes: string; peak_concurrent: number; data_source: DataSource }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, trunk, calls, minutes, peak_concurrent, data_source
       FROM trunk_usage_daily WHERE date >= $1 AND date < $2 ORDER BY trunk, date`,
    [fromDate, toDate],
  );
  return rows.map((r) => ({
    date: r.date,
    trunk: r.trunk,
    calls: r.calls,
    minutes: Number(r.minutes),
    peakConcurrent: r.peak_concurrent,
    source: r.data_source,
  }));
}

export interface TrunkUsage {
  trunk: string;
  /** From the inventory (the trunk's capacity, or its PRI line); null for a trunk only the call records name. */
  center: string | null;
  lineId: string | null;
  channels: number | null;
  calls: number;
  minutes: number;
  /** The most calls carried at once on any of the days (0 without a stored day). */
  peakConcurrent: number;
  /** Whether any day came from the PBX simulator. */
  simulated: boolean;
  days: Array<Pick<TrunkDay, 'date' | 'calls' | 'minutes' | 'peakConcurrent'>>;
}

/**
 * Each trunk's stored days over [fromDate, toDate) with its channels: every trunk of the inventory
 * (trunks without a stored day at zero) and every trunk the call records name; optionally one
 * center's (then a trunk the inventory does not place in a center is left out).
 */
export async function trunkUsageByTrunk(pool: Pool, fromDate: string, toDate: string, center?: string): Promise<TrunkUsage[]> {
  const [days, trunks] = await Promise.all([trunkUsageBetween(pool, fromDate, toDate), listTrunkCapacities(pool)]);
  const byTrunk = new Map<string, TrunkUsage>();
  const usageOf = (trunk: string): TrunkUsage => {
    let usage = byTrunk.get(trunk);
    if (!usage) {
      const known = trunks.find((t) => t.trunk === trunk);
      const inventory = { center: known?.center ?? null, lineId: known?.lineId ?? null, channels: known?.channels ?? null };
      byTrunk.set(trunk, (usage = { trunk, ...inventory, calls: 0, minutes: 0, peakConcurrent: 0, simulated: false, days: [] }));
    }
    return usage;
  };
  for (const t of trunks) usageOf(t.trunk);
  for (const d of days) {
    const usage = usageOf(d.trunk);
    usage.calls += d.calls;
    usage.minutes += d.minutes;
    usage.peakConcurrent = Math.max(usage.peakConcurrent, d.peakConcurrent);
    usage.simulated ||= d.source === 'simulated';
    usage.days.push({ date: d.date, calls: d.calls, minutes: d.minutes, peakConcurrent: d.peakConcurrent });
  }
  return [...byTrunk.values()]
    .filter((u) => center === undefined || u.center === center)
    .map((u) => ({ ...u, minutes: Math.round(u.minutes * 10) / 10 }))
    .sort((a, b) => a.trunk.localeCompare(b.trunk, 'en', { numeric: true }));
}

// One import of line days at a time: each replaces its span's days whole (below).
const LINE_USAGE_LOCK = 0x6c757365; // "luse"

/**
 * Replaces every line's days in [fromDate, toDate) with these, each with its source and where it
 * came from: a day its source no longer has (a source changed, an agent moved) goes, rather than
 * lingering beside the new one. One transaction, one import at a time (the inspection's per-center
 * collectors and the QSR may import the same days at once).
 */
export async function replaceLineUsage(
  pool: Pool,
  fromDate: string,
  toDate: string,
  days: ReadonlyArray<LineDay & { origin: UsageOrigin; source: DataSource }>,
): Promise<void> {
  const inSpan = days.filter((d) => d.date >= fromDate && d.date < toDate);
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LINE_USAGE_LOCK]);
    await client.query(`DELETE FROM line_usage_daily WHERE date >= $1 AND date < $2`, [fromDate, toDate]);
    await client.query(
      `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, peak_concurrent, data_source, origin)
       SELECT (d->>'date')::date, d->>'dn', (d->>'callsOut')::int, (d->>'callsIn')::int, (d->>'minutes')::numeric, (d->>'peakConcurrent')::int,
              d->>'source', d->>'origin'
         FROM jsonb_array_elements($1::jsonb) d`,
      [JSON.stringify(inSpan)],
    );
  });
}

export interface LineUsage {
  lineId: string;
  dn: string;
  center: string;
  lineType: string;
  status: string;
  callsOut: number;
  callsIn: number;
  minutes: number;
  /** Days with at least one call answered (a call up at midnight gives the next day a peak, not a call). */
  activeDays: number;
  lastCallDate: string | null;
  /**
   * The most of its calls up at once on any day, from the PBX's call records (0 when no day is
   * stored); null when none of its days has one: the CTI's days, and days stored before the peak was.
   */
  peakConcurrent: number | null;
  /** Whether any day came from a stand-in (the PBX simulator, the CTI emulator). */
  simulated: boolean;
  origins: UsageOrigin[];
}

/** Each inventory line's usage over [fromDate, toDate), lines without calls included (zero); optionally one center's. */
export async function lineUsageBetween(pool: Pool, fromDate: string, toDate: string, center?: string): Promise<LineUsage[]> {
  const { rows } = await pool.query(
    `SELECT l.id, l.dn, l.center, l.line_type, l.status,
            coalesce(sum(u.calls_out), 0)::int AS calls_out, coalesce(sum(u.calls_in), 0)::int AS calls_in,
            coalesce(sum(u.minutes), 0)::float8 AS minutes,
            count(u.date) FILTER (WHERE u.calls_out + u.calls_in > 0)::int AS active_days,
            to_char(max(u.date) FILTER (WHERE u.calls_out + u.calls_in > 0), 'YYYY-MM-DD') AS last_call_date,
            CASE WHEN count(u.date) = 0 THEN 0 ELSE max(u.peak_concurrent) END AS peak_concurrent,
            coalesce(bool_or(u.data_source = 'simulated'), false) AS simulated,
            coalesce(array_agg(DISTINCT u.origin ORDER BY u.origin) FILTER (WHERE u.origin IS NOT NULL), '{}') AS origins
       FROM lines l
       LEFT JOIN line_usage_daily u ON u.dn = l.dn AND u.date >= $1 AND u.date < $2
      WHERE ($3::text IS NULL OR l.center = $3)
      GROUP BY l.id, l.dn, l.center, l.line_type, l.status
      ORDER BY l.center, l.dn, l.id`,
    [fromDate, toDate, center ?? null],
  );
  return rows.map((r) => ({
    lineId: r.id,
    dn: r.dn,
    center: r.center,
    lineType: r.line_type,
    status: r.status,
    callsOut: r.calls_out,
    callsIn: r.calls_in,
    minutes: Math.round(r.minutes * 10) / 10,
    activeDays: r.active_days,
    lastCallDate: r.last_call_date,
    peakConcurrent: r.peak_concurrent,
    simulated: r.simulated,
    origins: r.origins,
  }));
}
