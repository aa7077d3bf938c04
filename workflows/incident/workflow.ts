import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { REPORT_RENDERING } from '../activity-options';
import { PATCHES } from '../patches';
import { readModel } from '../projection';
import { appliedUpdates } from '../applied-updates';
import { historyIsLong } from '../handover';
import { rejectUnlessValid } from '../validators';
import {
  DEFAULT_HISTORY_LIMITS,
  INCIDENT_ACTIONS,
  type IncidentAction,
  type IncidentState,
  type IncidentUpdateOutcome,
  type IncidentWorkflowInput,
  type TimelineEvent,
  type TransitionRequest,
} from '../../domain/incident/contracts';
import { SYSTEM_ACTOR } from '../../domain/actor';
import {
  applyTransition,
  canEscalate,
  checkAlert,
  checkTransition,
  escalate,
  isTerminal,
  latestSpmNote,
  openIncident,
  record,
  recordAlert,
  updateOutcome,
} from '../../domain/incident/lifecycle';
import { nextDeadline, type Deadline } from './deadlines';
import { createIncidentNotices } from './notices';
import { checkPublish, checkRca, nextReportVersion, recordPublication, recordRca } from '../../domain/incident/rca';
import { incidentAlertUpdate, incidentOpenedUpdate, incidentPublishReportUpdate, incidentRcaUpdate, incidentStateQuery, incidentUpdates } from './messages';

const projectIncident = readModel('projectIncident');

const { renderIncidentReport } = proxyActivities<Activities>(REPORT_RENDERING);

/**
 * One incident, from OPEN to CLOSED or CANCELLED (domain.md, process 1).
 * People move it with Updates; the workflow itself keeps the SLA clocks,
 * warns at 50/75/90 %, escalates on breach, sends P1/P2 status reports and
 * closes a resolved incident when nobody reopens it in time. A long-lived
 * incident continues as new with its whole state: nothing visible changes.
 */
