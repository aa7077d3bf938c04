import { incidentView } from '../domain/incident/view';
import type { Pool } from 'pg';
import type { IncidentState, TimelineEvent } from '../domain/incident/contracts';
import { searchTerms } from '../domain/incident/search-terms';
import { inTransaction } from '../system/postgres';
import { formatId, ID_PREFIX } from '../domain/ids';

/**
 * The incident read model. Only the workflow's projection activity writes it;
 * the API reads it for lists, search and incidents Temporal no longer retains.
 */

export async function nextIncidentId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('incident_number_seq') AS n`);
  return formatId(ID_PREFIX.incident, rows[0]!.n);
}

export async function saveIncident(pool: Pool, state: IncidentState): Promise<void> {
  // The due instants as the clocks stand now; they move only on a pause or resume, which project again.
  const due = incidentView(state, new Date().toISOString()).sla;
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO incidents (id, workflow_id, title, description, severity, complexity, system, center, source,
         status, level, assignee, opened_at, opened_by, resolved_at, closed_at, sla, search_terms, version, rca, reports,
         response_due_at, restore_due_at, clock_paused, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24, now())
       ON CONFLICT (id) DO UPDATE SET
         status = EXCLUDED.status, level = EXCLUDED.level, assignee = EXCLUDED.assignee,
         resolved_at = EXCLUDED.resolved_at, closed_at = EXCLUDED.closed_at, sla = EXCLUDED.sla,
         version = EXCLUDED.version, rca = EXCLUDED.rca, reports = EXCLUDED.reports,
         response_due_at = EXCLUDED.response_due_at, restore_due_at = EXCLUDED.restore_due_at, clock_paused = EXCLUDED.clock_paused,
         updated_at = now()
       -- A retried or late projection of an older state must not overwrite a newer one.
       WHERE incidents.version < EXCLUDED.version`,
      [
        state.id,
        `incident-${state.id}`,
        state.title,
        state.description,
        state.severity,
        state.complexity,
        state.system,
        state.center ?? null,
        state.source,
        state.status,
        state.level,
        state.assignee,
        state.openedAt,
        `${state.openedBy.role}:${state.openedBy.id}`,
        state.resolvedAt,
        state.closedAt,
        JSON.stringify({ snapshot: state.sla, warnings: state.warnings, breached: state.breached, pendReason: state.pendReason }),
        searchTerms(state.title, state.description),
        state.timeline.length,
        state.rca ? JSON.stringify(state.rca) : null,
        JSON.stringify(state.reports ?? []),
        due.responseDueAt,
        due.restoreDueAt,
        due.paused,
      ],
    );
    const events = state.timeline;
    await client.query(
      `INSERT INTO incident_events (incident_id, seq, at, type, actor, actor_role, from_status, to_status, details)
       SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])
       ON CONFLICT (incident_id, seq) DO NOTHING`,
      [
        state.id,
        events.map((e) => e.seq),
        events.map((e) => e.at),
        events.map((e) => e.type),
        events.map((e) => e.actor.id),
        events.map((e) => e.actor.role),
        events.map((e) => e.from ?? null),
        events.map((e) => e.to ?? null),
        events.map((e) => JSON.stringify(e.details ?? {})),
      ],
    );
  });
}

interface IncidentRow {
  id: string;
  title: string;
  description: string;
  severity: IncidentState['severity'];
  complexity: IncidentState['complexity'];
  system: IncidentState['system'];
  center: string | null;
  source: IncidentState['source'];
  status: IncidentState['status'];
  level: IncidentState['level'];
  assignee: string | null;
  opened_at: Date;
  opened_by: string;
  resolved_at: Date | null;
  closed_at: Date | null;
  sla: {
    snapshot: IncidentState['sla'];
    warnings: IncidentState['warnings'];
    breached: IncidentState['breached'];
    pendReason: IncidentState['pendReason'];
  };
  rca: IncidentState['rca'];
  reports: IncidentState['reports'];
  response_due_at: Date | null;
  restore_due_at: Date | null;
  clock_paused: boolean;
}

export async function findIncident(pool: Pool, id: string): Promise<IncidentState | null> {
  const { rows } = await pool.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
  if (!rows[0]) return null;
  const events = await pool.query<EventRow>(
    'SELECT seq, at, type, actor, actor_role, from_status, to_status, details FROM incident_events WHERE incident_id = $1 ORDER BY seq',
    [id],
  );
  return toState(rows[0], events.rows.map(toEvent));
}

/** Every incident opened in [from, to), whole (timeline included): what the quarterly indicators are computed from. */
export async function incidentsOpenedBetween(pool: Pool, from: string, to: string): Promise<IncidentState[]> {
  const { rows } = await pool.query<IncidentRow>('SELECT * FROM incidents WHERE opened_at >= $1 AND opened_at < $2 ORDER BY opened_at, id', [from, to]);
  if (rows.length === 0) return [];
  const events = await pool.query<EventRow & { incident_id: string }>(
    `SELECT incident_id, seq, at, type, actor, actor_role, from_status, to_status, details FROM incident_events
      WHERE incident_id = ANY($1) ORDER BY incident_id, seq`,
    [rows.map((r) => r.id)],
  );
  const byIncident = new Map<string, TimelineEvent[]>();
  for (const e of events.rows) {
    const list = byIncident.get(e.incident_id) ?? [];
    list.push(toEvent(e));
    byIncident.set(e.incident_id, list);
  }
  return rows.map((r) => toState(r, byIncident.get(r.id) ?? []));
}

interface EventRow {
  seq: number;
  at: Date;
  type: TimelineEvent['type'];
  actor: string;
  actor_role: TimelineEvent['actor']['role'];
  from_status: TimelineEvent['from'] | null;
  to_status: TimelineEvent['to'] | null;
  details: Record<string, unknown>;
}

