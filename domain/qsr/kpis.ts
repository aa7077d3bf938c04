import type { IncidentState, TimelineEvent } from '../incident/contracts';
import { incidentView } from '../incident/view';
import { Severity } from '../sla/model';
import type { Breach, Kpis, Share } from './contracts';

/**
 * The SLA indicators of a QSR period, as an auditor can recompute them from the incident
 * history. Every ratio is a Share (numerator, denominator, ratio = numerator / denominator,
 * null when the denominator is 0), so a reader sees what was divided by what.
 *
 * Scope: incidents with openedAt in [from, to) (instants compared as instants). CANCELLED
 * incidents are excluded from the volumes and shares: a cancellation marks a duplicate or a
 * false alarm, which never was an outage of the service; counting it would inflate the volumes,
 * and its clocks stop at the cancellation, which is neither a response nor a restoration. But a
 * cancellation cannot hide a breach (issue 17): a clock that breached before the cancellation
 * stays in `breaches`, marked with the cancellation's time and reason, and `cancelled` says how
 * many were cancelled, how many of them had breached, and why.
 *
 * The SLA clocks are read with incidentView(state, now): each incident on its own frozen
 * policy and clock (24×7 or business hours), customer pends paused, events after `now` ignored.
 *
 * - incidents.total / bySeverity / bySystem / byCenter: counts of the in-scope incidents;
 *   all four severities are present (0 if none); an incident without a center counts as '(none)'.
 * - mttrMs: mean over incidents that have a resolvedAt of (resolvedAt − openedAt), in wall-clock
 *   milliseconds. resolvedAt is the LAST resolution (a reopen clears it, the next resolve sets it),
 *   so an incident reopened and not yet resolved again is not counted. null when none qualify.
 * - restoredWithinTarget.all: denominator = incidents whose restore clock has stopped (by a
 *   resolution, since cancelled ones are out of scope); numerator = those whose restore clock
 *   is met (stopped before reaching its target). `.complex`: the same over complexity 'complex'
 *   only, i.e. the contractual "restored within 4 hours".
 * - responseAttainment: denominator = incidents whose response clock has stopped (assigned, or
 *   answered by a later step); numerator = those stopped before reaching the target.
 * - l1Resolution: denominator = incidents with at least one 'resolved' timeline event; numerator =
 *   those with no 'escalated' event before their last 'resolved' event (resolved at L1).
 * - reopenRate: denominator = incidents with at least one 'resolved' event; numerator = those with
 *   at least one 'reopened' event.
 * - breaches: one per in-scope or cancelled incident per clock breached as of `now` (a still-running
 *   clock past its target counts), sorted by openedAt, then clock ('response' before 'restore'), then id.
 * - cancelled: total, those with at least one breach, and counts per reason (most first, then by reason).
 */
