import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { idForRequest } from '../db/idempotency.repo';
import { findIncident, nextIncidentId } from '../db/incidents.repo';
import { currentSlaSnapshot } from '../db/sla.repo';
import { ConflictError, InvalidTransitionError, NotFoundError } from '../domain/errors';
import {
  INCIDENT_ACTIONS,
  type IncidentAction,
  type IncidentState,
  type IncidentUpdateOutcome,
  type IncidentWorkflowInput,
  type OpenIncidentRequest,
  type TransitionRequest,
} from '../domain/incident/contracts';
import type { Actor } from '../domain/actor';
import { isTerminal } from '../domain/incident/lifecycle';
import { incidentView, type IncidentView } from '../domain/incident/view';
import type { AlertReference } from '../domain/monitoring/alert-reference';
import {
  incidentAlertUpdate,
  incidentOpenedUpdate,
  incidentPublishReportUpdate,
  incidentRcaUpdate,
  incidentStateQuery,
  incidentUpdates,
  incidentWorkflowId,
} from '../workflows/incident/messages';
import type { incidentWorkflow } from '../workflows/incident/workflow';
import { isGone, sendUpdate, unavailable, withinDeadline } from './temporal-calls';

/** What the incident routes do, between HTTP and Temporal/PostgreSQL. */

export interface IncidentServiceDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  now?: () => Date;
  /** How long an HTTP caller waits for Temporal before a 503 (default 15 s). */
  requestDeadlineMs?: number;
}

/** What monitoring adds to an incident it opens: the alert (shown on the opened event) and the earlier incident it recurs. */
export interface MonitoringOrigin {
  alert: AlertReference;
  similarTo?: string;
  /**
   * What the Idempotency-Key stands for instead of the request: the delivery. A resend of one
   * alert may carry other annotations (a new value), and must still land on the same incident.
   */
  delivery: string;
}