function toEvent(e: EventRow): TimelineEvent {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    type: e.type,
    actor: { id: e.actor, role: e.actor_role },
    ...(e.from_status ? { from: e.from_status } : {}),
    ...(e.to_status ? { to: e.to_status } : {}),
    ...(Object.keys(e.details).length ? { details: e.details } : {}),
  };
}

export interface IncidentFilter {
  status?: string;
  severity?: string;
  system?: string;
  center?: string;
  q?: string;
  /** Only incidents not yet RESOLVED, CLOSED or CANCELLED. */
  open?: boolean;
  /** Only those assigned to this person; `null`: only the unassigned. */
  assignee?: string | null;
  /** Only those whose response or restore clock has breached. */
  breached?: boolean;
  /** Only those whose row (the projection of every change) was last written before this instant. */
  updatedBefore?: string;
  /** Only those whose restore is due at or after / before these instants (a paused clock has none). */
  restoreDueAfter?: string;
  restoreDueBefore?: string;
  /** `opened`: newest first (the default); `restoreDue`: soonest restore-breach first, the paused and unknown last. */
  sort?: 'opened' | 'restoreDue';
  limit: number;
  offset: number;
}

/** An incident without its timeline, with the due instants its last projection stored. */
export type IncidentSummary = Omit<IncidentState, 'timeline'> & { due: IncidentDue };
export interface IncidentDue {
  responseDueAt: string | null;
  restoreDueAt: string | null;
  paused: boolean;
}

export async function listIncidents(pool: Pool, f: IncidentFilter): Promise<{ items: IncidentSummary[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.status) add('status = ?', f.status);
  if (f.severity) add('severity = ?', f.severity);
  if (f.system) add('system = ?', f.system);
  if (f.center) add('center = ?', f.center);
  if (f.open) where.push(`status NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED')`);
  if (f.assignee === null) where.push('assignee IS NULL');
  else if (f.assignee !== undefined) add('assignee = ?', f.assignee);
  if (f.breached) where.push(`(coalesce((sla->'breached'->>'response')::boolean, false) OR coalesce((sla->'breached'->>'restore')::boolean, false))`);
  if (f.updatedBefore) add('updated_at < ?', f.updatedBefore);
  if (f.restoreDueAfter) add('restore_due_at >= ?', f.restoreDueAfter);
  if (f.restoreDueBefore) add('restore_due_at < ?', f.restoreDueBefore);
  if (f.q) {
    const terms = searchTerms(f.q);
    // A q with no searchable term ("?", a lone Latin letter) matches nothing; `@> '{}'` would match every row.
    if (terms.length === 0) where.push('false');
    else add('search_terms @> ?::text[]', terms);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await pool.query(`SELECT count(*)::int AS n FROM incidents ${clause}`, params);
  const { rows } = await pool.query<IncidentRow>(
    `SELECT * FROM incidents ${clause} ORDER BY ${f.sort === 'restoreDue' ? 'clock_paused, restore_due_at ASC NULLS LAST, id' : 'opened_at DESC, id DESC'}
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { items: rows.map(summaryOf), total: total.rows[0].n };
}

/** Past incidents sharing the most search terms with this one (Jaccard over terms), best first. */
export async function findSimilarIncidents(pool: Pool, id: string, limit: number): Promise<Array<IncidentSummary & { similarity: number }> | null> {
  const self = await pool.query<{ search_terms: string[] }>('SELECT search_terms FROM incidents WHERE id = $1', [id]);
  if (!self.rows[0]) return null;
  const terms = self.rows[0].search_terms;
  const { rows } = await pool.query<IncidentRow & { similarity: number }>(
    `SELECT i.*, shared::float / (cardinality(i.search_terms) + $3 - shared) AS similarity
       FROM incidents i,
            LATERAL (SELECT count(*)::int AS shared FROM unnest(i.search_terms) t WHERE t = ANY($2::text[])) s
      WHERE i.id <> $1 AND i.search_terms && $2::text[]
      ORDER BY similarity DESC, i.opened_at DESC
      LIMIT $4`,
    [id, terms, terms.length, limit],
  );
  return rows.map((r) => ({ ...summaryOf(r), similarity: Math.round(r.similarity * 1000) / 1000 }));
}

function summaryOf(row: IncidentRow): IncidentSummary {
  const { timeline: _timeline, ...rest } = toState(row, []);
  const due = { responseDueAt: row.response_due_at?.toISOString() ?? null, restoreDueAt: row.restore_due_at?.toISOString() ?? null, paused: row.clock_paused };
  return { ...rest, due };
}

function toState(row: IncidentRow, timeline: TimelineEvent[]): IncidentState {
  const [role, ...idParts] = row.opened_by.split(':');
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    complexity: row.complexity,
    system: row.system,
    ...(row.center ? { center: row.center } : {}),
    source: row.source,
    status: row.status,
    level: row.level,
    assignee: row.assignee,
    openedAt: row.opened_at.toISOString(),
    openedBy: { role: role as IncidentState['openedBy']['role'], id: idParts.join(':') },
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    pendReason: row.sla.pendReason,
    sla: row.sla.snapshot,
    warnings: row.sla.warnings,
    breached: row.sla.breached,
    timeline,
    rca: row.rca ?? null,
    reports: row.reports ?? [],
  };
}

/** The incident's severity from the read model; null when the incident has no row (yet). Any client: the notify activity asks on the connection it already holds. */
export async function incidentSeverity(db: Pick<Pool, 'query'>, id: string): Promise<string | null> {
  const { rows } = await db.query<{ severity: string }>(`SELECT severity FROM incidents WHERE id = $1`, [id]);
  return rows[0]?.severity ?? null;
}