export function computeKpis(incidents: IncidentState[], period: { from: string; to: string }, now: string): Kpis {
  const fromMs = Date.parse(period.from);
  const toMs = Date.parse(period.to);
  const inPeriod = incidents.filter((incident) => {
    const openedMs = Date.parse(incident.openedAt);
    return openedMs >= fromMs && openedMs < toMs;
  });
  const scope = inPeriod.filter((incident) => incident.status !== 'CANCELLED');
  const cancelledOnes = inPeriod.filter((incident) => incident.status === 'CANCELLED');

  const bySeverity = Object.fromEntries(Severity.options.map((s) => [s, 0])) as Kpis['incidents']['bySeverity'];
  const bySystem: Record<string, number> = {};
  const byCenter: Record<string, number> = {};
  const restoredAll = tally();
  const restoredComplex = tally();
  const response = tally();
  const l1 = tally();
  const reopened = tally();
  const breaches: Breach[] = [];
  let resolvedCount = 0;
  let resolvedMsTotal = 0;

  for (const incident of scope) {
    bySeverity[incident.severity] += 1;
    bySystem[incident.system] = (bySystem[incident.system] ?? 0) + 1;
    const center = incident.center ?? '(none)';
    byCenter[center] = (byCenter[center] ?? 0) + 1;

    if (incident.resolvedAt !== null) {
      resolvedCount += 1;
      resolvedMsTotal += Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt);
    }

    const sla = incidentView(incident, now).sla;
    // The view exposes met/breached/running/paused; a clock has stopped when it is met,
    // or breached and neither running nor paused.
    const restoreStopped = sla.restore.met || (sla.restore.breached && !sla.restore.running && !sla.restore.paused);
    if (restoreStopped) {
      restoredAll.count(sla.restore.met);
      if (incident.complexity === 'complex') restoredComplex.count(sla.restore.met);
    }
    const responseStopped = sla.response.met || (sla.response.breached && !sla.response.running && !sla.response.paused);
    if (responseStopped) response.count(sla.response.met);

    const lastResolved = lastSeqOf(incident.timeline, 'resolved');
    if (lastResolved !== null) {
      const escalatedBefore = incident.timeline.some((event) => event.type === 'escalated' && event.seq < lastResolved);
      l1.count(!escalatedBefore);
      reopened.count(incident.timeline.some((event) => event.type === 'reopened'));
    }

    breaches.push(...breachesOf(incident, sla));
  }

  const reasons = new Map<string, number>();
  let cancelledBreached = 0;
  for (const incident of cancelledOnes) {
    const cancellation = lastEventOf(incident.timeline, 'cancelled');
    const reason = typeof cancellation?.details?.reason === 'string' ? cancellation.details.reason : '';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const found = breachesOf(incident, incidentView(incident, now).sla, { at: cancellation?.at ?? incident.closedAt ?? now, reason });
    if (found.length) cancelledBreached += 1;
    breaches.push(...found);
  }

  const openedMs = new Map(inPeriod.map((incident) => [incident.id, Date.parse(incident.openedAt)]));
  breaches.sort((a, b) => openedMs.get(a.incidentId)! - openedMs.get(b.incidentId)! || cmp(a.clock, b.clock) || cmp(a.incidentId, b.incidentId));

  return {
    from: period.from,
    to: period.to,
    incidents: { total: scope.length, bySeverity, bySystem, byCenter },
    mttrMs: resolvedCount === 0 ? null : resolvedMsTotal / resolvedCount,
    restoredWithinTarget: { complex: restoredComplex.share(), all: restoredAll.share() },
    responseAttainment: response.share(),
    l1Resolution: l1.share(),
    reopenRate: reopened.share(),
    breaches,
    cancelled: {
      total: cancelledOnes.length,
      breached: cancelledBreached,
      byReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || cmp(a.reason, b.reason)),
    },
  };
}

/** One Breach per clock of the incident that breached; a cancelled incident's carry its cancellation. */
function breachesOf(incident: IncidentState, sla: ReturnType<typeof incidentView>['sla'], cancelled?: { at: string; reason: string }): Breach[] {
  return (['response', 'restore'] as const).flatMap((clock) => {
    const view = sla[clock];
    if (!view.breached) return [];
    return [
      {
        incidentId: incident.id,
        title: incident.title,
        severity: incident.severity,
        system: incident.system,
        center: incident.center ?? null,
        clock,
        targetSeconds: view.targetSeconds,
        elapsedSeconds: view.elapsedSeconds,
        dueAt: view.dueAt,
        ...(cancelled ? { cancelled } : {}),
      },
    ];
  });
}

function lastEventOf(timeline: readonly TimelineEvent[], type: TimelineEvent['type']): TimelineEvent | undefined {
  const seq = lastSeqOf(timeline, type);
  return seq === null ? undefined : timeline.find((event) => event.seq === seq);
}

/** Counts a denominator and, where `hit`, the numerator. */
function tally() {
  let numerator = 0;
  let denominator = 0;
  return {
    count(hit: boolean): void {
      denominator += 1;
      if (hit) numerator += 1;
    },
    share(): Share {
      return { numerator, denominator, ratio: denominator === 0 ? null : numerator / denominator };
    },
  };
}

/** The seq (timeline position, as recorded) of the last event of a type; null if none. */
function lastSeqOf(timeline: readonly TimelineEvent[], type: TimelineEvent['type']): number | null {
  let last: number | null = null;
  for (const event of timeline) if (event.type === type && (last === null || event.seq > last)) last = event.seq;
  return last;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
