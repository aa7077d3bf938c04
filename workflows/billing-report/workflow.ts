import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { BillingReportState, BillingReportWorkflowInput } from '../../domain/billing/billing-report';
import { previousMonth } from '../../domain/report/periods';
import { DATABASE_STEP, READ_MODEL, REPORT_RENDERING } from '../activity-options';
import { describeFailure } from '../failures';
import { deliverWhenApproved, setReviewHandlers } from '../review';
import { scheduledTime } from '../scheduled-time';
import { billingReportApproveUpdate, billingReportReturnUpdate, billingReportStartedUpdate, billingReportStateQuery } from './messages';
import { createBillingReportNotices } from './notices';

/**
 * The savings proposals: a database hiccup retries briefly; what still fails is noted in the
 * report (the bills' analysis stands without them) rather than holding the report up.
 */
const SAVINGS_STEP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
};

const { projectBillingReport } = proxyActivities<Activities>(READ_MODEL);
const { beginBillingReport, gatherBillingReportData } = proxyActivities<Activities>(DATABASE_STEP);
const { collectBillingReportSavings } = proxyActivities<Activities>(SAVINGS_STEP);
const { renderBillingReport } = proxyActivities<Activities>(REPORT_RENDERING);

/**
 * The monthly line cost analysis (회선 요금 분석, domain.md process 8: "a monthly cost report goes to
 * the customer"): the month's carrier bills by center and carrier, twelve months of trend, the
 * reconciliation's findings and the disputes, the savings proposals; the SPM approves it for the
 * customer or sends it back, as with the QSR.
 * RUNNING → AWAITING_REVIEW → DELIVERED | RETURNED; FAILED if it cannot finish.
 */
export async function billingReportWorkflow(input: BillingReportWorkflowInput): Promise<BillingReportState> {
  const now = () => new Date().toISOString();
  const startedAt = now();
  const state: BillingReportState = {
    id: input.id ?? '',
    month: input.month ?? previousMonth(scheduledTime() ?? startedAt),
    locale: input.locale ?? 'ko',
    status: 'RUNNING',
    requestedBy: input.requestedBy,
    startedAt,
    updatedAt: startedAt,
    figures: null,
    savings: null,
    report: null,
    review: null,
    deliveredAt: null,
    failure: null,
    notes: [],
  };
  let version = 0;
  const project = async () => {
    state.updatedAt = now();
    await projectBillingReport({ state, version: ++version, workflowId: workflowInfo().workflowId });
  };
  let reportVersion = 0;
  const render = async () => {
    state.report = await renderBillingReport({ state, version: ++reportVersion, locale: state.locale, documentDate: now() });
  };

  let projected = false;
  setHandler(billingReportStateQuery, () => state);
  setHandler(billingReportStartedUpdate, async () => {
    await condition(() => projected);
    return state;
  });
  setReviewHandlers(state, { approve: billingReportApproveUpdate, return: billingReportReturnUpdate }, { now });

  try {
    const { id } = await beginBillingReport({ workflowId: workflowInfo().workflowId, id: input.id });
    state.id = id;
    await project();
    projected = true;
    const notices = createBillingReportNotices(state);

    state.figures = await gatherBillingReportData({ reportId: state.id, month: state.month });
    try {
      state.savings = await collectBillingReportSavings({ reportId: state.id, month: state.month });
    } catch (err) {
      const { type, cause } = describeFailure('collect savings proposals', err);
      state.notes.push(`the savings proposals were not available (${type}: ${cause}); the report goes without them`);
    }
    await render();
    state.status = 'AWAITING_REVIEW';
    await project();
    notices.reviewRequested();

    await deliverWhenApproved(state, notices.notifier, now, notices.delivery());
    await project();
    await notices.settled();
    return state;
  } catch (err) {
    const failure = describeFailure('billing report', err);
    Object.assign(state, { status: 'FAILED', failure: `${failure.type}: ${failure.cause}` });
    await project();
    throw ApplicationFailure.create({ type: 'BillingReportFailed', message: state.failure!, nonRetryable: true });
  }
}
