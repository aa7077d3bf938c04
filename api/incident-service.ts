import { createHash } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { findIncident } from '../db/incidents.repo';
import { currentSlaSnapshot } from '../db/sla.repo';
import { ConflictError, InvalidTransitionError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import {
  INCIDENT_ACTIONS,
  type Actor,
  type IncidentAction,
  type IncidentState,
  type IncidentWorkflowInput,
  type OpenIncidentRequest,
  type TransitionRequest,
} from '../domain/incident/contracts';
import { isTerminal } from '../domain/incident/lifecycle';
import { incidentView, type IncidentView } from '../domain/incident/view';
import { incidentOpenedUpdate, incidentStateQuery, incidentUpdates, incidentWorkflowId } from '../workflows/incident/messages';
import type { incidentWorkflow } from '../workflows/incident/workflow';

/** What the incident routes do, between HTTP and Temporal/PostgreSQL. */

export interface IncidentServiceDeps {
  pool: Pool;
  client: Client;
  taskQueue: string;
  now?: () => Date;
  /** How long an HTTP caller waits for Temporal before a 503 (default 15 s). */
  requestDeadlineMs?: number;
}

export async function openIncident(
  deps: IncidentServiceDeps,
  request: OpenIncidentRequest,
  actor: Actor,
  idempotencyKey?: string,
): Promise<IncidentView> {
  const [id, sla] = await Promise.all([
    allocateIncidentId(deps.pool, request, idempotencyKey),
    currentSlaSnapshot(deps.pool, request.severity, request.complexity),
  ]);
  if (!sla) throw new ConflictError(`no SLA policy for ${request.severity}/${request.complexity}; an admin must define one`);
  const now = (deps.now ?? (() => new Date()))();
  const input: IncidentWorkflowInput = { ...request, id, openedBy: actor, openedAt: now.toISOString(), sla };
  const workflowId = incidentWorkflowId(id);
  try {
    const state = await withinDeadline(deps, () => deps.client.workflow.executeUpdateWithStart(incidentOpenedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        // A retried POST (same Idempotency-Key) lands on the incident the first one started.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    }));
    return incidentView(state, now.toISOString());
  } catch (err) {
    // The incident already finished (a very late retry): answer from the read model.
    const stored = await findIncident(deps.pool, id);
    if (stored) return incidentView(stored, now.toISOString());
    throw unavailable('the incident was not confirmed in time; retry with the same Idempotency-Key', err);
  }
}

/** An incident id per request; with an Idempotency-Key, the same id for the same key and body. */
async function allocateIncidentId(pool: Pool, request: OpenIncidentRequest, key?: string): Promise<string> {
  const next = async () => {
    const { rows } = await pool.query<{ n: string }>(`SELECT nextval('incident_number_seq') AS n`);
    return `INC-${String(rows[0].n).padStart(6, '0')}`;
  };
  if (!key) return next();
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const candidate = await next();
  await pool.query(
    `INSERT INTO idempotency_keys (scope, key, resource_id, request_hash) VALUES ('incident', $1, $2, $3) ON CONFLICT DO NOTHING`,
    [key, candidate, requestHash],
  );
  const { rows } = await pool.query(`SELECT resource_id, request_hash FROM idempotency_keys WHERE scope = 'incident' AND key = $1`, [key]);
  if (rows[0].request_hash !== requestHash) {
    throw new ConflictError('this Idempotency-Key was used before with a different request body');
  }
  return rows[0].resource_id;
}

export async function transitionIncident(
  deps: IncidentServiceDeps,
  id: string,
  action: IncidentAction,
  body: TransitionRequest['body'],
  actor: Actor,
): Promise<IncidentView> {
  const handle = deps.client.workflow.getHandle(incidentWorkflowId(id));
  try {
    const state = await withinDeadline(deps, () => handle.executeUpdate(incidentUpdates[action], { args: [{ action, body, actor }] }));
    return incidentView(state, nowIso(deps));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const failure = err.cause;
      const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
      if (failure.type === 'InvalidTransition') {
        throw new InvalidTransitionError(failure.message, details as InvalidTransitionError['details']);
      }
      if (failure.type === 'Validation') throw new ValidationError(failure.details?.[0] as ValidationError['issues']);
    }
    if (isGone(err)) {
      const stored = await findIncident(deps.pool, id);
      if (!stored) throw new NotFoundError('incident', id);
      if (isTerminal(stored.status)) {
        // The same details the workflow's validator gives, so callers see one shape either way.
        throw new InvalidTransitionError(`cannot ${action} an incident that is ${stored.status}`, {
          action,
          status: stored.status,
          allowedFrom: INCIDENT_ACTIONS[action].from,
        });
      }
    }
    throw unavailable(`could not ${action} incident ${id}`, err);
  }
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
 * An HTTP caller gets an answer within this time even if Temporal or the read
 * model is stuck; the work itself carries on, and a retry finds it.
 */
const REQUEST_DEADLINE_MS = 15_000;

function withinDeadline<T>(deps: IncidentServiceDeps, fn: () => Promise<T>): Promise<T> {
  return deps.client.withDeadline(Date.now() + (deps.requestDeadlineMs ?? REQUEST_DEADLINE_MS), fn);
}

function isGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  // Updates to a closed run come back as gRPC NOT_FOUND ("workflow execution already completed").
  return isGrpcServiceError(err) && err.code === 5;
}

function unavailable(message: string, cause: unknown): UnavailableError {
  // The cause is logged by the error handler, never shown to the caller.
  return new UnavailableError(message, { cause });
}

function nowIso(deps: IncidentServiceDeps): string {
  return (deps.now ?? (() => new Date()))().toISOString();
}
