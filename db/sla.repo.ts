import type { Pool } from 'pg';
import { makeCalendar } from '../domain/calendar/calendar-version';
import type { Complexity, Severity, SlaPolicy, SlaSnapshot } from '../domain/sla/model';

/** SLA policies and the auto-close delay: data an admin edits; incidents snapshot them when they open. */

export const AUTO_CLOSE_KEY = 'incident.autoCloseAfterSeconds';
export const DEFAULT_AUTO_CLOSE_SECONDS = 5 * 24 * 3600;

export interface PolicyRow extends SlaPolicy {
  severity: Severity;
  complexity: Complexity;
  updatedAt: string;
  updatedBy: string | null;
}

export async function listPolicies(pool: Pool): Promise<PolicyRow[]> {
  const { rows } = await pool.query('SELECT * FROM sla_policies ORDER BY severity, complexity');
  return rows.map(toPolicy);
}

export async function findPolicy(pool: Pool, severity: Severity, complexity: Complexity): Promise<PolicyRow | null> {
  const { rows } = await pool.query('SELECT * FROM sla_policies WHERE severity = $1 AND complexity = $2', [severity, complexity]);
  return rows[0] ? toPolicy(rows[0]) : null;
}

export async function savePolicy(pool: Pool, key: { severity: Severity; complexity: Complexity }, policy: SlaPolicy, actor: string | null): Promise<PolicyRow> {
  const { rows } = await pool.query(
    `INSERT INTO sla_policies (severity, complexity, clock, response_target_seconds, restore_target_seconds,
       status_report_interval_seconds, updated_at, updated_by)
     VALUES ($1,$2,$3,$4,$5,$6, now(), $7)
     ON CONFLICT (severity, complexity) DO UPDATE SET clock = EXCLUDED.clock,
       response_target_seconds = EXCLUDED.response_target_seconds, restore_target_seconds = EXCLUDED.restore_target_seconds,
       status_report_interval_seconds = EXCLUDED.status_report_interval_seconds, updated_at = now(), updated_by = EXCLUDED.updated_by
     RETURNING *`,
    [key.severity, key.complexity, policy.clock, policy.responseTargetSeconds, policy.restoreTargetSeconds, policy.statusReportIntervalSeconds, actor],
  );
  return toPolicy(rows[0]);
}

export async function getAutoCloseAfterSeconds(pool: Pool): Promise<number> {
  const { rows } = await pool.query('SELECT value FROM settings WHERE key = $1', [AUTO_CLOSE_KEY]);
  return rows[0] ? Number(rows[0].value) : DEFAULT_AUTO_CLOSE_SECONDS;
}

export async function setAutoCloseAfterSeconds(pool: Pool, seconds: number, actor: string | null): Promise<void> {
  await pool.query(
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2::jsonb, now(), $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [AUTO_CLOSE_KEY, JSON.stringify(seconds), actor],
  );
}

/**
 * The policy, auto-close delay and calendar in force now: what a new incident
 * will be judged by. One round trip, because every incident opening pays for it.
 */
export async function currentSlaSnapshot(pool: Pool, severity: Severity, complexity: Complexity): Promise<SlaSnapshot | null> {
  const { rows } = await pool.query(
    `SELECT p.*,
            (SELECT value FROM settings WHERE key = $3) AS auto_close,
            (SELECT coalesce(array_agg(to_char(date, 'YYYY-MM-DD') ORDER BY date), '{}') FROM holidays) AS holidays,
            (SELECT max(id) FROM config_history WHERE kind IN ('sla-policy', 'auto-close', 'holiday')) AS config_version
       FROM sla_policies p WHERE p.severity = $1 AND p.complexity = $2`,
    [severity, complexity, AUTO_CLOSE_KEY],
  );
  if (!rows[0]) return null;
  const policy = toPolicy(rows[0]);
  return {
    severity,
    complexity,
    clock: policy.clock,
    responseTargetSeconds: policy.responseTargetSeconds,
    restoreTargetSeconds: policy.restoreTargetSeconds,
    statusReportIntervalSeconds: policy.statusReportIntervalSeconds,
    autoCloseAfterSeconds: rows[0].auto_close == null ? DEFAULT_AUTO_CLOSE_SECONDS : Number(rows[0].auto_close),
    calendar: makeCalendar(rows[0].holidays as string[]),
    ...(rows[0].config_version == null ? {} : { configVersion: Number(rows[0].config_version) }),
  };
}

function toPolicy(r: Record<string, unknown>): PolicyRow {
  return {
    severity: r.severity as Severity,
    complexity: r.complexity as Complexity,
    clock: r.clock as SlaPolicy['clock'],
    responseTargetSeconds: Number(r.response_target_seconds),
    restoreTargetSeconds: Number(r.restore_target_seconds),
    statusReportIntervalSeconds: r.status_report_interval_seconds == null ? null : Number(r.status_report_interval_seconds),
    updatedAt: (r.updated_at as Date).toISOString(),
    updatedBy: (r.updated_by as string | null) ?? null,
  };
}
