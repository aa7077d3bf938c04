import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { replayHistories, type HistorySource } from '../../runtime/replay';
import { count, emptyResult, type CheckResult } from './violation';

type History = temporal.api.history.v1.IHistory;

export interface FetchedHistory {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  history: History;
}

/** Every run Temporal knows of, with its history as it stands now. */
export async function fetchAllHistories(client: Client): Promise<FetchedHistory[]> {
  const runs: FetchedHistory[] = [];
  for await (const run of client.workflow.list()) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    runs.push({ workflowId: run.workflowId, runId: run.runId, type: run.type, status: run.status.name, history });
  }
  return runs;
}

/** temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED (the proto package is not a direct dependency). */
const TASK_FAILED = 9;

/** A WorkflowTaskFailed event means the worker could not run the workflow's code: non-determinism, a bug, a lost update. */
export function checkNoWorkflowTaskFailed(runs: ReadonlyArray<Pick<FetchedHistory, 'workflowId' | 'runId' | 'history'>>, evidenceDir?: string): CheckResult {
  const result = emptyResult();
  for (const run of runs) {
    count(result, 'no-workflow-task-failed');
    for (const event of run.history.events ?? []) {
      const type = event.eventType as unknown;
      if (type !== TASK_FAILED && type !== 'EVENT_TYPE_WORKFLOW_TASK_FAILED' && type !== 'WorkflowTaskFailed' && !event.workflowTaskFailedEventAttributes)
        continue;
      const attrs = event.workflowTaskFailedEventAttributes;
      const cause = attrs?.cause !== undefined && attrs?.cause !== null ? causeName(attrs.cause) : 'unknown cause';
      const message = (attrs?.failure?.message ?? '').replace(/\s+/g, ' ').slice(0, 400);
      const saved = evidenceDir ? ` (history: ${saveHistory(evidenceDir, run)})` : '';
      result.violations.push({
        invariant: 'no-workflow-task-failed',
        subject: run.workflowId,
        detail: `run ${run.runId}: event #${String(event.eventId)} WorkflowTaskFailed (${cause}): ${message}${saved}`,
      });
    }
  }
  return result;
}

/** The causes worth naming (temporal.api.enums.v1.WorkflowTaskFailedCause); others by number. */
const CAUSES: Record<number, string> = {
  1: 'UNHANDLED_COMMAND',
  14: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
  24: 'NON_DETERMINISTIC_ERROR',
  30: 'BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE',
  31: 'UNHANDLED_UPDATE',
};

function causeName(cause: unknown): string {
  if (typeof cause === 'string') return cause.replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '');
  return CAUSES[cause as number] ?? `cause ${String(cause)}`;
}

/** Every history replays with the current workflow code (the production bundle). */
export async function checkReplay(runs: readonly FetchedHistory[], workflowBundle: WorkflowBundleWithSourceMap, evidenceDir?: string): Promise<CheckResult> {
  const result = emptyResult();
  const sources: HistorySource[] = runs.map((r) => ({
    workflowId: r.workflowId,
    runId: r.runId,
    origin: `temporal ${r.type} ${r.status}`,
    history: r.history,
  }));
  for await (const outcome of replayHistories(sources, { workflowBundle })) {
    count(result, 'replay');
    if (outcome.verdict !== 'ok') {
      const run = runs.find((r) => r.workflowId === outcome.workflowId && r.runId === outcome.runId);
      const saved = run && evidenceDir ? saveHistory(evidenceDir, run) : undefined;
      result.violations.push({
        invariant: 'replay',
        subject: outcome.workflowId,
        detail: `run ${outcome.runId ?? '?'} (${outcome.origin}): ${outcome.verdict.toUpperCase()}: ${outcome.reason ?? ''}${saved ? ` (history: ${saved})` : ''}`,
      });
    }
  }
  return result;
}

/** The history as the CLI/UI export it, so `npm run replay -- <file>` checks it again. */
export function saveHistory(dir: string, run: Pick<FetchedHistory, 'workflowId' | 'runId' | 'history'>): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${run.workflowId}-${run.runId}.json`);
  writeFileSync(file, historyToJSON(run.history));
  return file;
}
