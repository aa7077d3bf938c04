import type { Pool } from 'pg';
import {
  DEFAULT_CRITICAL_PERCENT,
  DEFAULT_PRI_CHANNELS,
  DEFAULT_WARN_PERCENT,
  trunkSetOf,
  type TrunkCapacityRequest,
  type TrunkCapacityView,
} from '../domain/line/trunk-capacity';

/** Trunk capacity and thresholds (issue 15): the recorded rows, and every live PRI line's trunk with the E1 default. */

interface CapacityRow {
  trunk: string;
  center: string | null;
  description: string | null;
  channels: number;
  warn_percent: number;
  critical_percent: number;
  updated_by: string;
  updated_at: Date;
}

export async function listTrunkCapacities(pool: Pool): Promise<TrunkCapacityView[]> {
  const [recorded, pri] = await Promise.all([
    pool.query<CapacityRow>(`SELECT * FROM trunk_capacity`),
    pool.query<{ id: string; dn: string; center: string }>(
      `SELECT id, dn, center FROM lines WHERE line_type = 'pri' AND status NOT IN ('FAILED', 'TERMINATED') ORDER BY id`,
    ),
  ]);
  const lines = new Map(pri.rows.map((l) => [String(trunkSetOf(l.id)), l]));
  const views = new Map<string, TrunkCapacityView>();
  for (const [trunk, line] of lines) {
    views.set(trunk, {
      trunk,
      lineId: line.id,
      dn: line.dn,
      center: line.center,
      description: `PRI ${line.dn}`,
      channels: DEFAULT_PRI_CHANNELS,
      warnAtPercent: DEFAULT_WARN_PERCENT,
      criticalAtPercent: DEFAULT_CRITICAL_PERCENT,
      source: 'default',
      updatedBy: null,
      updatedAt: null,
    });
  }
  for (const r of recorded.rows) {
    const line = lines.get(r.trunk);
    views.set(r.trunk, {
      trunk: r.trunk,
      lineId: line?.id ?? null,
      dn: line?.dn ?? null,
      center: r.center ?? line?.center ?? null,
      description: r.description ?? (line ? `PRI ${line.dn}` : null),
      channels: r.channels,
      warnAtPercent: r.warn_percent,
      criticalAtPercent: r.critical_percent,
      source: 'recorded',
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    });
  }
  return [...views.values()].sort((a, b) => Number(a.trunk) - Number(b.trunk));
}

export async function saveTrunkCapacity(pool: Pool, trunk: string, req: TrunkCapacityRequest, actor: string): Promise<TrunkCapacityView> {
  await pool.query(
    `INSERT INTO trunk_capacity (trunk, center, description, channels, warn_percent, critical_percent, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (trunk) DO UPDATE SET center = EXCLUDED.center, description = EXCLUDED.description, channels = EXCLUDED.channels,
       warn_percent = EXCLUDED.warn_percent, critical_percent = EXCLUDED.critical_percent, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [trunk, req.center ?? null, req.description ?? null, req.channels, req.warnAtPercent, req.criticalAtPercent, actor],
  );
  return (await listTrunkCapacities(pool)).find((t) => t.trunk === trunk)!;
}
