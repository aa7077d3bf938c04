import type { Pool } from 'pg';
import type { QsrState } from '../domain/qsr/contracts';

/** The quarterly service reviews' read model, written by the QSR workflow's projection. */

export async function nextQsrId(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ n: string }>(`SELECT nextval('qsr_number_seq') AS n`);
  return `QSR-${rows[0]!.n.padStart(6, '0')}`;
}

export async function qsrIdOfWorkflow(pool: Pool, workflowId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM qsrs WHERE workflow_id = $1`, [workflowId]);
  return rows[0]?.id;
}

export async function saveQsr(pool: Pool, workflowId: string, state: QsrState, version: number): Promise<void> {
  await pool.query(
    `INSERT INTO qsrs (id, workflow_id, quarter, status, state, version, started_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, version = EXCLUDED.version, updated_at = now()
     WHERE qsrs.version < EXCLUDED.version`,
    [state.id, workflowId, state.quarter, state.status, JSON.stringify(state), version, state.startedAt],
  );
}

export async function getQsr(pool: Pool, id: string): Promise<{ state: QsrState; workflowId: string } | undefined> {
  const { rows } = await pool.query<{ state: QsrState; workflow_id: string }>(`SELECT state, workflow_id FROM qsrs WHERE id = $1`, [id]);
  return rows[0] && { state: rows[0].state, workflowId: rows[0].workflow_id };
}

export async function qsrsInFlight(pool: Pool, quarter: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM qsrs WHERE quarter = $1 AND status IN ('RUNNING','AWAITING_REVIEW') ORDER BY id`,
    [quarter],
  );
  return rows.map((r) => r.id);
}
