import type { Pool, PoolClient } from 'pg';
import type { AlertRule } from '../domain/monitoring/rules';
import { DEFAULT_ALERT_RULES } from '../domain/monitoring/default-rules';
import type { AlertView } from '../domain/monitoring/views';
import type { LinkedIncident } from '../domain/monitoring/correlate';
import type { IncidentStatus } from '../domain/incident/contracts';

/** Monitoring alerts, the rules that map them and the incident each dedupe key opened (issue 15). */

type Db = Pick<Pool | PoolClient, 'query'>;

export interface RuleSetRow {
  /** Null while the shipped defaults are in force (nobody has saved rules yet). */
  version: number | null;
  rules: AlertRule[];
  savedBy: string | null;
  savedAt: string | null;
}

export async function currentAlertRules(db: Db): Promise<RuleSetRow> {
  const { rows } = await db.query(`SELECT version, rules, saved_by, saved_at FROM alert_rule_sets ORDER BY version DESC LIMIT 1`);
  const row = rows[0];
  if (!row) return { version: null, rules: DEFAULT_ALERT_RULES, savedBy: null, savedAt: null };
  return { version: row.version, rules: row.rules, savedBy: row.saved_by, savedAt: row.saved_at.toISOString() };
}

export async function saveAlertRules(db: Db, rules: AlertRule[], savedBy: string): Promise<RuleSetRow> {
  const { rows } = await db.query(`INSERT INTO alert_rule_sets (rules, saved_by) VALUES ($1, $2) RETURNING version, rules, saved_by, saved_at`, [
    JSON.stringify(rules),
    savedBy,
  ]);
  const row = rows[0];
  return { version: row.version, rules: row.rules, savedBy: row.saved_by, savedAt: row.saved_at.toISOString() };
}

/** The identity of one delivery (see the alerts table). */
export interface DeliveryIdentity {
  fingerprint: string;
  startsAt: string;
  status: 'firing' | 'resolved';
}

export interface NewAlertRow extends DeliveryIdentity {
  endsAt: string | null;
  alertname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorUrl: string | null;
  receiver: string;
  groupKey: string;
  externalUrl: string;
  ruleId: string | null;
  ruleVersion: number | null;
  dedupeKey: string | null;
  outcome: string;
  incidentId: string | null;
  /** Why it was refused (outcome `failed`). */
  error?: string;
}

/**
 * A delivery seen before only counts: the row's deliveries and last seen, and its incident link's.
 * Answers the row's id, outcome and incident when it was seen before, else nothing. One that
 * failed is not "seen": it is taken again (insertAlert then updates its row).
 */
export async function countRepeat(db: Db, d: DeliveryIdentity): Promise<{ id: string; outcome: string; incidentId: string | null } | undefined> {
  const { rows } = await db.query(
    `UPDATE alerts SET deliveries = deliveries + 1, last_received_at = now()
      WHERE fingerprint = $1 AND starts_at = $2 AND status = $3 AND outcome <> 'failed'
      RETURNING id, outcome, incident_id, dedupe_key`,
    [d.fingerprint, d.startsAt, d.status],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.dedupe_key) {
    await db.query(`UPDATE alert_incidents SET deliveries = deliveries + 1, last_seen_at = now() WHERE dedupe_key = $1`, [row.dedupe_key]);
  }
  return { id: String(row.id), outcome: row.outcome, incidentId: row.incident_id };
}

export async function insertAlert(db: Db, a: NewAlertRow): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO alerts (fingerprint, starts_at, status, ends_at, alertname, labels, annotations, generator_url, receiver,
       group_key, external_url, rule_id, rule_version, dedupe_key, outcome, incident_id, error)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
     ON CONFLICT (fingerprint, starts_at, status) DO UPDATE SET deliveries = alerts.deliveries + 1, last_received_at = now(),
       -- A delivery that failed before and is taken again now: what it did this time.
       outcome = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.outcome ELSE alerts.outcome END,
       incident_id = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.incident_id ELSE alerts.incident_id END,
       rule_id = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.rule_id ELSE alerts.rule_id END,
       rule_version = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.rule_version ELSE alerts.rule_version END,
       dedupe_key = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.dedupe_key ELSE alerts.dedupe_key END,
       error = CASE WHEN alerts.outcome = 'failed' THEN EXCLUDED.error ELSE alerts.error END
     RETURNING id`,
    [
      a.fingerprint,
      a.startsAt,
      a.status,
      a.endsAt,
      a.alertname,
      JSON.stringify(a.labels),
      JSON.stringify(a.annotations),
      a.generatorUrl,
      a.receiver,
      a.groupKey,
      a.externalUrl,
      a.ruleId,
      a.ruleVersion,
      a.dedupeKey,
      a.outcome,
      a.incidentId,
      a.error ?? null,
    ],
  );
  return String(rows[0].id);
}

/** Serialises the deliveries of one dedupe key until the transaction ends (one open incident per key); false when another holds it. */
export async function tryLockDedupeKey(client: PoolClient, dedupeKey: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 15)) AS locked`, [dedupeKey]);
  return rows[0]!.locked;
}

