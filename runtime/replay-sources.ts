import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { archivedBatch } from '../db/histories.repo';
import { sha256Hex } from '../adapters/temporal/history-capture';
import type { HistorySource } from './replay';

/**
 * Where the histories runtime/replay.ts replays come from: committed fixture files,
 * the PostgreSQL archive of closed runs, or Temporal itself. Each yields one history
 * at a time, so a large archive never sits in memory whole.
 */

/** The JSON files named, a folder standing for the *.json files in it (sorted); throws naming a path that is not there. */
export function fixtureFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (!existsSync(p)) throw new Error(`no such file or folder: ${p}`);
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(p, f));
  });
}

/** A fixture's workflow id is its file name, as test/replay/record-histories.ts names them. */
export function* fixtureHistories(files: string[]): Generator<HistorySource> {
  for (const file of files) {
    const relative = path.relative(process.cwd(), file);
    const base = { workflowId: path.basename(file, '.json'), origin: relative.startsWith('..') ? path.resolve(file) : relative };
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      yield { ...base, problem: `unreadable file: ${(err as Error).message}` };
      continue;
    }
    yield { ...base, history: text };
  }
}

export interface ArchiveFilter {
  type?: string;
  /** ISO time: runs closed at or after it. */
  since?: string;
  limit?: number;
}

/**
 * Archived histories, oldest close first, read `batchSize` rows at a time. Each row's
 * hash is checked before it is replayed: a history that no longer matches the sha256
 * taken when it was archived has been altered, and fails as such.
 */
export async function* archivedHistories(pool: Pool, filter: ArchiveFilter, batchSize = 100): AsyncGenerator<HistorySource> {
  let left = filter.limit ?? Number.POSITIVE_INFINITY;
  let after: { closedAt: string; runId: string } | undefined;
  while (left > 0) {
    const take = Math.min(batchSize, left);
    const rows = await archivedBatch(pool, filter, after, take);
    for (const r of rows) {
      const base = { workflowId: r.workflow_id, runId: r.run_id, origin: 'archive' };
      yield sha256Hex(r.history) === r.sha256
        ? { ...base, history: r.history }
        : { ...base, problem: `TAMPERED: the archived history no longer matches its sha256 ${r.sha256}` };
    }
    if (rows.length < take) return;
    left -= rows.length;
    const last = rows[rows.length - 1];
    after = { closedAt: last.closed_at, runId: last.run_id };
  }
}

/** The runs a visibility query matches, each history fetched as it is reached (a running one as it stands). */
export async function* liveHistories(client: Client, query: string): AsyncGenerator<HistorySource> {
  for await (const run of client.workflow.list({ query })) {
    const base = { workflowId: run.workflowId, runId: run.runId, origin: `temporal ${run.type} ${run.status.name}` };
    let history: unknown;
    try {
      history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    } catch (err) {
      yield { ...base, problem: `history not fetched: ${(err as Error).message}` };
      continue;
    }
    yield { ...base, history };
  }
}
