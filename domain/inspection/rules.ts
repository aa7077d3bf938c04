import { z } from 'zod';
import { ValidationError } from '../errors';
import { Metric, type CollectorTarget, type Finding, type FindingSeverity, type Reading } from './contracts';

/**
 * Inspection rules (점검 기준): thresholds that turn readings into findings.
 * Rules are data, so an admin can review and edit them like the SLA policies;
 * `parseRules` is the one gate they pass through, and `evaluate` is pure.
 *
 * - usage: ratio = value / capacity (readings with a capacity > 0 only);
 *   ratio ≥ criticalAt → critical, else ratio ≥ warnAt → warning.
 * - max:   value > criticalAbove → critical, else value > warnAbove → warning (e.g. backup age in days).
 * - min:   value < criticalBelow → critical, else value < warnBelow → warning (e.g. days left to EOS/EOL;
 *          a negative number means the date has passed).
 */

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes (at most 63)');
const Text = z.string().trim().min(1).max(500);
const LocalTextSchema = z.object({ ko: Text, en: Text }).strict();
const Ratio = z.number().finite().positive();
const Limit = z.number().finite();

// .strict() everywhere: a misspelt field ("warnat") must fail loudly, not silently drop a threshold.
const UsageRule = z
  .object({ id: RuleId, kind: z.literal('usage'), metrics: z.array(Metric).min(1), warnAt: Ratio, criticalAt: Ratio, proposal: LocalTextSchema })
  .strict();
const MaxRule = z
  .object({ id: RuleId, kind: z.literal('max'), metric: Metric, warnAbove: Limit.optional(), criticalAbove: Limit, proposal: LocalTextSchema })
  .strict();
const MinRule = z
  .object({ id: RuleId, kind: z.literal('min'), metric: Metric, warnBelow: Limit, criticalBelow: Limit.optional(), proposal: LocalTextSchema })
  .strict();

export const Rule = z.discriminatedUnion('kind', [UsageRule, MaxRule, MinRule]).superRefine((rule, ctx) => {
  // A warning threshold beyond the critical one would never fire, or fire instead of it.
  if (rule.kind === 'usage' && rule.warnAt > rule.criticalAt) {
    ctx.addIssue({ code: 'custom', path: ['warnAt'], message: `must not exceed criticalAt (${rule.criticalAt})` });
  }
  if (rule.kind === 'max' && rule.warnAbove !== undefined && rule.warnAbove >= rule.criticalAbove) {
    ctx.addIssue({ code: 'custom', path: ['warnAbove'], message: `must be below criticalAbove (${rule.criticalAbove})` });
  }
  if (rule.kind === 'min' && rule.criticalBelow !== undefined && rule.criticalBelow >= rule.warnBelow) {
    ctx.addIssue({ code: 'custom', path: ['criticalBelow'], message: `must be below warnBelow (${rule.warnBelow})` });
  }
});
export type Rule = z.infer<typeof Rule>;

