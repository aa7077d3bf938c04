import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { INCIDENT_ACTIONS, type IncidentAction, type IncidentState, type IncidentUpdateOutcome, type TransitionRequest } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import type { AlertReference } from '../../domain/monitoring/alert-reference';
import { ALERT_UPDATE } from '../../domain/incident/lifecycle';

/**
 * The incident workflow's messages, declared once: the workflow sets their
 * handlers, the API and the tests send them. One Update per action, so the
 * history names what happened ("assign", "resolve", …). Updates answer with a
 * small IncidentUpdateOutcome; the whole state is the Query's.
 */

export const incidentStateQuery = defineQuery<IncidentState>('state');

type TransitionUpdate = ReturnType<typeof defineUpdate<IncidentUpdateOutcome, [TransitionRequest]>>;

export const incidentUpdates = Object.fromEntries(
  Object.keys(INCIDENT_ACTIONS).map((action) => [action, defineUpdate<IncidentUpdateOutcome, [TransitionRequest]>(action)]),
) as Record<IncidentAction, TransitionUpdate>;

export { incidentWorkflowId } from '../../domain/incident/workflow-id';

/**
 * Sent together with the start (update-with-start): returns once the incident
 * is in the read model, so the API's 201 means "listed and searchable".
 */
export const incidentOpenedUpdate = defineUpdate<IncidentUpdateOutcome>('opened');

/** Records (or revises) the root-cause analysis; the body is an RcaRequest, validated in the workflow. */
export const incidentRcaUpdate = defineUpdate<IncidentUpdateOutcome, [{ body: unknown; actor: Actor }]>('rca');

/** Renders the incident report, stores it and e-mails it to the customer; the body is a PublishReportRequest. */
export const incidentPublishReportUpdate = defineUpdate<IncidentUpdateOutcome, [{ body: unknown; actor: Actor }]>('publishReport');

/**
 * A monitoring alert on the incident it opened (fired again, or resolved); with `autoResolve`,
 * a resolution also resolves an incident nobody has touched (issue 15).
 */
export const incidentAlertUpdate = defineUpdate<IncidentUpdateOutcome, [{ alert: AlertReference; autoResolve: boolean; actor: Actor }]>(ALERT_UPDATE);
