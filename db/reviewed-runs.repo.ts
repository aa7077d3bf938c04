import type { Pool } from 'pg';
import type { ReviewStatus } from '../domain/report/contracts';
import { formatId, type IdPrefix } from '../domain/ids';

/**
 * The read model of a reviewed-report workflow (monthly inspection, QSR, line cost analysis): one
 * row per run, keyed by its business id, with the period it covers and the
 * workflow's whole state. Only the workflow's projection writes it, and an
 * older state never overwrites a newer one.
 */

interface RunState {
  id: string;
  status: ReviewStatus;
  startedAt: string;
}

export function reviewedRuns<S extends RunState>(spec: {
  table: 'inspections' | 'qsrs' | 'billing_reports';
  sequence: string;
  /** The id's prefix, e.g. "INS" → INS-000001. */
  prefix: IdPrefix;
  /** The column the covered period is in ("period", "quarter" or "month"), and where the state keeps it. */
  periodColumn: 'period' | 'quarter' | 'month';
  periodOf: (state: S) => string;
}) {
  const { table, periodColumn } = spec;
  return {
    async nextId(pool: Pool): Promise<string> {
      const { rows } = await pool.query<{ n: string }>(`SELECT nextval('${spec.sequence}') AS n`);
      return formatId(spec.prefix, rows[0]!.n);
    },

    async idOfWorkflow(pool: Pool, workflowId: string): Promise<string | undefined> {
      const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${table} WHERE workflow_id = $1`, [workflowId]);
      return rows[0]?.id;
    },

    async save(pool: Pool, workflowId: string, state: S, version: number): Promise<void> {
      await pool.query(
        `INSERT INTO ${table} (id, workflow_id, ${periodColumn}, status, state, version, started_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, version = EXCLUDED.version, updated_at = now()
         WHERE ${table}.version < EXCLUDED.version`,
        [state.id, workflowId, spec.periodOf(state), state.status, JSON.stringify(state), version, state.startedAt],
      );
    },

    async find(pool: Pool, id: string): Promise<{ state: S; workflowId: string } | undefined> {
      const { rows } = await pool.query<{ state: S; workflow_id: string }>(`SELECT state, workflow_id FROM ${table} WHERE id = $1`, [id]);
      return rows[0] && { state: rows[0].state, workflowId: rows[0].workflow_id };
    },

    /** Runs of `period` still running or waiting for review, oldest id first. */
    async inFlight(pool: Pool, period: string): Promise<S[]> {
      const { rows } = await pool.query<{ state: S }>(
        `SELECT state FROM ${table} WHERE ${periodColumn} = $1 AND status IN ('RUNNING','AWAITING_REVIEW') ORDER BY id`,
        [period],
      );
      return rows.map((r) => r.state);
    },
  };
}
