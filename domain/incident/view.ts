import { z } from 'zod';
import { computeSla } from '../sla/clock';
import { ClockKind, Complexity, Severity, type ClockState } from '../sla/model';
import {
  INCIDENT_ACTIONS,
  IncidentActionName,
  IncidentSource,
  IncidentStatus,
  ManagedSystem,
  SupportLevel,
  TimelineEventType,
  type IncidentAction,
  type IncidentState,
} from './contracts';
import { Actor } from '../actor';
import { clockEvents } from './lifecycle';
import { publishAllowed, rcaAllowed } from './rca';
import { ReportLocale } from '../report/contracts';

const Instant = z.string().datetime();

const ClockView = z.object({
  targetSeconds: z.number().int(),
  elapsedSeconds: z.number().int(),
  dueAt: Instant.nullable(),
  running: z.boolean(),
  paused: z.boolean(),
  met: z.boolean(),
  breached: z.boolean(),
});

/** The incident as the API answers it; `incidentView` returns exactly this type, the OpenAPI document shows it. */
export const IncidentView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  severity: Severity,
  complexity: Complexity,
  system: ManagedSystem,
  center: z.string().nullable(),
  source: IncidentSource,
  status: IncidentStatus,
  level: SupportLevel,
  assignee: z.string().nullable(),
  openedAt: Instant,
  openedBy: Actor,
  resolvedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  sla: z.object({
    clock: ClockKind,
    responseDueAt: Instant.nullable(),
    restoreDueAt: Instant.nullable(),
    /** The restore clock is paused (pending on the customer). */
    paused: z.boolean(),
    breached: z.boolean(),
    warnings: z.array(
      z.object({ clock: z.enum(['response', 'restore']), percent: z.union([z.literal(50), z.literal(75), z.literal(90), z.literal(100)]), at: Instant }),
    ),
    response: ClockView,
    restore: ClockView,
    policy: z.object({
      responseTargetSeconds: z.number().int(),
      restoreTargetSeconds: z.number().int(),
      autoCloseAfterSeconds: z.number().int(),
      calendarVersion: z.string(),
      configVersion: z.number().int().optional().describe('the configuration history entry in force when it opened (GET /api/v1/config/history)'),
    }),
    /** With ?explain=true: every counted interval, pause and skipped holiday. */
    explanation: z.array(z.string()).optional(),
  }),
  /** The root-cause analysis, once recorded (absent on incidents from before RCAs existed: null). */
  rca: z
    .object({
      cause: z.string(),
      actions: z.string(),
      prevention: z.array(z.object({ item: z.string(), owner: z.string(), dueDate: z.string() })),
      recordedBy: Actor,
      recordedAt: Instant,
      revision: z.number().int(),
    })
    .nullable(),
  /** Incident reports published to the customer, oldest first. */
  reports: z.array(
    z.object({
      reportId: z.string(),
      version: z.number().int(),
      sha256: z.string(),
      publishedAt: Instant,
      publishedBy: Actor,
      locale: ReportLocale,
    }),
  ),
  /**
   * What the incident allows now: the transitions of its status (POST /api/v1/incidents/{id}/{action}),
   * `rca` (POST …/rca) and `publishReport` (POST …/report/publish). The caller's role may allow less.
   */
  actions: z.array(z.enum([...IncidentActionName.options, 'rca', 'publishReport'])),
  timeline: z.array(
    z.object({
      seq: z.number().int(),
      at: Instant,
      type: TimelineEventType,
      actor: Actor,
      from: IncidentStatus.optional(),
      to: IncidentStatus.optional(),
      details: z.record(z.unknown()).optional(),
    }),
  ),
});
export type IncidentView = z.infer<typeof IncidentView>;

/** A row of a list or search: no timeline, and of the SLA only what the read model stores. */
export const IncidentListItem = IncidentView.omit({ timeline: true, sla: true, rca: true, reports: true, actions: true }).extend({
  /** The due instants as of the incident's last projection (null for one projected before they were stored). */
  sla: IncidentView.shape.sla.pick({ clock: true, breached: true, warnings: true, responseDueAt: true, restoreDueAt: true, paused: true }),
});
export type IncidentListItem = z.infer<typeof IncidentListItem>;

export function incidentListItem(
  state: Omit<IncidentState, 'timeline'> & { due: { responseDueAt: string | null; restoreDueAt: string | null; paused: boolean } },
): IncidentListItem {
  return {
    id: state.id,
    title: state.title,
    description: state.description,
    severity: state.severity,
    complexity: state.complexity,
    system: state.system,
    center: state.center ?? null,
    source: state.source,
    status: state.status,
    level: state.level,
    assignee: state.assignee,
    openedAt: state.openedAt,
    openedBy: state.openedBy,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    sla: { clock: state.sla.clock, breached: state.breached.response || state.breached.restore, warnings: state.warnings, ...state.due },
  };
}

/** How an incident looks to the API's callers: its state plus the SLA clocks as of `now`. */
export function incidentView(state: IncidentState, now: string, options: { explain?: boolean } = {}): IncidentView {
  const sla = computeSla({ snapshot: state.sla, events: clockEvents(state), now });
  const clock = (c: ClockState) => ({
    targetSeconds: c.targetSeconds,
    elapsedSeconds: Math.round(c.elapsedSeconds),
    dueAt: c.dueAt,
    running: c.running,
    paused: c.paused,
    met: c.stopped && !c.breached,
    breached: c.breached,
  });
  const due = { responseDueAt: sla.response.dueAt, restoreDueAt: sla.restore.dueAt, paused: sla.restore.paused };
  const row = incidentListItem({ ...state, due });
  return {
    ...row,
    sla: {
      ...row.sla,
      response: clock(sla.response),
      restore: clock(sla.restore),
      policy: {
        responseTargetSeconds: state.sla.responseTargetSeconds,
        restoreTargetSeconds: state.sla.restoreTargetSeconds,
        autoCloseAfterSeconds: state.sla.autoCloseAfterSeconds,
        calendarVersion: state.sla.calendar.version,
        ...(state.sla.configVersion === undefined ? {} : { configVersion: state.sla.configVersion }),
      },
      ...(options.explain ? { explanation: sla.explanation } : {}),
    },
    rca: state.rca ?? null,
    reports: state.reports ?? [],
    actions: [
      ...actionsAllowedIn(state.status),
      ...(rcaAllowed(state) ? (['rca'] as const) : []),
      ...(publishAllowed(state) ? (['publishReport'] as const) : []),
    ],
    timeline: state.timeline,
  };
}

/** The actions INCIDENT_ACTIONS allows from a status, in its order. */
export function actionsAllowedIn(status: IncidentStatus): IncidentAction[] {
  return (Object.keys(INCIDENT_ACTIONS) as IncidentAction[]).filter((a) => (INCIDENT_ACTIONS[a].from as readonly IncidentStatus[]).includes(status));
}
