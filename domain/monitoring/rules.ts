import { z } from 'zod';
import { Complexity, Severity } from '../sla/model';
import { ManagedSystem } from '../incident/contracts';
import type { LabelSet } from './alertmanager';

/**
 * How an alert becomes an incident: rules an admin edits (GET/PUT /api/v1/alert-rules), tried
 * in order; the first whose matchers all hold decides. Matchers read like Alertmanager's own
 * (`=`, `!=`, `=~`, `!~`, regular expressions anchored at both ends), so an operator writes
 * the same selector in both places.
 */

const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');

export const Matcher = z
  .object({
    label: LabelName,
    op: z.enum(['=', '!=', '=~', '!~']).default('='),
    value: z.string().max(1_000),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.op === '=~' || m.op === '!~') {
      try {
        new RegExp(`^(?:${m.value})$`, 'u');
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['value'], message: `not a regular expression: ${(err as Error).message}` });
      }
    }
  });
export type Matcher = z.infer<typeof Matcher>;

/**
 * What a matched alert does: open (or add to) an incident, or only tell the SPM
 * (the trunk's 80 % warning: a notification, no incident).
 */
export const RuleAction = z.enum(['incident', 'notify']);
export type RuleAction = z.infer<typeof RuleAction>;

/** Which alerts share one incident: Alertmanager's group (`groupKey`) or each alert (`fingerprint`). */
export const DedupeBy = z.enum(['group', 'alert']);
export type DedupeBy = z.infer<typeof DedupeBy>;

export const AlertRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens'),
    name: z.string().trim().min(1).max(200),
    matchers: z.array(Matcher).min(1).max(20),
    action: RuleAction.default('incident'),
    /** The incident's severity; `severityFromLabel` maps a label's value first (e.g. severity=critical → P1). */
    severity: Severity,
    severityFromLabel: z
      .object({ label: LabelName, values: z.record(z.string().max(100), Severity) })
      .strict()
      .optional(),
    complexity: Complexity.default('simple'),
    system: ManagedSystem,
    /** The label that names the center (e.g. `site`); without it, or when the alert lacks it, `center` (if any). */
    centerLabel: LabelName.optional(),
    center: z.string().trim().min(1).max(100).optional(),
    /** A Handlebars template over `labels` and `annotations`, e.g. `{{labels.trunk}} 트렁크 사용률 {{annotations.value}}%`. */
    title: z.string().trim().min(1).max(500),
    dedupeBy: DedupeBy.default('group'),
    /** When the alert resolves, resolve an incident still OPEN or ASSIGNED that no person has touched (default: a timeline note only). */
    autoResolve: z.boolean().default(false),
    /** A re-fire this soon after the incident was resolved reopens it; later, a new incident is opened, linked as similar. */
    reopenWithinMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict();
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertRuleSet = z
  .object({ rules: z.array(AlertRule).max(500) })
  .strict()
  .superRefine(({ rules }, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((rule, i) => {
      const first = seen.get(rule.id);
      if (first !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'id'], message: `the same id as rules.${first}` });
      else seen.set(rule.id, i);
    });
  });
export type AlertRuleSet = z.infer<typeof AlertRuleSet>;

function holds(matcher: Matcher, labels: LabelSet): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`, 'u').test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`, 'u').test(value);
  }
}

/** The first rule whose matchers all hold for these labels. */
export function selectRule(rules: readonly AlertRule[], labels: LabelSet): AlertRule | undefined {
  return rules.find((rule) => rule.matchers.every((m) => holds(m, labels)));
}

/** The incident's severity for an alert: the rule's mapping of a label first, else the rule's own. */
export function severityFor(rule: AlertRule, labels: LabelSet): Severity {
  const mapped = rule.severityFromLabel && rule.severityFromLabel.values[labels[rule.severityFromLabel.label] ?? ''];
  return mapped ?? rule.severity;
}

export function centerFor(rule: AlertRule, labels: LabelSet): string | undefined {
  const fromLabel = rule.centerLabel ? labels[rule.centerLabel]?.trim() : undefined;
  return (fromLabel ? fromLabel.slice(0, 100) : undefined) ?? rule.center;
}