export async function incidentWorkflow(input: IncidentWorkflowInput): Promise<IncidentState> {
  const carried = input.continued;
  const incident = carried ? carried.state : openIncident(input);
  const limits = input.limits ?? DEFAULT_HISTORY_LIMITS;
  const applied = appliedUpdates(carried?.appliedUpdateIds);
  let changes = 0;
  let updatesThisRun = 0;

  const now = () => new Date().toISOString();
  const project = () => projectIncident(incident);
  const notices = createIncidentNotices(incident, now);
  /** Every Update starts here: counted for the run's limit; one applied by an earlier run (a retried key) is answered, not applied again. */
  const beginUpdate = (): boolean => {
    updatesThisRun++;
    if (applied.seenBefore()) return false;
    applied.remember();
    return true;
  };
  const outcome = (event: TimelineEvent | null): IncidentUpdateOutcome => updateOutcome(incident, event);

  // Versions handed to publications still rendering: two publications at once must not share one.
  let lastReportVersion = carried?.lastReportVersion ?? 0;

  let projectedOnce = false;
  setHandler(incidentStateQuery, () => incident);
  setHandler(incidentOpenedUpdate, async () => {
    await condition(() => projectedOnce);
    return outcome(incident.timeline[0] ?? null);
  });
  for (const action of Object.keys(INCIDENT_ACTIONS) as IncidentAction[]) {
    setHandler(
      incidentUpdates[action],
      async (request: TransitionRequest) => {
        if (!beginUpdate()) return outcome(null);
        const event = applyTransition(incident, { ...request, action }, now());
        changes++;
        await project();
        if (event.type === 'resolved') {
          notices.resolved(event, request.actor.id);
        }
        if (event.type === 'escalated') notices.escalated(event);
        return outcome(event);
      },
      { validator: (request: TransitionRequest) => applied.seenBefore() || rejectIfInvalid(incident, { ...request, action }) },
    );
  }

  setHandler(
    incidentAlertUpdate,
    async ({ alert, autoResolve, actor }) => {
      if (!beginUpdate()) return outcome(null);
      const events = recordAlert(incident, alert, autoResolve, actor, now());
      changes++;
      await project();
      const resolved = events.find((e) => e.type === 'resolved');
      if (resolved) notices.resolved(resolved, actor.id);
      return outcome(events[events.length - 1]!);
    },
    { validator: (_request: { autoResolve: boolean }) => applied.seenBefore() || rejectUnlessValid(() => checkAlert(incident)) },
  );
  setHandler(
    incidentRcaUpdate,
    async ({ body, actor }) => {
      if (!beginUpdate()) return outcome(null);
      const event = recordRca(incident, checkRca(incident, body), actor, now());
      changes++;
      await project();
      return outcome(event);
    },
    { validator: ({ body }) => applied.seenBefore() || rejectUnlessValid(() => checkRca(incident, body)) },
  );
  setHandler(
    incidentPublishReportUpdate,
    async ({ body, actor }) => {
      if (!beginUpdate()) return outcome(null);
      const { locale } = checkPublish(incident, body);
      const publishedAt = now();
      const version = Math.max(nextReportVersion(incident), lastReportVersion + 1);
      lastReportVersion = version;
      const report = await renderIncidentReport({ incident, version, locale, documentDate: publishedAt }).catch((err: unknown) => {
        // Not published: the version is free again unless a later publication took the next one meanwhile.
        if (lastReportVersion === version) lastReportVersion--;
        throw err;
      });
      const event = recordPublication(incident, {
        reportId: report.reportId,
        version: report.version,
        sha256: report.sha256,
        publishedAt,
        publishedBy: actor,
        locale,
      });
      notices.reportPublished(report, actor.id, event);
      changes++;
      await project();
      return outcome(event);
    },
    { validator: ({ body }) => applied.seenBefore() || rejectUnlessValid(() => checkPublish(incident, body)) },
  );

  await project();
  projectedOnce = true;
  if (!carried) notices.opened();

  while (!isTerminal(incident.status)) {
    const deadline = nextDeadline(incident, now(), { pauseReportsOnCustomer: patched(PATCHES.statusReportsPauseOnCustomer) });
    const waitMs = deadline ? Date.parse(deadline.at) - Date.now() : undefined;
    // Deadlines that passed while nobody was watching (a worker outage) are reached at once, in order.
    if (deadline && waitMs !== undefined && waitMs <= 0) {
      await reach(deadline);
      continue;
    }
    // Temporal refuses more than 2,000 Updates in one run: many notes hand over too.
    if (historyIsLong(PATCHES.continueAsNew, limits.events, updatesThisRun, limits.updates)) {
      // Handed over once no Update is being handled and no notice is being sent; a deadline that falls due first is reached first.
      const settled = () => allHandlersFinished() && notices.pending === 0;
      const quiet = waitMs === undefined ? (await condition(settled), true) : await condition(settled, waitMs);
      if (quiet && !isTerminal(incident.status)) await continueAsNew<typeof incidentWorkflow>(handOver());
      continue;
    }
    const seen = changes;
    const changed = await condition(() => changes !== seen, waitMs);
    if (!changed && deadline) await reach(deadline);
  }

  await condition(allHandlersFinished);
  await notices.settled();
  return incident;

  function handOver(): IncidentWorkflowInput {
    return {
      ...input,
      continued: {
        state: incident,
        fromRunId: workflowInfo().runId,
        run: (carried?.run ?? 1) + 1,
        appliedUpdateIds: applied.carry(),
        lastReportVersion,
      },
    };
  }

  async function reach(deadline: Deadline): Promise<void> {
    const at = now();
    switch (deadline.kind) {
      case 'sla': {
        const { clock, percent } = deadline;
        incident.warnings.push({ clock, percent, at: deadline.at });
        if (percent < 100) {
          const warning = record(incident, 'sla-warning', SYSTEM_ACTOR, at, { details: { clock, percent, dueAt: deadline.dueAt } });
          notices.slaWarning(clock, percent, deadline.dueAt, warning);
          break;
        }
        incident.breached[clock] = true;
        record(incident, 'sla-breached', SYSTEM_ACTOR, at, { details: { clock, dueAt: deadline.dueAt } });
        notices.slaBreached(clock, deadline.dueAt);
        if (canEscalate(incident)) {
          notices.escalated(escalate(incident, SYSTEM_ACTOR, at, { reason: `${clock} SLA breached` }));
        }
        break;
      }
      case 'status-report': {
        // The SPM's own words on where things stand since the last report, when there are any.
        const note = latestSpmNote(incident);
        const report = record(incident, 'status-report', SYSTEM_ACTOR, at, { details: { status: incident.status, level: incident.level } });
        notices.statusReport(report, note);
        break;
      }
      case 'auto-close':
        applyTransition(incident, { action: 'close', body: { note: 'closed automatically after the auto-close delay' }, actor: SYSTEM_ACTOR }, at);
        break;
    }
    changes++;
    await project();
  }
}

/** Validators must reject with an ApplicationFailure so the caller sees the type (InvalidTransition, Validation). */
function rejectIfInvalid(incident: IncidentState, request: TransitionRequest): void {
  rejectUnlessValid(() => checkTransition(incident, request));
}
