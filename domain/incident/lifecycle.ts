import type { z } from 'zod';
import { ClockEventType, type ClockEvent } from '../sla/model';
import { InvalidTransitionError, parseOrThrow, ValidationError } from '../errors';
import {
  INCIDENT_ACTIONS,
  type IncidentAction,
  type IncidentState,
  type IncidentStatus,
  type IncidentUpdateOutcome,
  type IncidentWorkflowInput,
  type SupportLevel,
  type TimelineEvent,
  type TimelineEventType,
  type TransitionRequest,
} from './contracts';
import type { Actor } from '../actor';
import type { AlertReference } from '../monitoring/alert-reference';

/**
 * The incident state machine as plain functions: the workflow calls them, the
 * unit tests call them, and nothing here knows about Temporal or time sources.
 */

export const TERMINAL_STATUSES: readonly IncidentStatus[] = ['CLOSED', 'CANCELLED'];
const LEVELS: readonly SupportLevel[] = ['L1', 'L2', 'L3'];

export function isTerminal(status: IncidentStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function openIncident(input: IncidentWorkflowInput): IncidentState {
  const state: IncidentState = {
    id: input.id,
    title: input.title,
    description: input.description,
    severity: input.severity,
    complexity: input.complexity,
    system: input.system,
    center: input.center,
    source: input.source,
    status: 'OPEN',
    level: 'L1',
    assignee: null,
    openedAt: input.openedAt,
    openedBy: input.openedBy,
    resolvedAt: null,
    closedAt: null,
    pendReason: null,
    sla: input.sla,
    warnings: [],
    breached: { response: false, restore: false },
    timeline: [],
  };
  const monitoring = {
    ...(input.alert ? { alert: input.alert } : {}),
    ...(input.similarTo ? { similarTo: input.similarTo } : {}),
  };
  record(state, 'opened', input.openedBy, input.openedAt, { to: 'OPEN', ...(Object.keys(monitoring).length ? { details: monitoring } : {}) });
  return state;
}

/** Throws if `request` cannot be applied now; the workflow's Update validators call this. */
export function checkTransition(state: IncidentState, request: TransitionRequest): void {
  const spec = INCIDENT_ACTIONS[request.action];
  if (!spec) throw new ValidationError([{ path: 'action', message: `unknown action ${String(request.action)}` }]);
  parseOrThrow(spec.body as z.ZodTypeAny, request.body ?? {});
  const allowedFrom = spec.from as readonly IncidentStatus[];
  if (!allowedFrom.includes(state.status)) {
    throw new InvalidTransitionError(`cannot ${request.action} an incident that is ${state.status}`, {
      action: request.action,
      status: state.status,
      allowedFrom,
    });
  }
  if (request.action === 'escalate' && state.level === 'L3') {
    throw new InvalidTransitionError('the incident is already at L3, the highest support level', {
      action: 'escalate',
      status: state.status,
    });
  }
}

/** Applies a checked transition at instant `at` and returns the timeline event it added. */
export function applyTransition(state: IncidentState, request: TransitionRequest, at: string): TimelineEvent {
  checkTransition(state, request);
  const { actor } = request;
  const body = request.body as Record<string, unknown>;
  const note = body.note === undefined ? {} : { note: body.note };
  switch (request.action as IncidentAction) {
    case 'assign': {
      state.assignee = String(body.assignee);
      return moveTo(state, state.status === 'OPEN' ? 'ASSIGNED' : state.status, 'assigned', actor, at, {
        assignee: state.assignee,
        ...note,
      });
    }
    case 'start':
      return moveTo(state, 'IN_PROGRESS', 'started', actor, at, note);
    case 'pend':
      state.pendReason = body.reason as 'customer' | 'vendor';
      return moveTo(state, 'PENDING', 'pended', actor, at, { reason: state.pendReason, ...note });
    case 'resume':
      state.pendReason = null;
      return moveTo(state, 'IN_PROGRESS', 'resumed', actor, at, note);
    case 'resolve':
      state.pendReason = null;
      state.resolvedAt = at;
      return moveTo(state, 'RESOLVED', 'resolved', actor, at, { resolution: body.resolution });
    case 'reopen':
      state.resolvedAt = null;
      return moveTo(state, 'IN_PROGRESS', 'reopened', actor, at, { reason: body.reason });
    case 'close':
      state.closedAt = at;
      return moveTo(state, 'CLOSED', 'closed', actor, at, note);
    case 'cancel':
      state.closedAt = at;
      return moveTo(state, 'CANCELLED', 'cancelled', actor, at, { reason: body.reason });
    case 'escalate':
      return escalate(state, actor, at, { reason: body.reason });
    case 'notes':
      return record(state, 'note', actor, at, { details: { text: body.text } });
  }
}

/** Statuses a resolved alert may resolve automatically: nobody has started work yet. */
const AUTO_RESOLVABLE: readonly IncidentStatus[] = ['OPEN', 'ASSIGNED'];

/** Throws unless a monitoring alert can still be written on this incident (not once it ended). */
export function checkAlert(state: IncidentState): void {
  if (isTerminal(state.status)) {
    throw new InvalidTransitionError(`cannot record an alert on an incident that is ${state.status}`, { action: 'alert', status: state.status });
  }
}

/** Only Butler and monitoring have acted on it: no person has assigned, noted or moved it. */
export function untouchedByPeople(state: IncidentState): boolean {
  return state.timeline.every((e) => e.actor.role === 'system' || e.actor.role === 'automation');
}

/**
 * A monitoring alert on the incident it opened: fired again or resolved. A resolution resolves
 * the incident too when the rule asks for it and nobody has touched it yet; the events recorded
 * come back (the alert's, then the resolution's).
 */
export function recordAlert(state: IncidentState, alert: AlertReference, autoResolve: boolean, actor: Actor, at: string): TimelineEvent[] {
  checkAlert(state);
  const events = [record(state, 'alert', actor, at, { details: { alert } })];
  if (autoResolve && alert.status === 'resolved' && AUTO_RESOLVABLE.includes(state.status) && untouchedByPeople(state)) {
    // Not the `resolve` action (which needs someone assigned): monitoring's own move, like an escalation on breach.
    state.pendReason = null;
    state.resolvedAt = at;
    const resolution = `모니터링 경보 해소로 자동 해결: ${alert.alertname || alert.ruleId}`;
    events.push(moveTo(state, 'RESOLVED', 'resolved', actor, at, { resolution, automatic: true }));
  }
  return events;
}

/** Raises the support level by one (L1→L2→L3); callers check canEscalate() first. */
export function escalate(state: IncidentState, actor: Actor, at: string, details: Record<string, unknown>): TimelineEvent {
  const next = LEVELS[LEVELS.indexOf(state.level) + 1];
  const from = state.level;
  if (next) state.level = next;
  return record(state, 'escalated', actor, at, { details: { fromLevel: from, toLevel: state.level, ...details } });
}

/**
 * What the customer's next status report quotes: the latest note an SPM wrote since the last
 * report (or reopen), so that a report carries news once and an old note is not repeated.
 */
export function latestSpmNote(state: IncidentState): string | undefined {
  for (const e of [...state.timeline].reverse()) {
    if (e.type === 'status-report' || e.type === 'reopened') return undefined;
    if (e.type === 'note' && e.actor.role === 'spm' && typeof e.details?.text === 'string') return e.details.text;
  }
  return undefined;
}

export function canEscalate(state: IncidentState): boolean {
  return state.level !== 'L3';
}

/** Appends an event to the timeline; `seq` is the event's position, which keys the read model. */
export function record(
  state: IncidentState,
  type: TimelineEventType,
  actor: Actor,
  at: string,
  extra: { from?: IncidentStatus; to?: IncidentStatus; details?: Record<string, unknown> } = {},
): TimelineEvent {
  const event: TimelineEvent = { seq: state.timeline.length + 1, at, type, actor, ...extra };
  state.timeline.push(event);
  return event;
}

function moveTo(state: IncidentState, to: IncidentStatus, type: TimelineEventType, actor: Actor, at: string, details: Record<string, unknown>): TimelineEvent {
  const from = state.status;
  state.status = to;
  return record(state, type, actor, at, { from, to, details });
}

const CLOCK_EVENT_TYPES = new Set<string>(ClockEventType.options);

/** The part of the timeline the SLA clock reads. */
export function clockEvents(state: IncidentState): ClockEvent[] {
  return state.timeline
    .filter((e) => CLOCK_EVENT_TYPES.has(e.type))
    .map((e) => ({
      at: e.at,
      type: e.type as ClockEvent['type'],
      seq: e.seq,
      ...(e.type === 'pended' ? { reason: e.details?.reason as 'customer' | 'vendor' } : {}),
    }));
}

/** When each breached clock was due, as the breach event recorded it. */
export function breachDueAt(state: IncidentState): IncidentUpdateOutcome['breachDueAt'] {
  const dueAt = (clock: 'response' | 'restore') =>
    (state.timeline.find((t) => t.type === 'sla-breached' && t.details?.clock === clock)?.details?.dueAt as string | undefined) ?? null;
  return { response: dueAt('response'), restore: dueAt('restore') };
}

/** What an Update answers (see IncidentUpdateOutcome): small, whatever the incident's age. */
export function updateOutcome(state: IncidentState, event: TimelineEvent | null): IncidentUpdateOutcome {
  return {
    id: state.id,
    status: state.status,
    level: state.level,
    assignee: state.assignee,
    event,
    version: state.timeline.length,
    clockEvents: clockEvents(state).map(({ type, at, reason }) => ({ type, at, ...(reason ? { reason } : {}) })),
    breached: { ...state.breached },
    breachDueAt: breachDueAt(state),
  };
}

/** The timeline event each action records: what the history's Updates mean on the incident's timeline. */
export const EVENT_OF_ACTION: Record<IncidentAction, TimelineEventType> = {
  assign: 'assigned',
  start: 'started',
  pend: 'pended',
  resume: 'resumed',
  resolve: 'resolved',
  reopen: 'reopened',
  close: 'closed',
  cancel: 'cancelled',
  escalate: 'escalated',
  notes: 'note',
};

/** The Update that records a monitoring alert: it may resolve the incident too (recordAlert), which its answer's event tells. */
export const ALERT_UPDATE = 'alert';

/** The clock event an Update named `action` records, if it records one (escalate and notes do not). */
export function clockEventOfAction(action: string): ClockEvent['type'] | undefined {
  const type = EVENT_OF_ACTION[action as IncidentAction];
  return type && CLOCK_EVENT_TYPES.has(type) ? (type as ClockEvent['type']) : undefined;
}
