import { computeSla } from '../sla/clock';
import type { ClockState } from '../sla/model';
import type { IncidentState } from './contracts';
import { clockEvents } from './lifecycle';

/** How an incident looks to the API's callers: its state plus the SLA clocks as of `now`. */
export function incidentView(state: IncidentState, now: string, options: { explain?: boolean } = {}) {
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
    sla: {
      clock: state.sla.clock,
      responseDueAt: sla.response.dueAt,
      restoreDueAt: sla.restore.dueAt,
      paused: sla.restore.paused,
      breached: state.breached.response || state.breached.restore,
      warnings: state.warnings,
      response: clock(sla.response),
      restore: clock(sla.restore),
      policy: {
        responseTargetSeconds: state.sla.responseTargetSeconds,
        restoreTargetSeconds: state.sla.restoreTargetSeconds,
        autoCloseAfterSeconds: state.sla.autoCloseAfterSeconds,
        calendarVersion: state.sla.calendar.version,
      },
      ...(options.explain ? { explanation: sla.explanation } : {}),
    },
    timeline: state.timeline,
  };
}

export type IncidentView = ReturnType<typeof incidentView>;
