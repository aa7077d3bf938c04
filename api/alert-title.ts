import Handlebars from 'handlebars';
import { z } from 'zod';
import type { AlertRule } from '../domain/monitoring/rules';

/**
 * A rule's Korean title template, over the alert's `labels` and `annotations` (Handlebars, on an
 * instance of its own with no helpers: a title is plain text, nothing is escaped or executed).
 */
const engine = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(template: string): Handlebars.TemplateDelegate {
  let fn = compiled.get(template);
  if (!fn) {
    fn = engine.compile(template, { noEscape: true, strict: false, knownHelpersOnly: true, knownHelpers: {} });
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(template, fn);
  }
  return fn;
}

/** The incident title for an alert; an empty rendering (labels missing) falls back to the rule's name and the alert's name. */
export function alertTitle(rule: AlertRule, labels: Record<string, string>, annotations: Record<string, string>): string {
  const rendered = compile(rule.title)({ labels, annotations }).replace(/\s+/g, ' ').trim();
  const title = rendered || `${rule.name}: ${labels.alertname ?? ''}`.trim();
  return title.slice(0, 200);
}

/** A zod check for saving rules: every title template must compile (a 400 naming `rules.N.title` otherwise). */
export function checkTitleTemplates(rules: readonly AlertRule[], ctx: z.RefinementCtx): void {
  rules.forEach((rule, i) => {
    try {
      // Compiling is lazy in Handlebars: render once to surface syntax errors now.
      compile(rule.title)({ labels: {}, annotations: {} });
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'title'], message: `not a valid template: ${(err as Error).message.split('\n')[0]}` });
    }
  });
}
