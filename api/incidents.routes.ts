import { z } from 'zod';
import { findSimilarIncidents, listIncidents } from '../db/incidents.repo';
import { NotFoundError } from '../domain/errors';
import {
  actionRoles,
  INCIDENT_ACTIONS,
  IncidentStatus,
  ManagedSystem,
  OpenIncidentRequest,
  PublishReportRequest,
  RcaRequest,
  type IncidentAction,
} from '../domain/incident/contracts';
import { Severity } from '../domain/sla/model';
import type { Role } from '../domain/actor';
import { IncidentListItem, IncidentView, incidentListItem } from '../domain/incident/view';
import { getIncident, incidentReportUpdate, openIncident, transitionIncident, type IncidentServiceDeps } from './incident-service';
import { PDF_SUCCESS, ReportPdfQuery, sendReportPdf } from './report-pdf';
import { ALL_ROLES, route, type AnyRoute } from './route';
import { InstantParam } from './instant-param';
import { ID_PREFIX, idParams } from '../domain/ids';

const IdParams = idParams(ID_PREFIX.incident, 'an incident');

const ListQuery = z
  .object({
    status: IncidentStatus.optional(),
    severity: Severity.optional(),
    system: ManagedSystem.optional(),
    center: z.string().max(100).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    /** The queue's views: open ones only, assigned to someone (or `-`: to nobody), breached. */
    open: z.enum(['true', 'false']).optional(),
    assignee: z.string().trim().min(1).max(100).optional(),
    breached: z.enum(['true', 'false']).optional(),
    /** Only those whose record has not changed since this instant (the queue's "not updated in 24 h"). */
    updatedBefore: InstantParam.optional(),
    /** Only those whose restore is due in [restoreDueAfter, restoreDueBefore) (the queue's "at risk": the next 30 minutes; paused clocks have no due instant). */
    restoreDueAfter: InstantParam.optional(),
    restoreDueBefore: InstantParam.optional(),
    /** `restoreDue`: soonest restore-breach first (the queue), the paused and unknown last; `opened` (default): newest first. */
    sort: z.enum(['opened', 'restoreDue']).default('opened'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    // Beyond this PostgreSQL's bigint OFFSET overflows (a 500); no list is that long.
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

const DetailQuery = z.object({ explain: z.enum(['true', 'false']).optional() }).strict();

/** Who may move an incident: the people who run incidents, and automation (monitoring). */
const OPERATORS = ['admin', 'spm', 'engineer', 'automation'] as const;

/** The SPM owns what the customer receives. */
const REPORT_PUBLISHERS = ['admin', 'spm'] as const;

/** Who may take an action: the operators, unless INCIDENT_ACTIONS names fewer. */
function rolesFor(action: IncidentAction): readonly Role[] {
  return actionRoles(action) ?? OPERATORS;
}

export function incidentRoutes(deps: IncidentServiceDeps): AnyRoute[] {
  const actionRoutes = (Object.keys(INCIDENT_ACTIONS) as IncidentAction[]).map((action) =>
    route({
      method: 'post',
      path: `/api/v1/incidents/:id/${action}`,
      summary: `${action} an incident (allowed from ${INCIDENT_ACTIONS[action].from.join(', ')})`,
      tag: 'incidents',
      roles: rolesFor(action),
      params: IdParams,
      body: INCIDENT_ACTIONS[action].body as z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>,
      success: { status: 200, description: 'the incident after the transition', schema: IncidentView },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => transitionIncident(deps, params.id, action, body as never, actor, idempotencyKey),
    }),
  );

  return [
    route({
      method: 'post',
      path: '/api/v1/incidents',
      summary: 'Open an incident; an Idempotency-Key header makes a retried POST return the same incident',
      tag: 'incidents',
      roles: OPERATORS,
      body: OpenIncidentRequest,
      success: { status: 201, description: 'the new incident with its SLA due instants', schema: IncidentView },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => openIncident(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/incidents',
      summary:
        'List and search incidents (q matches words and Korean character bigrams); open, assignee (- for nobody) and breached narrow it, sort=restoreDue orders by time to restore-breach',
      tag: 'incidents',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(IncidentListItem), total: z.number().int() }) },
      handle: async ({ query }) => {
        const { open, assignee, breached, ...rest } = query;
        const { items, total } = await listIncidents(deps.pool, {
          ...rest,
          open: open === 'true',
          breached: breached === 'true',
          ...(assignee === undefined ? {} : { assignee: assignee === '-' ? null : assignee }),
        });
        return { items: items.map(incidentListItem), total };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/incidents/:id',
      summary: 'One incident with its SLA clocks and timeline (explain=true adds the counted intervals)',
      tag: 'incidents',
      roles: ALL_ROLES,
      params: IdParams,
      query: DetailQuery,
      success: { status: 200, schema: IncidentView },
      handle: ({ params, query }) => getIncident(deps, params.id, query.explain === 'true'),
    }),
    route({
      method: 'get',
      path: '/api/v1/incidents/:id/similar',
      summary: 'Past incidents most similar in title and description',
      tag: 'incidents',
      roles: ALL_ROLES,
      params: IdParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict(),
      success: { status: 200, schema: z.object({ items: z.array(IncidentListItem.extend({ similarity: z.number() })) }) },
      handle: async ({ params, query }) => {
        const items = await findSimilarIncidents(deps.pool, params.id, query.limit);
        if (!items) throw new NotFoundError('incident', params.id);
        return { items: items.map((i) => ({ ...incidentListItem(i), similarity: i.similarity })) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/incidents/:id/rca',
      summary: 'Record or revise the root-cause analysis: cause, actions taken, prevention items with owner and due date',
      tag: 'incidents',
      roles: OPERATORS,
      params: IdParams,
      body: RcaRequest,
      success: { status: 200, description: 'the incident with its RCA', schema: IncidentView },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => incidentReportUpdate(deps, params.id, 'rca', body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/incidents/:id/report/publish',
      summary: 'Render the incident report (timeline, SLA result, RCA), store it and e-mail it to the customer contact',
      tag: 'incidents',
      roles: REPORT_PUBLISHERS,
      params: IdParams,
      body: PublishReportRequest,
      success: { status: 200, description: 'the incident; its `reports` lists what was published', schema: IncidentView },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => incidentReportUpdate(deps, params.id, 'publishReport', body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/incidents/:id/report.pdf',
      summary: 'The published incident report (the newest, or ?version=n)',
      tag: 'incidents',
      roles: ALL_ROLES,
      params: IdParams,
      query: ReportPdfQuery,
      success: PDF_SUCCESS,
      handle: ({ params, query, res }) => sendReportPdf(deps.pool, res, params.id, query.version),
    }),
    ...actionRoutes,
  ];
}
