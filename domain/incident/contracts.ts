import { z } from 'zod';
import { CalendarDate, ClockEventType, Complexity, PendReason, Severity, SlaSnapshot } from '../sla/model';
import { Actor, type Role } from '../actor';
import { ReportLocale } from '../report/contracts';
import { AlertReference } from '../monitoring/alert-reference';

/**
 * The shape of an incident, written once: the API validates requests with these
 * schemas, the workflow takes and returns these types, the tests build them.
 */

export const IncidentStatus = z.enum(['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED', 'CANCELLED']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const SupportLevel = z.enum(['L1', 'L2', 'L3']);
export type SupportLevel = z.infer<typeof SupportLevel>;

export const ManagedSystem = z.enum(['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET', 'OTHER']);
export type ManagedSystem = z.infer<typeof ManagedSystem>;

export const IncidentSource = z.enum(['monitoring', 'customer', 'internal']);
export type IncidentSource = z.infer<typeof IncidentSource>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const OpenIncidentRequest = z
  .object({
    title: text(200),
    description: text(10_000),
    severity: Severity,
    complexity: Complexity,
    system: ManagedSystem,
    center: text(100).optional(),
    source: IncidentSource,
  })
  .strict();
export type OpenIncidentRequest = z.infer<typeof OpenIncidentRequest>;

/**
 * When a run hands over to a new one (continue-as-new, for incidents that live long):
 * after how many history events or Updates. Temporal suggests it at 4,096 events and
 * refuses more than 2,000 Updates in one run.
 */
export const HistoryLimits = z.object({ events: z.number().int().min(1), updates: z.number().int().min(1) });
export type HistoryLimits = z.infer<typeof HistoryLimits>;
export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { events: 4_000, updates: 1_000 };

/**
 * What a run hands to the next one when it continues as new: the whole state (timeline,
 * SLA snapshot, warnings, so the deadlines are the same), the Update ids of
 * Idempotency-Keys already applied (a retry reaching the new run is not applied twice)
 * and the report version last handed out.
 */
export const IncidentCarryOver = z.object({
  state: z.custom<IncidentState>((v) => typeof v === 'object' && v !== null && Array.isArray((v as { timeline?: unknown }).timeline)),
  fromRunId: z.string(),
  run: z.number().int().min(2),
  appliedUpdateIds: z.array(z.string()),
  lastReportVersion: z.number().int().min(0),
});
export type IncidentCarryOver = z.infer<typeof IncidentCarryOver>;

/** What the workflow starts with: the request, who opened it, when, and the SLA it is judged by. */
export const IncidentWorkflowInput = OpenIncidentRequest.extend({
  id: z.string(),
  openedBy: Actor,
  openedAt: z.string().datetime(),
  sla: SlaSnapshot,
  limits: HistoryLimits.optional(),
  /** The alert that opened it (source "monitoring"): its labels and link shown on the opened event. */
  alert: AlertReference.optional(),
  /** The incident the same alert opened before, when this one is its recurrence. */
  similarTo: z.string().optional(),
  /** Set only on a run that continues an earlier one. */
  continued: IncidentCarryOver.optional(),
});
export type IncidentWorkflowInput = z.infer<typeof IncidentWorkflowInput>;

// ---- transitions: one request body each -------------------------------------

export const AssignRequest = z.object({ assignee: text(100), note: text(2000).optional() }).strict();
export const PendRequest = z.object({ reason: PendReason, note: text(2000).optional() }).strict();
export const ResolveRequest = z.object({ resolution: text(5000) }).strict();
export const ReopenRequest = z.object({ reason: text(2000) }).strict();
export const CancelRequest = z.object({ reason: text(2000) }).strict();
export const EscalateRequest = z.object({ reason: text(2000) }).strict();
export const NoteRequest = z.object({ text: text(5000) }).strict();
export const EmptyRequest = z.object({ note: text(2000).optional() }).strict();

/**
 * Every action the API can take on an incident, its request body, the
 * statuses it may be taken from and, where fewer than every operator may take
 * it, the roles that may. The workflow's validators and the API's routes are
 * both generated from this table. A cancellation takes a breach out of the
 * volumes, so only the SPM or an admin may cancel, with a reason, and never a
 * resolved incident (issue 17).
 */
export const INCIDENT_ACTIONS = {
  assign: { body: AssignRequest, from: ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING'] },
  start: { body: EmptyRequest, from: ['ASSIGNED'] },
  pend: { body: PendRequest, from: ['IN_PROGRESS'] },
  resume: { body: EmptyRequest, from: ['PENDING'] },
  resolve: { body: ResolveRequest, from: ['ASSIGNED', 'IN_PROGRESS', 'PENDING'] },
  reopen: { body: ReopenRequest, from: ['RESOLVED'] },
  close: { body: EmptyRequest, from: ['RESOLVED'] },
  cancel: { body: CancelRequest, from: ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING'], roles: ['admin', 'spm'] },
  escalate: { body: EscalateRequest, from: ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING'] },
  notes: { body: NoteRequest, from: ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING', 'RESOLVED'] },
} as const satisfies Record<string, { body: z.ZodTypeAny; from: readonly IncidentStatus[]; roles?: readonly Role[] }>;

export type IncidentAction = keyof typeof INCIDENT_ACTIONS;

/** The roles INCIDENT_ACTIONS restricts an action to; undefined: any operator. */
export function actionRoles(action: IncidentAction): readonly Role[] | undefined {
  return (INCIDENT_ACTIONS[action] as { roles?: readonly Role[] }).roles;
}
export const IncidentActionName = z.enum(Object.keys(INCIDENT_ACTIONS) as [IncidentAction, ...IncidentAction[]]);
export type ActionBody<A extends IncidentAction> = z.infer<(typeof INCIDENT_ACTIONS)[A]['body']>;

/** What an Update carries: the action, its body and the actor (from the API token). */
export interface TransitionRequest<A extends IncidentAction = IncidentAction> {
  action: A;
  body: ActionBody<A>;
  actor: Actor;
}

// ---- root-cause analysis and the incident report ---------------------------------

export const PreventionItem = z.object({ item: text(1000), owner: text(100), dueDate: CalendarDate }).strict();
export type PreventionItem = z.infer<typeof PreventionItem>;

/** The RCA (근본 원인 분석): cause, actions taken, and the recurrence-prevention plan. */
export const RcaRequest = z
  .object({
    cause: text(10_000),
    actions: text(10_000),
    prevention: z.array(PreventionItem).min(1).max(50),
  })
  .strict();
export type RcaRequest = z.infer<typeof RcaRequest>;

export interface Rca extends RcaRequest {
  recordedBy: Actor;
  recordedAt: string;
  /** 1 for the first RCA; each later revision counts up. */
  revision: number;
}

export const PublishReportRequest = z.object({ locale: ReportLocale.default('ko'), note: text(2000).optional() }).strict();
export type PublishReportRequest = z.infer<typeof PublishReportRequest>;

export interface PublishedReport {
  reportId: string;
  version: number;
  sha256: string;
  publishedAt: string;
  publishedBy: Actor;
  locale: ReportLocale;
}

// ---- timeline and state -------------------------------------------------------

/** Every clock event, plus what happens to an incident without moving its clocks. */
export const TimelineEventType = z.enum([
  ...ClockEventType.options,
  'escalated',
  'note',
  'sla-warning',
  'sla-breached',
  'status-report',
  'rca-recorded',
  'report-published',
  /** A monitoring alert on an incident it opened: fired again or resolved (details: the AlertReference). */
  'alert',
]);
export type TimelineEventType = z.infer<typeof TimelineEventType>;

export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineEventType;
  actor: Actor;
  from?: IncidentStatus;
  to?: IncidentStatus;
  details?: Record<string, unknown>;
}

export interface SlaWarning {
  clock: 'response' | 'restore';
  percent: 50 | 75 | 90 | 100;
  at: string;
}

/**
 * What an Update answers: where the incident stands and the event the Update recorded, with
 * what the SLA proof compares (clock events, breaches), but not the timeline or the holiday
 * list, so that each Update adds a few hundred bytes to the history, not the whole state.
 * The API answers with the read model, which the Update has written before it answers.
 */
export interface IncidentUpdateOutcome {
  id: string;
  status: IncidentStatus;
  level: SupportLevel;
  assignee: string | null;
  /** The event this Update recorded (none for one that was already applied). */
  event: TimelineEvent | null;
  /** Events on the timeline so far: the read model's version. */
  version: number;
  clockEvents: Array<{ type: string; at: string; reason?: 'customer' | 'vendor' }>;
  breached: { response: boolean; restore: boolean };
  breachDueAt: { response: string | null; restore: string | null };
}

/** The workflow's whole state: what the query returns and what the read model stores. */
export interface IncidentState {
  id: string;
  title: string;
  description: string;
  severity: z.infer<typeof Severity>;
  complexity: z.infer<typeof Complexity>;
  system: ManagedSystem;
  center?: string;
  source: z.infer<typeof IncidentSource>;
  status: IncidentStatus;
  level: SupportLevel;
  assignee: string | null;
  openedAt: string;
  openedBy: Actor;
  resolvedAt: string | null;
  closedAt: string | null;
  pendReason: z.infer<typeof PendReason> | null;
  sla: SlaSnapshot;
  warnings: SlaWarning[];
  breached: { response: boolean; restore: boolean };
  timeline: TimelineEvent[];
  /** Absent on incidents opened before RCAs existed. */
  rca?: Rca | null;
  reports?: PublishedReport[];
}
