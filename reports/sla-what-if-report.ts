import type { CandidatePolicy, WhatIfRequest, WhatIfResult } from '../domain/sla/what-if';
import { label, type ReportLocale } from './helpers';
import type { ReportInput } from './render-report';

/**
 * The SLA what-if as a report for the customer meeting: what was asked (the candidate policies and
 * holiday corrections), per severity and complexity the breaches now and under the candidate, the
 * restore-time distribution against the targets, and each incident that flips, explained.
 */
export function slaWhatIfReportInput(request: WhatIfRequest, result: WhatIfResult, locale: ReportLocale, documentDate: Date): ReportInput {
  const complexity = (c: CandidatePolicy['complexity']) => label(`complexity_${c}`, locale);
  const clock = (c: CandidatePolicy['clock']) => (c === '24x7' ? '24×7' : label('whatIfBusinessHours', locale));
  const targets = (t: { clock: CandidatePolicy['clock']; responseTargetSeconds: number; restoreTargetSeconds: number }) => ({
    clock: clock(t.clock),
    responseMs: t.responseTargetSeconds * 1000,
    restoreMs: t.restoreTargetSeconds * 1000,
  });
  // The period's last day, as people say it (the request's `to` is the first day after).
  const lastDay = new Date(Date.parse(`${request.to}T00:00:00+09:00`) - 1).toISOString();
  return {
    template: 'sla-what-if/report',
    locale,
    documentDate,
    title: `${label('whatIfTitle', locale)} ${request.from} – ${seoulDate(lastDay)}`,
    data: {
      period: { from: `${request.from}T00:00:00+09:00`, to: lastDay },
      incidents: result.incidents,
      policies: request.policies.map((p) => ({ severity: p.severity, complexity: complexity(p.complexity), ...targets(p) })),
      addHolidays: request.calendar?.addHolidays ?? [],
      removeHolidays: request.calendar?.removeHolidays ?? [],
      totals: result.totals,
      groups: result.groups.map((g) => ({
        caption: `${g.severity} ${complexity(g.complexity)}${g.cancelled ? ` (${label('whatIfCancelledLeftOut', locale)} ${g.cancelled})` : ''}`,
        severity: g.severity,
        complexity: complexity(g.complexity),
        incidents: g.incidents,
        nowPolicies: g.nowPolicies.map((p) => ({ ...targets(p), incidents: p.incidents })),
        candidate: g.candidate ? targets(g.candidate) : null,
        breachedNow: g.breachedNow,
        breachedCandidate: g.breachedCandidate,
        p50Ms: g.restore.p50Seconds * 1000,
        p90Ms: g.restore.p90Seconds * 1000,
        maxMs: g.restore.maxSeconds * 1000,
        buckets: g.restore.buckets.map((b) => ({ label: b.upToPercent === null ? '> 100 %' : `≤ ${b.upToPercent} %`, now: b.now, candidate: b.candidate })),
      })),
      flips: result.flips.map((f) => ({
        incidentId: f.incidentId,
        title: f.title,
        severity: f.severity,
        complexity: complexity(f.complexity),
        clock: label(f.clock === 'response' ? 'whatIfResponse' : 'whatIfRestore', locale),
        becomes: label(f.candidate.breached ? 'whatIfBreachesOne' : 'whatIfMeets', locale),
        explanation: f.explanation[locale],
      })),
      skipped: result.skipped,
    },
  };
}

function seoulDate(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 10);
}
