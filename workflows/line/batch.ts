import {
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  proxyActivities,
  patched,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { moveTo, record } from '../../domain/event-log';
import { batchStatusOf, countByStatus, type LineBatchLine, type LineBatchState, type LineBatchWorkflowInput } from '../../domain/line/batch';
import { ContractRequest, type LineFailure, type LineState, type LineStatus } from '../../domain/line/contracts';
import { READ_MODEL } from '../activity-options';
import { forEachBounded } from '../../domain/bounded';
import { PATCHES } from '../patches';
import { describeFailure } from '../failures';
import { rejectUnless } from '../validators';
import { lineBatchRequestedUpdate, lineBatchStateQuery, lineWorkflowId, recordBatchContractUpdate } from './messages';
import { createLineBatchNotices } from './notices';
import type { lineProvisioningWorkflow } from './provisioning';

const { projectLineBatch } = proxyActivities<Activities>(READ_MODEL);

/** Handing the contract to a line is an Update of that line's workflow: Temporal hiccups retry, a refusal is an answer. */
const { forwardLineContract } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Lines started, or handed the contract, at once. */
const CONCURRENCY = 10;

/**
 * A batch of lines for a new team (issue 13): one child provisioning workflow per
 * line, the same workflow (and workflow id) as a single line's, so each line's own
 * routes work on it and it outlives the batch (ABANDON). The batch's one contract is
 * handed to every line still waiting for one; the batch follows each line to its end
 * (ACTIVE, FAILED or CANCELLED) and ends COMPLETED, PARTIAL or FAILED, the SPM told.
 */
export async function lineProvisioningBatchWorkflow(input: LineBatchWorkflowInput): Promise<LineBatchState> {
  const now = () => new Date().toISOString();
  const batch: LineBatchState = {
    id: input.id,
    center: input.center,
    ...(input.team ? { team: input.team } : {}),
    status: 'RUNNING',
    step: 'starting the lines',
    lines: input.lines.map((l) => ({ lineId: l.id, dn: l.dn })),
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    history: [],
  };
  record(batch, 'requested', input.requestedBy, input.requestedAt, { lines: input.lines.length });
  if (input.contract) {
    batch.contract = { ...input.contract, recordedBy: input.requestedBy, recordedAt: input.requestedAt };
    record(batch, 'contract-recorded', input.requestedBy, input.requestedAt, { contractNo: input.contract.contractNo, carrier: input.contract.carrier });
  }
  const project = () => projectLineBatch(batch);
  const notices = createLineBatchNotices(batch);

  let projected = false;
  let linesStarted = false;
  const answerOnceLinesRun = patched(PATCHES.batchAnswersOnceLinesRun);
  setHandler(lineBatchStateQuery, () => batch);
  setHandler(lineBatchRequestedUpdate, async () => {
    await condition(() => (answerOnceLinesRun ? linesStarted : projected));
    return batch;
  });
  setHandler(
    recordBatchContractUpdate,
    async ({ body, actor }) => {
      const contract = ContractRequest.parse(body);
      batch.contract = { ...contract, recordedBy: actor, recordedAt: now() };
      record(batch, 'contract-recorded', actor, now(), { contractNo: contract.contractNo, carrier: contract.carrier });
      await project();
      return batch;
    },
    { validator: ({ body }) => rejectUnless(batch, 'recordContract', ['RUNNING'], ContractRequest, body, !batch.contract) },
  );

  await project();
  projected = true;

  // ---- one child per line; each reports its end -------------------------------------
  const ends: Array<Promise<void>> = [];
  await forEachBounded(input.lines, CONCURRENCY, async (request, i) => {
    try {
      const child = await startChild<typeof lineProvisioningWorkflow>('lineProvisioningWorkflow', {
        workflowId: lineWorkflowId(request.id),
        args: [{ ...request, requestedBy: input.requestedBy, requestedAt: input.requestedAt, timing: input.timing }],
        // A line lives on after its batch; the batch only follows it.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      ends.push(
        child.result().then(
          (line: LineState) => lineEnded(i, line.status),
          (err: unknown) => lineEnded(i, 'FAILED', failureOf(err)),
        ),
      );
    } catch (err) {
      ends.push(lineEnded(i, 'FAILED', describeFailure('start', err)));
    }
  });
  batch.step = 'provisioning the lines';
  record(batch, 'lines-started', SYSTEM_ACTOR, now(), { lines: input.lines.length });
  await project();
  linesStarted = true;

  let allEnded = false;
  void Promise.all(ends).then(() => (allEnded = true));
  let forwarded = false;
  for (;;) {
    await condition(() => allEnded || (batch.contract !== undefined && !forwarded));
    if (batch.contract && !forwarded && !allEnded) {
      forwarded = true;
      await forwardContract();
      continue;
    }
    if (allEnded) break;
  }

  moveTo(batch, batchStatusOf(batch.lines), 'every line is at rest', SYSTEM_ACTOR, now(), countByStatus(batch.lines.map((l) => l.outcome!)));
  await project();
  notices.ended();
  await condition(allHandlersFinished);
  await notices.settled();
  return batch;

  /** A line's provisioning ended: its outcome joins the batch. */
  async function lineEnded(i: number, outcome: LineStatus, failure?: LineFailure): Promise<void> {
    const line = batch.lines[i]!;
    line.outcome = outcome;
    if (failure) line.failure = failure;
    record(batch, `line-${outcome.toLowerCase()}`, SYSTEM_ACTOR, now(), { lineId: line.lineId, dn: line.dn, ...(failure ?? {}) });
    await project();
  }

  /** The batch's contract, handed to every line not yet at rest; each line's own validator decides. */
  async function forwardContract(): Promise<void> {
    const contract = batch.contract!;
    const body: ContractRequest = {
      contractNo: contract.contractNo,
      carrier: contract.carrier,
      monthlyFee: contract.monthlyFee,
      termMonths: contract.termMonths,
      signedAt: contract.signedAt,
    };
    const open = batch.lines.filter((l) => l.outcome === undefined);
    await forEachBounded(open, CONCURRENCY, async (line: LineBatchLine) => {
      const answer = await forwardLineContract({
        batchId: batch.id,
        lineId: line.lineId,
        workflowId: lineWorkflowId(line.lineId),
        contract: body,
        actor: contract.recordedBy,
      });
      line.contract = answer.recorded ? 'recorded' : (answer.reason ?? 'refused');
      record(batch, answer.recorded ? 'contract-forwarded' : 'contract-refused', SYSTEM_ACTOR, now(), {
        lineId: line.lineId,
        ...(answer.reason ? { reason: answer.reason } : {}),
      });
    });
    await project();
  }
}

/** Why a line's provisioning failed, as the line itself recorded it (the failure's details), or as Temporal tells it. */
function failureOf(err: unknown): LineFailure {
  const cause = err instanceof ChildWorkflowFailure ? err.cause : err;
  const recorded = cause instanceof ApplicationFailure ? (cause.details?.[0] as LineFailure | undefined) : undefined;
  if (recorded && typeof recorded.step === 'string' && typeof recorded.cause === 'string') return recorded;
  return describeFailure('provisioning', cause);
}