const Rules = z.array(Rule).superRefine((rules, ctx) => {
  // Finding keys start with the rule id, so two rules with one id would overwrite each other's findings.
  const firstIndex = new Map<string, number>();
  rules.forEach((rule, index) => {
    const first = firstIndex.get(rule.id);
    if (first === undefined) firstIndex.set(rule.id, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate rule id "${rule.id}" (also rules[${first}])` });
  });
});

/** Validates rules from JSON; throws a ValidationError whose paths name the rule index and field, e.g. `rules[2].warnAt`. */
export function parseRules(json: unknown): Rule[] {
  const parsed = Rules.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((issue) => ({ path: rulePath(issue.path), message: issue.message })));
}

function rulePath(path: ReadonlyArray<string | number>): string {
  return 'rules' + path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
}

const usage = (id: string, metric: Metric, ko: string, en: string) => ({
  id,
  kind: 'usage',
  metrics: [metric],
  warnAt: 0.8,
  criticalAt: 0.95,
  proposal: { ko, en },
});

/** The thresholds Butler ships with (domain.md, process 5: usage at 80 % of capacity warns). */
export const DEFAULT_RULES: Rule[] = parseRules([
  usage('cpu-usage', 'cpu', '부하 프로세스 점검 및 CPU 증설 검토', 'Review the processes under load and consider adding CPU capacity'),
  usage('memory-usage', 'memory', '메모리 증설 또는 불필요 프로세스 정리 검토', 'Consider adding memory or cleaning up unneeded processes'),
  usage('disk-usage', 'disk', '로그·녹취 파일 정리 또는 디스크 증설 검토', 'Clean up logs and recordings or consider adding disk'),
  usage('port-usage', 'ports', '포트 증설 또는 미사용 포트 회수 검토', 'Add ports or reclaim unused ones'),
  usage('trunk-usage', 'trunks', '트렁크(PRI) 증설 또는 통화량 분산 검토', 'Add trunks (PRI) or spread the call load'),
  // The month's busiest moment on a trunk, from the PBX's call records (issue 15), against its channels.
  usage('trunk-peak-usage', 'trunk-peak', '통화 피크 대비 트렁크 채널 증설 또는 착신 분산 검토', 'Add trunk channels or spread incoming calls for the peak'),
  usage('line-usage', 'lines', '회선 증설 또는 미사용 회선 해지 검토', 'Add lines or terminate unused ones'),
  // No rule on `phones`: it is registered of configured extensions, where a high share is the healthy case.
  {
    // Licences run close to their count by design, so warn later; at the count, new logins fail.
    id: 'licence-usage',
    kind: 'usage',
    metrics: ['licences'],
    warnAt: 0.9,
    criticalAt: 1.0,
    proposal: { ko: '라이선스 추가 구매 또는 미사용 라이선스 회수 검토', en: 'Buy more licences or reclaim unused ones' },
  },
  {
    // Full images run weekly, so a week is normal for them; past a week one run was missed, past two it fails.
    id: 'backup-age',
    kind: 'max',
    metric: 'backup-age',
    warnAbove: 7,
    criticalAbove: 14,
    proposal: { ko: '백업 실패 원인 확인 및 즉시 백업 수행', en: 'Find out why backups fail and take a backup now' },
  },
  {
    id: 'hw-eos',
    kind: 'min',
    metric: 'eos',
    warnBelow: 180,
    criticalBelow: 30,
    proposal: { ko: '장비 EOS 도래: 교체 계획 수립 및 유지보수 계약 확인', en: 'End of sale near: plan the replacement and check the support contract' },
  },
  {
    id: 'hw-eol',
    kind: 'min',
    metric: 'eol',
    warnBelow: 180,
    criticalBelow: 30,
    proposal: { ko: '장비 EOL 도래: 교체 일정 확정 및 예산 반영', en: 'End of life near: fix the replacement date and budget for it' },
  },
]);

/** Metrics a smaller value of is worse (days left before end of sale or of life), as the default rules judge them. */
const LOWER_IS_WORSE: ReadonlySet<string> = new Set(DEFAULT_RULES.filter((r) => r.kind === 'min').map((r) => r.metric));

/** Of two readings of the same metric, the worse: the higher usage (or value), or for days left, the fewer. */
export function worseReading(a: Reading, b: Reading): Reading {
  const level = (r: Reading) => (r.capacity ? r.value / r.capacity : r.value);
  const aWorse = LOWER_IS_WORSE.has(a.metric) ? level(a) < level(b) : level(a) > level(b);
  return aWorse ? a : b;
}

interface Verdict {
  severity: FindingSeverity;
  value: number;
  threshold: number;
}

/** What one rule says of one reading; null when the rule does not apply or nothing is crossed. */
function judge(rule: Rule, reading: Reading): Verdict | null {
  switch (rule.kind) {
    case 'usage': {
      if (!rule.metrics.includes(reading.metric) || reading.capacity === null || !(reading.capacity > 0)) return null;
      // Integer value/capacity divides correctly rounded, so 80/100 is exactly the literal 0.8: no tolerance needed.
      const ratio = reading.value / reading.capacity;
      if (ratio >= rule.criticalAt) return { severity: 'critical', value: ratio, threshold: rule.criticalAt };
      if (ratio >= rule.warnAt) return { severity: 'warning', value: ratio, threshold: rule.warnAt };
      return null;
    }
    case 'max': {
      if (rule.metric !== reading.metric) return null;
      const value = reading.value;
      if (value > rule.criticalAbove) return { severity: 'critical', value, threshold: rule.criticalAbove };
      if (rule.warnAbove !== undefined && value > rule.warnAbove) return { severity: 'warning', value, threshold: rule.warnAbove };
      return null;
    }
    case 'min': {
      if (rule.metric !== reading.metric) return null;
      const value = reading.value;
      if (rule.criticalBelow !== undefined && value < rule.criticalBelow) return { severity: 'critical', value, threshold: rule.criticalBelow };
      if (value < rule.warnBelow) return { severity: 'warning', value, threshold: rule.warnBelow };
      return null;
    }
  }
}

const RANK: Record<FindingSeverity, number> = { critical: 2, warning: 1 };

/** Of two verdicts on the same key, the one to report: higher severity, then the more extreme value. */
function worse(rule: Rule, a: Verdict, b: Verdict): boolean {
  if (RANK[a.severity] !== RANK[b.severity]) return RANK[a.severity] > RANK[b.severity];
  return rule.kind === 'min' ? a.value < b.value : a.value > b.value;
}

export function findingKey(ruleId: string, where: { deviceId: string | null; center: string; system: string }, metric: string | null, item?: string): string {
  return `${ruleId}:${where.deviceId ?? `${where.center}/${where.system}`}:${metric ?? '-'}${item ? `:${item}` : ''}`;
}

/**
 * One finding per (rule, device, metric, item) at the highest severity any of its readings
 * crossed (a collector may read the same thing twice), sorted by `compareFindings`.
 */
export function evaluate(readings: Reading[], rules: Rule[]): Finding[] {
  const byKey = new Map<string, { finding: Finding; rule: Rule; verdict: Verdict }>();
  for (const rule of rules) {
    for (const reading of readings) {
      const verdict = judge(rule, reading);
      if (!verdict) continue;
      const key = findingKey(rule.id, reading, reading.metric, reading.item);
      const current = byKey.get(key);
      if (current && !worse(rule, verdict, current.verdict)) continue;
      const finding: Finding = {
        key,
        ruleId: rule.id,
        center: reading.center,
        system: reading.system,
        deviceId: reading.deviceId,
        metric: reading.metric,
        ...(reading.item ? { item: reading.item } : {}),
        severity: verdict.severity,
        value: verdict.value,
        threshold: verdict.threshold,
        proposal: { ...rule.proposal },
      };
      byKey.set(key, { finding, rule, verdict });
    }
  }
  return [...byKey.values()].map((entry) => entry.finding).sort(compareFindings);
}

/** A collector that could not read a system (or one device of it) is a finding too: the inspection has a hole. */
export function collectionFailureFinding(target: CollectorTarget, deviceId: string | null, error: string): Finding {
  const what = deviceId ? `${target.system} ${deviceId}` : target.system;
  return {
    key: findingKey('collection-failed', { deviceId, center: target.center, system: target.system }, null),
    ruleId: 'collection-failed',
    center: target.center,
    system: target.system,
    deviceId,
    metric: null,
    severity: 'warning',
    value: null,
    threshold: null,
    error,
    proposal: {
      ko: `${target.center} ${what} 점검 데이터 수집 실패: 모니터링 경로(네트워크, 계정, 수집기) 점검 필요`,
      en: `Could not collect from ${what} at ${target.center}: check the monitoring path to it (network, credentials, collector)`,
    },
  };
}

/** Critical first, then center, system, device, metric, item; code-point order, so no locale can reorder a report. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[b.severity] - RANK[a.severity] ||
    cmp(a.center, b.center) ||
    cmp(a.system, b.system) ||
    cmp(a.deviceId ?? '', b.deviceId ?? '') ||
    cmp(a.metric ?? '', b.metric ?? '') ||
    cmp(a.item ?? '', b.item ?? '') ||
    cmp(a.ruleId, b.ruleId)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