/** The incident this key opened last and where it stands now (the read model). */
export async function linkedIncident(db: Db, dedupeKey: string): Promise<LinkedIncident | undefined> {
  const { rows } = await db.query<{ incident_id: string; status: IncidentStatus | null; resolved_at: Date | null }>(
    `SELECT l.incident_id, i.status, i.resolved_at FROM alert_incidents l LEFT JOIN incidents i ON i.id = l.incident_id WHERE l.dedupe_key = $1`,
    [dedupeKey],
  );
  const row = rows[0];
  if (!row) return undefined;
  // Opened but not yet in the read model (a crash between): still the key's open incident.
  return { id: row.incident_id, status: row.status ?? 'OPEN', resolvedAt: row.resolved_at?.toISOString() ?? null };
}

export async function linkIncident(db: Db, dedupeKey: string, ruleId: string, incidentId: string): Promise<void> {
  await db.query(
    `INSERT INTO alert_incidents (dedupe_key, rule_id, incident_id) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO UPDATE SET incident_id = EXCLUDED.incident_id, rule_id = EXCLUDED.rule_id,
       opened_at = now(), last_seen_at = now(), deliveries = 1`,
    [dedupeKey, ruleId, incidentId],
  );
}

export async function touchLink(db: Db, dedupeKey: string): Promise<void> {
  await db.query(`UPDATE alert_incidents SET deliveries = deliveries + 1, last_seen_at = now() WHERE dedupe_key = $1`, [dedupeKey]);
}

export interface AlertFilter {
  unmatched?: boolean;
  incident?: string;
  status?: 'firing' | 'resolved';
  limit: number;
  offset: number;
}

export async function listAlerts(db: Db, f: AlertFilter): Promise<{ items: AlertView[]; total: number }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.unmatched !== undefined) where.push(f.unmatched ? 'rule_id IS NULL' : 'rule_id IS NOT NULL');
  if (f.incident) where.push(`incident_id = $${args.push(f.incident)}`);
  if (f.status) where.push(`status = $${args.push(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ rows }, count] = await Promise.all([
    db.query<AlertRow>(`SELECT * FROM alerts ${clause} ORDER BY last_received_at DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`, [
      ...args,
      f.limit,
      f.offset,
    ]),
    db.query<{ n: string }>(`SELECT count(*) AS n FROM alerts ${clause}`, args),
  ]);
  return { items: rows.map(toView), total: Number(count.rows[0]!.n) };
}

interface AlertRow {
  id: string;
  status: AlertView['status'];
  alertname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  starts_at: Date;
  ends_at: Date | null;
  fingerprint: string;
  generator_url: string | null;
  receiver: string;
  group_key: string;
  rule_id: string | null;
  rule_version: number | null;
  dedupe_key: string | null;
  outcome: AlertView['outcome'];
  incident_id: string | null;
  error: string | null;
  deliveries: number;
  first_received_at: Date;
  last_received_at: Date;
}

function toView(r: AlertRow): AlertView {
  return {
    id: String(r.id),
    status: r.status,
    alertname: r.alertname,
    labels: r.labels,
    annotations: r.annotations,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at?.toISOString() ?? null,
    fingerprint: r.fingerprint,
    generatorURL: r.generator_url,
    receiver: r.receiver,
    groupKey: r.group_key,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    dedupeKey: r.dedupe_key,
    outcome: r.outcome,
    incidentId: r.incident_id,
    error: r.error,
    deliveries: r.deliveries,
    firstReceivedAt: r.first_received_at.toISOString(),
    lastReceivedAt: r.last_received_at.toISOString(),
  };
}
