import { ApplicationFailure, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { PATCHES } from '../patches';
import type { Activities } from '../../activities';
import { ProposalsRequest, type QsrState, type QsrWorkflowInput } from '../../domain/qsr/contracts';
import { previousQuarter } from '../../domain/report/periods';
import { REVIEWABLE_FROM } from '../../domain/report/review';
import { DATABASE_STEP, READ_MODEL, REPORT_RENDERING, vendorCall } from '../activity-options';
import { describeFailure } from '../failures';
import { deliverWhenApproved, setReviewHandlers } from '../review';
import { scheduledTime } from '../scheduled-time';
import { rejectUnless } from '../validators';
import { qsrApproveUpdate, qsrProposalsUpdate, qsrReturnUpdate, qsrStartedUpdate, qsrStateQuery } from './messages';
import { createQsrNotices } from './notices';

const { projectQsr } = proxyActivities<Activities>(READ_MODEL);
const { beginQsr, computeQsrIndicators } = proxyActivities<Activities>(DATABASE_STEP);
const { importCallVolume, importTrunkUsage } = proxyActivities<Activities>(vendorCall('2 minutes'));
const { renderQsrReport } = proxyActivities<Activities>(REPORT_RENDERING);

/**
 * The quarterly service review (분기 서비스 리뷰, domain.md process 6): call
 * volume from the CTI, the SLA indicators from the incident read model, a
 * report; the SPM adds improvement proposals (each re-renders the report),
 * then approves it for the customer or sends it back.
 * RUNNING → AWAITING_REVIEW → DELIVERED | RETURNED; FAILED if it cannot finish.
 */
export async function qsrWorkflow(input: QsrWorkflowInput): Promise<QsrState> {
  const now = () => new Date().toISOString();
  const startedAt = now();
  const state: QsrState = {
    id: input.id ?? '',
    quarter: input.quarter ?? previousQuarter(scheduledTime() ?? startedAt),
    status: 'RUNNING',
    requestedBy: input.requestedBy,
    startedAt,
    updatedAt: startedAt,
    kpis: null,
    anomalies: [],
    proposals: [],
    report: null,
    review: null,
    deliveredAt: null,
    failure: null,
    notes: [],
  };
  let version = 0;
  const project = async () => {
    state.updatedAt = now();
    await projectQsr({ state, version: ++version, workflowId: workflowInfo().workflowId });
  };
  let reportVersion = 0;
  // Renders run one after another, so versions and the proposals they show stay in order.
  let rendering: Promise<void> = Promise.resolve();
  const render = () =>
    (rendering = rendering.then(async () => {
      state.report = await renderQsrReport({ state, version: ++reportVersion, locale: 'ko', documentDate: now() });
      await project();
    }));

  let projected = false;
  setHandler(qsrStateQuery, () => state);
  setHandler(qsrStartedUpdate, async () => {
    await condition(() => projected);
    return state;
  });
  const review = setReviewHandlers(
    state,
    { approve: qsrApproveUpdate, return: qsrReturnUpdate },
    {
      now,
      // The decision is taken on the report as last rendered, proposals included.
      settle: () => rendering,
      check: (action) => {
        if (action === 'approve' && state.proposals.length === 0) {
          throw ApplicationFailure.create({
            type: 'InvalidTransition',
            message: 'enter the improvement proposals (POST …/proposals) before approving the QSR',
            nonRetryable: true,
            details: [{ action, status: state.status }],
          });
        }
      },
    },
  );

  setHandler(
    qsrProposalsUpdate,
    async ({ body }) => {
      state.proposals = ProposalsRequest.parse(body).proposals;
      await render();
      return state;
    },
    { validator: ({ body }) => rejectUnless(state, 'propose improvements', REVIEWABLE_FROM, ProposalsRequest, body, review.open()) },
  );

  try {
    const { id } = await beginQsr({ workflowId: workflowInfo().workflowId, id: input.id });
    state.id = id;
    await project();
    projected = true;
    const notices = createQsrNotices(state);

    try {
      await importCallVolume({ quarter: state.quarter });
    } catch (err) {
      // The review goes on with the volume already stored (CSV uploads, earlier imports), and says so.
      const { type, cause } = describeFailure('import call volume', err);
      state.notes.push(`call volume from the CTI statistics was not available (${type}: ${cause}); the report uses uploaded and earlier data`);
    }
    if (patched(PATCHES.qsrTrunkUsage)) {
      try {
        await importTrunkUsage({ quarter: state.quarter });
      } catch (err) {
        const { type, cause } = describeFailure('import trunk usage', err);
        // The line days of the centers the CTI carries come from the CTI's statistics in the same step.
        state.notes.push(
          `the PBX's call records or the CTI's call statistics were not available (${type}: ${cause}); the trunk and line usage shown is what was stored before`,
        );
      }
    }
    Object.assign(state, await computeQsrIndicators({ quarter: state.quarter, asOf: now() }));
    await render();
    state.status = 'AWAITING_REVIEW';
    await project();
    notices.reviewRequested();

    await deliverWhenApproved(state, notices.notifier, now, notices.delivery());
    await project();
    await notices.settled();
    return state;
  } catch (err) {
    const failure = describeFailure('qsr', err);
    Object.assign(state, { status: 'FAILED', failure: `${failure.type}: ${failure.cause}` });
    await project();
    throw ApplicationFailure.create({ type: 'QsrFailed', message: state.failure!, nonRetryable: true });
  }
}