export async function openIncident(
  deps: IncidentServiceDeps,
  request: OpenIncidentRequest,
  actor: Actor,
  idempotencyKey?: string,
  origin?: MonitoringOrigin,
): Promise<IncidentView> {
  const { delivery, ...monitoring } = origin ?? {};
  const [id, sla] = await Promise.all([
    idForRequest(deps.pool, 'incident', delivery ? { delivery } : request, idempotencyKey, () => nextIncidentId(deps.pool)).then((r) => r.id),
    currentSlaSnapshot(deps.pool, request.severity, request.complexity),
  ]);
  if (!sla) throw new ConflictError(`no SLA policy for ${request.severity}/${request.complexity}; an admin must define one`);
  const now = (deps.now ?? (() => new Date()))();
  const input: IncidentWorkflowInput = { ...request, ...monitoring, id, openedBy: actor, openedAt: now.toISOString(), sla };
  const workflowId = incidentWorkflowId(id);
  try {
    const opened = await withinDeadline(deps, () =>
      deps.client.workflow.executeUpdateWithStart(incidentOpenedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
          workflowId,
          taskQueue: deps.taskQueue,
          args: [input],
          // A retried POST (same Idempotency-Key) lands on the incident the first one started.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      }),
    );
    return await viewAfter(deps, opened);
  } catch (err) {
    // The incident already finished (a very late retry): answer from the read model.
    const stored = await findIncident(deps.pool, id);
    if (stored) return incidentView(stored, now.toISOString());
    throw unavailable('the incident was not confirmed in time; retry with the same Idempotency-Key', err);
  }
}

export async function transitionIncident(
  deps: IncidentServiceDeps,
  id: string,
  action: IncidentAction,
  body: TransitionRequest['body'],
  actor: Actor,
  key?: string,
): Promise<IncidentView> {
  if (action === 'cancel') {
    // Once resolved, always resolved for cancelling: a reopened incident was an outage, and a cancellation would take its breach out of the volumes.
    const stored = await findIncident(deps.pool, id);
    if (stored?.timeline.some((event) => event.type === 'resolved')) {
      throw new InvalidTransitionError('cannot cancel an incident that was resolved once (reopened incidents are closed, not cancelled)', {
        action,
        status: stored.status,
      });
    }
  }
  return updateIncident(
    deps,
    { id, action, body, key, caller: actor.id },
    (handle, updateId) => handle.executeUpdate(incidentUpdates[action], { args: [{ action, body, actor }], updateId }),
    // The same details the workflow's validator gives, so callers see one shape either way.
    (status) =>
      isTerminal(status)
        ? new InvalidTransitionError(`cannot ${action} an incident that is ${status}`, { action, status, allowedFrom: INCIDENT_ACTIONS[action].from })
        : undefined,
    `could not ${action} incident ${id}`,
  );
}

/** A monitoring alert on the incident it opened (fired again, resolved); see recordAlert in the domain. */
export async function recordIncidentAlert(
  deps: IncidentServiceDeps,
  id: string,
  body: { alert: AlertReference; autoResolve: boolean },
  actor: Actor,
  key: string,
): Promise<IncidentView> {
  return updateIncident(
    deps,
    // The key stands for the delivery, whatever its annotations say on a resend (see MonitoringOrigin).
    { id, action: 'alert', body: { delivery: key }, key, caller: actor.id },
    (handle, updateId) => handle.executeUpdate(incidentAlertUpdate, { args: [{ ...body, actor }], updateId }),
    (status) => new InvalidTransitionError(`cannot record an alert on an incident that is ${status}`, { action: 'alert', status }),
    `could not record an alert on incident ${id}`,
  );
}

/** The read model first; a just-opened incident not yet projected is asked of its workflow. */
export async function getIncident(deps: IncidentServiceDeps, id: string, explain = false): Promise<IncidentView> {
  const stored = await findIncident(deps.pool, id);
  if (stored) return incidentView(stored, nowIso(deps), { explain });
  try {
    const live: IncidentState = await deps.client.workflow.getHandle(incidentWorkflowId(id)).query(incidentStateQuery);
    return incidentView(live, nowIso(deps), { explain });
  } catch (err) {
    if (isGone(err)) throw new NotFoundError('incident', id);
    throw unavailable(`could not read incident ${id}`, err);
  }
}

/**
 * The incident as an Update left it. Updates answer with a small outcome; the read model,
 * which the Update wrote before answering, has the rest (the workflow's Query should it lag).
 */
async function viewAfter(deps: IncidentServiceDeps, outcome: IncidentUpdateOutcome): Promise<IncidentView> {
  const stored = await findIncident(deps.pool, outcome.id);
  if (stored && stored.timeline.length >= outcome.version) return incidentView(stored, nowIso(deps));
  const live: IncidentState = await deps.client.workflow.getHandle(incidentWorkflowId(outcome.id)).query(incidentStateQuery);
  return incidentView(live, nowIso(deps));
}

function nowIso(deps: IncidentServiceDeps): string {
  return (deps.now ?? (() => new Date()))().toISOString();
}

/** The RCA and the incident report: Updates on the incident's workflow, which validates them. */
export async function incidentReportUpdate(
  deps: IncidentServiceDeps,
  id: string,
  which: 'rca' | 'publishReport',
  body: unknown,
  actor: Actor,
  key?: string,
): Promise<IncidentView> {
  const update = which === 'rca' ? incidentRcaUpdate : incidentPublishReportUpdate;
  return updateIncident(
    deps,
    { id, action: which, body, key, caller: actor.id },
    (handle, updateId) => handle.executeUpdate(update, { args: [{ body, actor }], updateId }),
    (status) => new InvalidTransitionError(`the incident is ${status}: its RCA and report can no longer change`, { action: which, status }),
    `could not ${which === 'rca' ? 'record the RCA of' : 'publish the report of'} incident ${id}`,
  );
}

/**
 * Sends an Update to the incident's workflow within the request deadline, once per
 * Idempotency-Key (`updateOnce`). A rejection comes back as its typed error; a workflow
 * that is gone is 404 or, when the read model says the incident closed, what `whenClosed`
 * makes of its status; anything else is 503.
 */
async function updateIncident(
  deps: IncidentServiceDeps,
  request: { id: string; action: string; body: unknown; key: string | undefined; caller: string },
  send: (handle: WorkflowHandle, updateId: string | undefined) => Promise<IncidentUpdateOutcome>,
  whenClosed: (status: IncidentState['status']) => Error | undefined,
  failing: string,
): Promise<IncidentView> {
  const { id, action, body, key, caller } = request;
  return sendUpdate(
    deps,
    { kind: 'incident', resourceId: id, action, body, key, caller },
    async (updateId) => viewAfter(deps, await send(deps.client.workflow.getHandle(incidentWorkflowId(id)), updateId)),
    async () => {
      const stored = await findIncident(deps.pool, id);
      return stored ? whenClosed(stored.status) : new NotFoundError('incident', id);
    },
    failing,
  );
}
