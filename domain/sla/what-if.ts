import { z } from 'zod';
import { formatLocal } from '../calendar/local-time';
import { SEOUL_OFFSET_MINUTES } from '../calendar/seoul';
import { CalendarDate, ClockKind, Complexity, Severity } from './model';
import type { WhatIfCase } from './what-if-case';
import { secondOpinion, type ClockVerdict } from './second-opinion';

export type { WhatIfCase } from './what-if-case';

/**
 * The SLA what-if: incidents already closed, judged again under candidate policies and holiday
 * corrections, beside what they were judged by. Nothing stored changes: the answer is computed
 * from each incident's archived history (its clock events and the snapshot it opened with) by the
 * second evaluation (second-opinion.ts). For the customer meeting: "with a 3-hour restore target
 * last quarter, which incidents would have breached?".
 */

const Seconds = z.number().int().positive().max(2_147_483_647);

export const CandidatePolicy = z
  .object({ severity: Severity, complexity: Complexity, clock: ClockKind, responseTargetSeconds: Seconds, restoreTargetSeconds: Seconds })
  .strict();
export type CandidatePolicy = z.infer<typeof CandidatePolicy>;

export const WhatIfRequest = z
  .object({
    /** Seoul dates: incidents closed on or after `from` and before `to`. */
    from: CalendarDate,
    to: CalendarDate,
    /** The candidate set; a severity and complexity not named keeps what each incident was judged by. */
    policies: z
      .array(CandidatePolicy)
      .max(8)
      .default([])
      .refine((ps) => new Set(ps.map((p) => `${p.severity}/${p.complexity}`)).size === ps.length, 'one policy per severity and complexity'),
    /** Holiday corrections applied to every business-hours calendar. */
    calendar: z
      .object({ addHolidays: z.array(CalendarDate).max(400).default([]), removeHolidays: z.array(CalendarDate).max(400).default([]) })
      .strict()
      .refine((c) => !c.addHolidays.some((d) => c.removeHolidays.includes(d)), { message: 'a date both added and removed', path: ['removeHolidays'] })
      .optional(),
  })
  .strict()
  .refine((r) => r.from < r.to, { message: 'from must be before to', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 732 * 86_400_000, { message: 'at most two years at once', path: ['to'] });
export type WhatIfRequest = z.infer<typeof WhatIfRequest>;

/** The what-if as a PDF: the question, its language, and the report's own id (one per request). */
export interface WhatIfReportRequest {
  id: string;
  request: WhatIfRequest;
  locale: 'ko' | 'en';
}

type ClockName = 'response' | 'restore';

interface Judged {
  clock: ClockKind;
  targetSeconds: number;
  verdict: ClockVerdict;
}

export interface WhatIfFlip {
  incidentId: string;
  title: string;
  severity: Severity;
  complexity: Complexity;
  clock: ClockName;
  /** Cancelled (a duplicate, a false alarm): a breach before its cancellation still counts, as in the QSR. */
  cancelled: boolean;
  now: { breached: boolean; elapsedSeconds: number; targetSeconds: number; clock: ClockKind; breachedAt: string | null };
  candidate: { breached: boolean; elapsedSeconds: number; targetSeconds: number; clock: ClockKind; breachedAt: string | null };
  /** Korean, then English. */
  explanation: { ko: string; en: string };
}

/** Restore time as a share of its target: up to 50 %, 75 %, 90 %, 100 %, and beyond. */
export const RESTORE_BUCKETS = [50, 75, 90, 100, null] as const;

export interface WhatIfGroup {
  severity: Severity;
  complexity: Complexity;
  incidents: number;
  /** Of them cancelled: their breaches before the cancellation count; their time to cancel is no restore time. */
  cancelled: number;
  /** The policies the incidents were judged by (a policy changed within the period shows twice). */
  nowPolicies: Array<{ clock: ClockKind; responseTargetSeconds: number; restoreTargetSeconds: number; incidents: number }>;
  candidate: { clock: ClockKind; responseTargetSeconds: number; restoreTargetSeconds: number } | null;
  breachedNow: { response: number; restore: number };
  breachedCandidate: { response: number; restore: number };
  restore: {
    /** Counted restore time, seconds, under the candidate's clock and calendar, of the incidents not cancelled. */
    p50Seconds: number;
    p90Seconds: number;
    maxSeconds: number;
    buckets: Array<{ upToPercent: number | null; now: number; candidate: number }>;
  };
}

export interface WhatIfResult {
  period: { from: string; to: string };
  incidents: number;
  groups: WhatIfGroup[];
  flips: WhatIfFlip[];
  totals: { breachedNow: { response: number; restore: number }; breachedCandidate: { response: number; restore: number } };
  /** Closed incidents whose history could not be judged again, and why. */
  skipped: Array<{ incidentId: string; reason: string }>;
}

export function evaluateWhatIf(request: WhatIfRequest, cases: readonly WhatIfCase[], skipped: WhatIfResult['skipped'] = []): WhatIfResult {
  const candidates = new Map(request.policies.map((p) => [`${p.severity}/${p.complexity}`, p]));
  const adjust = holidayCorrection(request.calendar);
  const groups = new Map<string, { cases: Array<{ c: WhatIfCase; now: Record<ClockName, Judged>; cand: Record<ClockName, Judged> }> }>();
  const flips: WhatIfFlip[] = [];
  for (const c of cases) {
    const key = `${c.sla.severity}/${c.sla.complexity}`;
    const candidate = candidates.get(key);
    const nowTerms = c.sla;
    const candTerms = {
      clock: candidate?.clock ?? nowTerms.clock,
      responseTargetSeconds: candidate?.responseTargetSeconds ?? nowTerms.responseTargetSeconds,
      restoreTargetSeconds: candidate?.restoreTargetSeconds ?? nowTerms.restoreTargetSeconds,
      calendar: adjust(nowTerms.calendar),
    };
    const nowOpinion = secondOpinion(nowTerms, c.events, c.asOf);
    const candOpinion = secondOpinion(candTerms, c.events, c.asOf);
    const judged = (terms: typeof candTerms, opinion: typeof nowOpinion): Record<ClockName, Judged> => ({
      response: { clock: terms.clock, targetSeconds: terms.responseTargetSeconds, verdict: opinion.response },
      restore: { clock: terms.clock, targetSeconds: terms.restoreTargetSeconds, verdict: opinion.restore },
    });
    const now = judged(nowTerms, nowOpinion);
    const cand = judged(candTerms, candOpinion);
    for (const name of ['response', 'restore'] as const) {
      if (now[name].verdict.breached !== cand[name].verdict.breached) flips.push(flipOf(c, name, now[name], cand[name]));
    }
    const group = groups.get(key) ?? { cases: [] };
    group.cases.push({ c, now, cand });
    groups.set(key, group);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  const summaries = ordered.map(([key, g]) => summarize(key, g.cases, candidates.get(key) ?? null));
  const sum = (pick: (g: WhatIfGroup) => { response: number; restore: number }) => ({
    response: summaries.reduce((n, g) => n + pick(g).response, 0),
    restore: summaries.reduce((n, g) => n + pick(g).restore, 0),
  });
  return {
    period: { from: request.from, to: request.to },
    incidents: cases.length,
    groups: summaries,
    flips: flips.sort((a, b) => a.incidentId.localeCompare(b.incidentId) || a.clock.localeCompare(b.clock)),
    totals: { breachedNow: sum((g) => g.breachedNow), breachedCandidate: sum((g) => g.breachedCandidate) },
    skipped,
  };
}

function summarize(
  key: string,
  cases: ReadonlyArray<{ c: WhatIfCase; now: Record<ClockName, Judged>; cand: Record<ClockName, Judged> }>,
  candidate: CandidatePolicy | null,
): WhatIfGroup {
  const [severity, complexity] = key.split('/') as [Severity, Complexity];
  const policies = new Map<string, WhatIfGroup['nowPolicies'][number]>();
  for (const { c } of cases) {
    const k = `${c.sla.clock}/${c.sla.responseTargetSeconds}/${c.sla.restoreTargetSeconds}`;
    const p = policies.get(k) ?? {
      clock: c.sla.clock,
      responseTargetSeconds: c.sla.responseTargetSeconds,
      restoreTargetSeconds: c.sla.restoreTargetSeconds,
      incidents: 0,
    };
    p.incidents++;
    policies.set(k, p);
  }
  const count = (side: 'now' | 'cand', name: ClockName) => cases.filter((x) => x[side][name].verdict.breached).length;
  const restored = cases.filter((x) => !x.c.cancelled);
  const restoreSeconds = restored.map((x) => x.cand.restore.verdict.elapsedSeconds).sort((a, b) => a - b);
  const share = (j: Judged) => (j.verdict.elapsedSeconds / j.targetSeconds) * 100;
  const bucketOf = (percent: number) => RESTORE_BUCKETS.findIndex((b) => b === null || percent <= b);
  const buckets = RESTORE_BUCKETS.map((upToPercent) => ({ upToPercent, now: 0, candidate: 0 }));
  for (const x of restored) {
    buckets[bucketOf(share(x.now.restore))]!.now++;
    buckets[bucketOf(share(x.cand.restore))]!.candidate++;
  }
  return {
    severity,
    complexity,
    incidents: cases.length,
    cancelled: cases.length - restored.length,
    nowPolicies: [...policies.values()],
    candidate: candidate
      ? { clock: candidate.clock, responseTargetSeconds: candidate.responseTargetSeconds, restoreTargetSeconds: candidate.restoreTargetSeconds }
      : null,
    breachedNow: { response: count('now', 'response'), restore: count('now', 'restore') },
    breachedCandidate: { response: count('cand', 'response'), restore: count('cand', 'restore') },
    restore: {
      p50Seconds: quantile(restoreSeconds, 0.5),
      p90Seconds: quantile(restoreSeconds, 0.9),
      maxSeconds: restoreSeconds.at(-1) ?? 0,
      buckets,
    },
  };
}

/** Nearest-rank quantile of sorted values (0 for none). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function holidayCorrection(calendar: WhatIfRequest['calendar']) {
  if (!calendar || (calendar.addHolidays.length === 0 && calendar.removeHolidays.length === 0)) return <T>(c: T) => c;
  const removed = new Set(calendar.removeHolidays);
  return <T extends { holidays: readonly string[] } | undefined>(c: T): T =>
    c === undefined ? c : { ...c, holidays: [...new Set([...c.holidays.filter((d) => !removed.has(d)), ...calendar.addHolidays])].sort() };
}

function flipOf(c: WhatIfCase, clock: ClockName, now: Judged, cand: Judged): WhatIfFlip {
  const side = (j: Judged) => ({
    breached: j.verdict.breached,
    elapsedSeconds: j.verdict.elapsedSeconds,
    targetSeconds: j.targetSeconds,
    clock: j.clock,
    breachedAt: j.verdict.breachedAt,
  });
  const at = (iso: string | null) => (iso ? ` ${formatLocal(Date.parse(iso), SEOUL_OFFSET_MINUTES)} KST` : '');
  const clockKo = (k: ClockKind) => (k === '24x7' ? '24×7' : '업무시간');
  const clockEn = (k: ClockKind) => (k === '24x7' ? '24×7' : 'business hours');
  const nameKo = clock === 'response' ? '응답' : '복구';
  const ko =
    `${c.cancelled ? '(취소됨) ' : ''}${nameKo}: 현재 기준 ${hm(now.verdict.elapsedSeconds, 'ko')} / 목표 ${hm(now.targetSeconds, 'ko')}(${clockKo(now.clock)}) ${now.verdict.breached ? `위반${at(now.verdict.breachedAt)}` : '준수'}` +
    ` → 후보 기준 ${hm(cand.verdict.elapsedSeconds, 'ko')} / 목표 ${hm(cand.targetSeconds, 'ko')}(${clockKo(cand.clock)}) ${cand.verdict.breached ? `위반${at(cand.verdict.breachedAt)}` : '준수'}`;
  const en =
    `${c.cancelled ? '(cancelled) ' : ''}${clock}: now ${hm(now.verdict.elapsedSeconds, 'en')} of ${hm(now.targetSeconds, 'en')} (${clockEn(now.clock)}), ${now.verdict.breached ? `breached${at(now.verdict.breachedAt)}` : 'met'}` +
    ` → candidate ${hm(cand.verdict.elapsedSeconds, 'en')} of ${hm(cand.targetSeconds, 'en')} (${clockEn(cand.clock)}), ${cand.verdict.breached ? `breached${at(cand.verdict.breachedAt)}` : 'met'}`;
  return {
    incidentId: c.incidentId,
    title: c.title,
    severity: c.sla.severity,
    complexity: c.sla.complexity,
    clock,
    cancelled: c.cancelled,
    now: side(now),
    candidate: side(cand),
    explanation: { ko, en },
  };
}

/** 3 h 40 min / 3시간 40분 (seconds dropped, under a minute shown as seconds). */
function hm(seconds: number, locale: 'ko' | 'en'): string {
  const whole = Math.floor(seconds);
  if (whole < 60) return locale === 'ko' ? `${whole}초` : `${whole} s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  if (locale === 'ko') return [h ? `${h}시간` : '', m ? `${m}분` : ''].filter(Boolean).join(' ') || '0분';
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}
