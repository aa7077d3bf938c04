import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ARCHIVER_WATERMARK_KEY, archiveHistory, isArchived } from '../db/histories.repo';
import { captureHistory } from '../adapters/temporal/history-capture';
import { readSlaCase } from '../db/sla-cases.repo';
import type { AuditSigner } from '../domain/audit/seal';

/**
 * Copies the full event history of every closed Butler workflow into PostgreSQL
 * before Temporal's retention deletes it (24 h on the dev server). Each pass lists
 * runs closed since the last pass (minus an overlap), archives those not yet
 * archived, then moves the watermark: a crash before the watermark moves only
 * means the next pass looks again, and archiving a run twice changes nothing.
 */

const OVERLAP_MS = 10 * 60_000;

export interface ArchivePass {
  seen: number;
  archived: number;
  watermark: string;
}

export function createHistoryArchiver(deps: {
  pool: Pool;
  client: Client;
  auditSigner: AuditSigner;
  log?: { error(obj: unknown, msg?: string): void; info(msg: string): void };
}) {
  const { pool, client } = deps;

  async function runOnce(): Promise<ArchivePass> {
    const watermark = await readWatermark(pool);
    const since = new Date(Date.parse(watermark) - OVERLAP_MS).toISOString();
    let newest = watermark;
    let seen = 0;
    let archived = 0;
    for await (const run of client.workflow.list({ query: `ExecutionStatus != 'Running' AND CloseTime >= '${since}'` })) {
      seen++;
      if (!run.closeTime) continue;
      if (!(await isArchived(pool, run.runId))) {
        const captured = await captureHistory(client, run.workflowId, run.runId);
        const closedAt = captured.closedAt ?? run.closeTime.toISOString();
        const stored = await archiveHistory(pool, deps.auditSigner, { ...captured, closedAt });
        if (stored) archived++;
        // A closed incident's clock case, read now while it is at hand, so the SLA what-if need not read the history again.
        if (stored && captured.workflowType === 'incidentWorkflow' && captured.status === 'COMPLETED') {
          await readSlaCase(pool, deps.auditSigner, {
            runId: run.runId,
            incidentId: captured.businessKey ?? run.workflowId,
            closedAt,
            status: captured.status,
            sha256: captured.sha256,
          }).catch((err: unknown) =>
            deps.log?.error({ err, workflowId: run.workflowId }, 'the clock case of an archived incident could not be read; the what-if reads it when asked'),
          );
        }
      }
      const closed = run.closeTime.toISOString();
      if (closed > newest) newest = closed;
    }
    await writeWatermark(pool, newest);
    return { seen, archived, watermark: newest };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  return {
    runOnce,
    /** A pass now and then every `intervalMs`, one at a time. */
    start(intervalMs: number): void {
      const tick = () => {
        running = runOnce()
          .then((pass) => pass.archived > 0 && deps.log?.info(`archived ${pass.archived} workflow histories`))
          .catch((err: unknown) => deps.log?.error({ err }, 'archiving workflow histories failed; the next pass retries'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function readWatermark(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = $1`, [ARCHIVER_WATERMARK_KEY]);
  return rows[0]?.value ?? new Date(0).toISOString();
}

async function writeWatermark(pool: Pool, at: string): Promise<void> {
  await pool.query(
    `INSERT INTO settings (key, value, updated_by) VALUES ($1, to_jsonb($2::text), 'archiver')
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = 'archiver'`,
    [ARCHIVER_WATERMARK_KEY, at],
  );
}
