import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { refusalFor, type PreflightInput } from '../domain/preflight';
import type { preflightWorkflow } from '../workflows/preflight/workflow';
import { preflightWorkflowId } from '../workflows/preflight/messages';
import { REQUEST_DEADLINE_MS, timedOut, unavailable, withinDeadline } from './temporal-calls';

/**
 * Refuses early what cannot work (issue 13): a line or change request is checked against the
 * PBX and the CTI by the worker (workflows/preflight) before anything is stored or reserved.
 * A problem is a 409 (something taken) or 404 (something missing) naming the field; no answer
 * (no worker, a vendor down) is a 503: a request is never accepted unchecked.
 */

export interface PreflightDeps {
  client: Client;
  taskQueue: string;
  requestDeadlineMs?: number;
}

/**
 * Refuses what cannot work. `deferrableUntil` (confirmBy): the request may be accepted unchecked when
 * the check has not answered by then (a saturated or absent worker): its workflow runs the same check
 * first (a line: workflows/line/provisioning.ts). Otherwise no answer within the request's deadline is a 503.
 */
export async function refuseWhatCannotWork(
  deps: PreflightDeps,
  input: PreflightInput,
  options: { deferrableUntil?: number } = {},
): Promise<'checked' | 'deferred'> {
  const deferrable = options.deferrableUntil !== undefined;
  const deadline = deferrable ? Math.max(options.deferrableUntil! - Date.now(), 1) : (deps.requestDeadlineMs ?? REQUEST_DEADLINE_MS);
  const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32);
  let problems;
  try {
    problems = await withinDeadline({ ...deps, requestDeadlineMs: deadline }, () =>
      deps.client.workflow.execute<typeof preflightWorkflow>('preflightWorkflow', {
        workflowId: preflightWorkflowId(input.kind, digest),
        taskQueue: deps.taskQueue,
        args: [input],
        // Never left waiting for a worker: the run ends when the caller stops waiting for it.
        workflowExecutionTimeout: deadline,
        // The same request at the same moment shares the run; asked again later, it is checked anew.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }),
    );
  } catch (err) {
    // Only a check that ran out of time is deferred: a vendor failing it, or Temporal not answering, is a 503.
    if (deferrable && timedOut(err)) return 'deferred';
    throw unavailable(`the ${input.kind} request could not be checked against the PBX and the CTI now; nothing was accepted, retry later`, err);
  }
  const refusal = refusalFor(problems);
  if (refusal) throw refusal;
  return 'checked';
}
