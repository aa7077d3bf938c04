import type { IncidentState } from '../../domain/incident/contracts';
import { clockEvents } from '../../domain/incident/lifecycle';
import { computeSla } from '../../domain/sla/clock';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * Every SLA timer fired, once, late by the outage at most: for each clock the incident's own events
 * say breached, the workflow recorded one breach of it, at its due instant plus at most
 * `allowanceMs` (the longest fault of the run, the workers' sticky timeout, a few seconds of scheduling); a breach recorded
 * for a clock that never breached is a violation too. A clock due so recently that its timer may
 * still be on its way is left for the next check.
 */

export interface SlaTimerCheck extends CheckResult {
  /** How late each breach was recorded after its due instant, in milliseconds, by incident and clock. */
  lateness: Map<string, number>;
}

export function checkSlaTimers(incidents: ReadonlyMap<string, IncidentState>, allowanceMs: number, now: Date = new Date()): SlaTimerCheck {
  const result: SlaTimerCheck = { ...emptyResult(), lateness: new Map() };
  const judgeableBefore = now.getTime() - allowanceMs;
  for (const [id, state] of incidents) {
    const sla = computeSla({ snapshot: state.sla, events: clockEvents(state), now: now.toISOString() });
    for (const clock of ['response', 'restore'] as const) {
      const dueAt = sla[clock].dueAt;
      const recorded = state.timeline.filter((e) => e.type === 'sla-breached' && e.details?.clock === clock);
      const subject = `incident ${id} ${clock}`;
      if (!sla[clock].breached) {
        if (recorded.length) {
          count(result, 'sla-timer-on-time');
          result.violations.push({
            invariant: 'sla-timer-on-time',
            subject,
            detail: `a breach recorded at ${recorded[0]!.at}, but the clock never reached its target`,
          });
        }
        continue;
      }
      if (!recorded.length && dueAt && Date.parse(dueAt) > judgeableBefore) continue;
      count(result, 'sla-timer-on-time');
      if (recorded.length !== 1) {
        result.violations.push({
          invariant: 'sla-timer-on-time',
          subject,
          detail: recorded.length
            ? `${recorded.length} breaches recorded (${recorded.map((e) => e.at).join(', ')}), not one`
            : `due ${dueAt}, and no breach was ever recorded`,
        });
        continue;
      }
      const breach = recorded[0]!;
      if (breach.details?.dueAt !== dueAt) {
        result.violations.push({
          invariant: 'sla-timer-on-time',
          subject,
          detail: `the breach says it was due ${String(breach.details?.dueAt)}, the clock says ${dueAt}`,
        });
        continue;
      }
      const late = Date.parse(breach.at) - Date.parse(dueAt!);
      result.lateness.set(subject, late);
      if (late > allowanceMs || late < 0) {
        result.violations.push({
          invariant: 'sla-timer-on-time',
          subject,
          detail: `due ${dueAt}, recorded ${breach.at}: ${late} ms late (allowed: ${allowanceMs} ms)`,
        });
      }
    }
  }
  return result;
}
