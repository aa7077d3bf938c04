import type { IncidentState } from '../../domain/incident/contracts';
import { clockEvents } from '../../domain/incident/lifecycle';
import { computeSla, nextThreshold } from '../../domain/sla/clock';
import type { ThresholdPercent } from '../../domain/sla/model';

/** The next thing the incident workflow must do by itself, and when. */
export type Deadline =
  | { kind: 'sla'; at: string; clock: 'response' | 'restore'; percent: ThresholdPercent; dueAt: string | null }
  | { kind: 'status-report'; at: string }
  | { kind: 'auto-close'; at: string };

export interface DeadlineRules {
  /**
   * Status reports tell the customer how restoration goes: none while the incident waits on the
   * customer, and after a resume they go on at the next slot. Off for histories recorded before
   * PATCHES.statusReportsPauseOnCustomer, which reported through a customer pend.
   */
  pauseReportsOnCustomer: boolean;
}

export function nextDeadline(incident: IncidentState, now: string, rules: DeadlineRules = { pauseReportsOnCustomer: true }): Deadline | null {
  const candidates: Deadline[] = [];

  const sla = computeSla({ snapshot: incident.sla, events: clockEvents(incident), now });
  const fired = new Set(incident.warnings.map((w) => `${w.clock}:${w.percent}`));
  // A threshold crossed just before a transition stopped its clock (assigned at 16 min of a
  // 15 min target, before the timer fired) still counts: it is overdue, whatever the clock does now.
  for (const state of [sla.response, sla.restore]) {
    for (const t of state.thresholds) {
      if (t.reached && t.at && !fired.has(`${state.name}:${t.percent}`)) {
        candidates.push({ kind: 'sla', clock: state.name, percent: t.percent, at: t.at, dueAt: state.dueAt });
      }
    }
  }
  const threshold = nextThreshold(sla, incident.warnings);
  if (threshold && threshold.at) {
    candidates.push({ kind: 'sla', ...threshold, at: threshold.at, dueAt: sla[threshold.clock].dueAt });
  }

  const interval = incident.sla.statusReportIntervalSeconds;
  const waitingOnCustomer = rules.pauseReportsOnCustomer && incident.status === 'PENDING' && incident.pendReason === 'customer';
  if (interval && !['RESOLVED', 'CLOSED', 'CANCELLED'].includes(incident.status) && !waitingOnCustomer) {
    // Reports keep to a fixed grid from the opening, so they neither drift nor burst after an
    // outage; after a reopen (or a resume) they go on at the next slot, not with the slots missed meanwhile.
    const anchors = rules.pauseReportsOnCustomer ? ['status-report', 'reopened', 'resumed'] : ['status-report', 'reopened'];
    const last = [...incident.timeline].reverse().find((e) => anchors.includes(e.type))?.at ?? incident.openedAt;
    const periods = Math.floor((Date.parse(last) - Date.parse(incident.openedAt)) / (interval * 1000)) + 1;
    candidates.push({ kind: 'status-report', at: plusSeconds(incident.openedAt, periods * interval) });
  }

  if (incident.status === 'RESOLVED' && incident.resolvedAt) {
    candidates.push({ kind: 'auto-close', at: plusSeconds(incident.resolvedAt, incident.sla.autoCloseAfterSeconds) });
  }

  candidates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return candidates[0] ?? null;
}

function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
