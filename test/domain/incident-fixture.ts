import { makeCalendar } from '../../domain/calendar/calendar-version';
import type { IncidentAction, IncidentState, ManagedSystem } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { applyTransition, openIncident } from '../../domain/incident/lifecycle';
import type { Complexity, Severity } from '../../domain/sla/model';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
const spm: Actor = { id: 'kim', role: 'spm' };

const BODIES: Record<IncidentAction, Record<string, unknown>> = {
  assign: { assignee: 'lee' },
  start: {},
  pend: { reason: 'customer' },
  resume: {},
  resolve: { resolution: '조치 완료' },
  reopen: { reason: '재발' },
  close: {},
  cancel: { reason: '중복 접수' },
  escalate: { reason: 'L2 분석 필요' },
  notes: { text: '메모' },
};

/**
 * An incident on a 24×7 clock (complex: respond in 30 min, restore in 4 h; simple: 1 h and 8 h),
 * moved through `steps`, each at its offset (ms) from opening — so every SLA figure is plain arithmetic.
 */
export function incidentThrough(
  id: string,
  severity: Severity,
  complexity: Complexity,
  system: ManagedSystem,
  center: string | undefined,
  openedAt: string,
  steps: Array<[IncidentAction, number]>,
): IncidentState {
  const complex = complexity === 'complex';
  const state = openIncident({
    id,
    title: `${system} 장애 ${id}`,
    description: '시험용 장애',
    severity,
    complexity,
    system,
    source: 'customer',
    openedBy: spm,
    openedAt,
    ...(center ? { center } : {}),
    sla: {
      severity,
      complexity,
      clock: '24x7',
      responseTargetSeconds: complex ? 1800 : 3600,
      restoreTargetSeconds: complex ? 14_400 : 28_800,
      statusReportIntervalSeconds: null,
      autoCloseAfterSeconds: 432_000,
      calendar: makeCalendar([]),
    },
  });
  for (const [action, offsetMs] of steps) {
    applyTransition(state, { action, body: BODIES[action] as never, actor: spm }, new Date(Date.parse(openedAt) + offsetMs).toISOString());
  }
  return state;
}
