import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, condition, patched, proxyActivities, setHandler, startChild, workflowInfo, ParentClosePolicy } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Finding, InspectionState, InspectionWorkflowInput } from '../../domain/inspection/contracts';
import { collectionFailureFinding, compareFindings } from '../../domain/inspection/rules';
import { previousMonth } from '../../domain/report/periods';
import { COLLECTOR, DATABASE_STEP, FINDING_INCIDENTS, READ_MODEL, REPORT_RENDERING } from '../activity-options';
import { PATCHES } from '../patches';
import { describeFailure } from '../failures';
import { forEachBounded } from '../../domain/bounded';
import type { incidentWorkflow } from '../incident/workflow';
import { incidentWorkflowId } from '../incident/messages';
import { deliverWhenApproved, setReviewHandlers } from '../review';
import { scheduledTime } from '../scheduled-time';
import { inspectionApproveUpdate, inspectionReturnUpdate, inspectionStartedUpdate, inspectionStateQuery } from './messages';
import { createInspectionNotices } from './notices';

const { projectInspection } = proxyActivities<Activities>(READ_MODEL);
const { beginInspection, claimFindingIncident, recordCollectorFailure } = proxyActivities<Activities>(DATABASE_STEP);
const { renderInspectionReport } = proxyActivities<Activities>(REPORT_RENDERING);
const { collectSystem, inspectSystem } = proxyActivities<Activities>(COLLECTOR);
const { openFindingIncidents } = proxyActivities<Activities>(FINDING_INCIDENTS);

const DEFAULT_CONCURRENCY = 4;
const INCIDENT_CONCURRENCY = 16;

/**
 * The monthly inspection (월간 정기점검, domain.md process 5): one collector per
 * center and system, a few at a time; readings become findings by the rules;
 * a critical finding opens an incident (once per period); the report goes to
 * the SPM for review and, approved, to the customer.
 * RUNNING → AWAITING_REVIEW → DELIVERED | RETURNED; FAILED if it cannot finish.
 *
 * The findings, thousands at a large inventory, stay in the database: activities get the
 * inspection's id and return counts (patch inspection-by-reference; runs begun before keep
 * their findings in the state).
 */
export async function inspectionWorkflow(input: InspectionWorkflowInput): Promise<InspectionState> {
  const startedAt = new Date().toISOString();
  const now = () => new Date().toISOString();
  const state: InspectionState = {
    id: input.id ?? '',
    period: input.period ?? previousMonth(scheduledTime() ?? startedAt),
    centers: input.centers ?? [],
    status: 'RUNNING',
    requestedBy: input.requestedBy,
    startedAt,
    updatedAt: startedAt,
    progress: { done: 0, total: 0 },
    collectors: [],
    findings: [],
    incidents: [],
    report: null,
    review: null,
    deliveredAt: null,
    failure: null,
  };
  const byReference = patched(PATCHES.inspectionByReference);
  let version = 0;
  const project = async () => {
    state.updatedAt = now();
    const workflowId = workflowInfo().workflowId;
    await projectInspection(byReference ? { state, version: ++version, workflowId, findingsStored: true } : { state, version: ++version, workflowId });
  };

  let projected = false;
  setHandler(inspectionStateQuery, () => state);
  setHandler(inspectionStartedUpdate, async () => {
    await condition(() => projected);
    return state;
  });
  setReviewHandlers(state, { approve: inspectionApproveUpdate, return: inspectionReturnUpdate }, { now });

  try {
    const plan = await beginInspection({ workflowId: workflowInfo().workflowId, id: input.id, period: state.period, centers: input.centers });
    Object.assign(state, { id: plan.id, centers: plan.centers });
    state.collectors = plan.targets.map((t: (typeof plan.targets)[number]) => ({ ...t, status: 'pending' as const, readings: 0 }));
    state.progress.total = plan.targets.length;
    await project();
    projected = true;
    const notices = createInspectionNotices(state);

    const asOf = now();
    let findings = 0;
    let incidents = 0;
    await forEachBounded(state.collectors, input.concurrency ?? DEFAULT_CONCURRENCY, async (collector) => {
      collector.status = 'running';
      const request = { inspectionId: state.id, period: state.period, target: { center: collector.center, system: collector.system }, asOf };
      try {
        if (byReference) {
          const counts = await inspectSystem(request);
          Object.assign(collector, { status: 'done', devices: counts.devices, readings: counts.readings, findings: counts.findings });
          findings += counts.findings;
        } else {
          const result = await collectSystem(request);
          Object.assign(collector, { status: 'done', devices: result.devices, readings: result.readings });
          state.findings.push(...result.findings);
        }
      } catch (err) {
        // One system failing is a finding of the inspection, not its failure.
        const { cause } = describeFailure(`collect ${collector.center}/${collector.system}`, err);
        Object.assign(collector, { status: 'failed', error: cause });
        if (byReference) {
          await recordCollectorFailure({ inspectionId: state.id, target: request.target, cause });
          collector.findings = 1;
          findings += 1;
        } else {
          state.findings.push(collectionFailureFinding(collector, null, cause));
        }
      }
      state.progress.done++;
      await project();
    });

    let report;
    if (byReference) {
      // The read model lists them (from the database, as the findings); the report is rendered from it.
      ({ incidents } = await openFindingIncidents({ inspectionId: state.id, period: state.period }));
      await project();
      report = await renderInspectionReport({ inspectionId: state.id, version: 1, locale: 'ko', documentDate: now() });
    } else {
      // Collectors finish in any order; the findings are listed in one.
      state.findings.sort(compareFindings);
      findings = state.findings.length;
      const critical = state.findings.filter((f) => f.severity === 'critical');
      const opened: Array<{ findingKey: string; incidentId: string }> = new Array(critical.length);
      await forEachBounded(critical, INCIDENT_CONCURRENCY, async (finding, i) => {
        opened[i] = { findingKey: finding.key, incidentId: await openIncidentFor(finding) };
      });
      state.incidents = opened;
      incidents = opened.length;
      report = await renderInspectionReport({ state, version: 1, locale: 'ko', documentDate: now() });
    }
    state.report = report;
    state.status = 'AWAITING_REVIEW';
    await project();
    notices.reviewRequested(report, { findings, incidents });

    await deliverWhenApproved(state, notices.notifier, now, notices.delivery());
    await project();
    await notices.settled();
    return state;
  } catch (err) {
    const failure = describeFailure('inspection', err);
    Object.assign(state, { status: 'FAILED', failure: `${failure.type}: ${failure.cause}` });
    await project();
    throw ApplicationFailure.create({ type: 'InspectionFailed', message: state.failure!, nonRetryable: true, cause: err instanceof Error ? err : undefined });
  }

  async function openIncidentFor(finding: Finding): Promise<string> {
    const { exists, ...incident } = await claimFindingIncident({ period: state.period, inspectionId: state.id, finding });
    if (exists) return incident.id;
    try {
      await startChild<typeof incidentWorkflow>('incidentWorkflow', {
        workflowId: incidentWorkflowId(incident.id),
        args: [incident],
        // The incident lives on after the inspection is reviewed and delivered.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      // A rerun of the period claimed the same incident: it is already open (or was, and is closed).
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return incident.id;
  }
}
