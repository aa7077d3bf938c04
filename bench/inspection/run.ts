import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { InspectionState, InspectionWorkflowInput } from '../../domain/inspection/contracts';
import { incidentWorkflowId } from '../../workflows/incident/messages';
import { inspectionWorkflowId } from '../../workflows/inspection/messages';
import type { History } from '../line-provisioning/history-tasks';
import { sleep } from '../line-provisioning/wait';

export interface InspectionRun {
  devices: number;
  id: string;
  workflowId: string;
  /** Epoch ms: just before client.workflow.start, and when the read model was first seen AWAITING_REVIEW. */
  requestedAt: number;
  awaitingReviewAt: number;
  state: InspectionState;
  history: History;
  /** Of the incident workflows its critical findings opened, read before they are terminated. */
  incidentHistories: History[];
}

export interface RunOptions {
  taskQueue: string;
  centers: string[];
  /** Collectors at once; undefined: the workflow's default. */
  concurrency?: number;
  pollMs: number;
  timeoutMs: number;
}

const REQUESTED_BY = { id: 'bench-inspection', role: 'automation' } as const;

/**
 * One inspection, as the monthly schedule starts it: started with the client,
 * then watched in the `inspections` read model (a cheap indexed row read; a
 * 'state' query every few ms would make the worker replay and serialise the
 * whole state and slow the run it measures) until AWAITING_REVIEW. FAILED, or
 * no review state within the timeout, throws.
 */
export async function runInspection(client: Client, pool: Pool, devices: number, id: string, period: string, opts: RunOptions): Promise<InspectionRun> {
  const workflowId = inspectionWorkflowId(id);
  const input: InspectionWorkflowInput = { id, period, centers: opts.centers, requestedBy: REQUESTED_BY, concurrency: opts.concurrency };
  const requestedAt = Date.now();
  const handle = await client.workflow.start('inspectionWorkflow', { workflowId, taskQueue: opts.taskQueue, args: [input] });
  const deadline = requestedAt + opts.timeoutMs;
  for (let polls = 1; ; polls++) {
    const { rows } = await pool.query<{ status: string }>('SELECT status FROM inspections WHERE workflow_id = $1', [workflowId]);
    const status = rows[0]?.status;
    if (status === 'AWAITING_REVIEW') break;
    if (status === 'FAILED') {
      const { state } = (await pool.query<{ state: InspectionState }>('SELECT state FROM inspections WHERE workflow_id = $1', [workflowId])).rows[0]!;
      throw new Error(`inspection ${id} (${devices} devices) FAILED: ${state.failure}`);
    }
    // A workflow that ended before its first projection never shows up in the read model.
    if (polls % 40 === 0) {
      const { status: execution } = await handle.describe();
      if (execution.name !== 'RUNNING') throw new Error(`inspection ${id} (${devices} devices) ended ${execution.name} before AWAITING_REVIEW`);
    }
    if (Date.now() > deadline)
      throw new Error(`inspection ${id} (${devices} devices) not AWAITING_REVIEW within ${opts.timeoutMs / 1000} s (status ${status ?? 'not projected'})`);
    await sleep(opts.pollMs);
  }
  const awaitingReviewAt = Date.now();
  const { rows } = await pool.query<{ state: InspectionState }>('SELECT state FROM inspections WHERE workflow_id = $1', [workflowId]);
  const state = rows[0]!.state;
  const history = await handle.fetchHistory();
  const incidentHistories = await Promise.all(state.incidents.map((i) => client.workflow.getHandle(incidentWorkflowId(i.incidentId)).fetchHistory()));
  return { devices, id, workflowId, requestedAt, awaitingReviewAt, state, history, incidentHistories };
}

/**
 * Ends what the run left running, so the next size starts on an idle worker:
 * the inspection (waiting for a review nobody will give) and the incidents its
 * critical findings opened (ABANDON: they outlive their parent, with SLA timers).
 */
export async function endInspection(client: Client, run: InspectionRun): Promise<void> {
  const ids = [run.workflowId, ...run.state.incidents.map((i) => incidentWorkflowId(i.incidentId))];
  await Promise.all(
    ids.map((workflowId) =>
      client.workflow
        .getHandle(workflowId)
        .terminate('benchmark run measured')
        // Already closed (an incident that closed itself): nothing to end.
        .catch((err: unknown) => {
          if (!(err instanceof Error && err.name === 'WorkflowNotFoundError')) throw err;
        }),
    ),
  );
}
