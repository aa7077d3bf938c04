/** One broken invariant, with what a reader needs to find it again. */
export interface Violation {
  invariant: InvariantName;
  /** The workflow id, incident, line, change, notification key… it is about. */
  subject: string;
  detail: string;
  /** The round after which it was found; 0 for the final check. */
  round?: number;
}

export const INVARIANTS = [
  'replay',
  'no-workflow-task-failed',
  'acked-transition-once',
  'read-model-equals-workflow',
  'no-duplicate-email',
  'no-duplicate-webhook',
  'no-orphaned-vendor-objects',
  'audit-chain',
  'settled',
  'no-unexpected-exit',
  'sla-timer-on-time',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

/** How many times each invariant was checked (one subject, one check). */
export type CheckCounts = Partial<Record<InvariantName, number>>;

export interface CheckResult {
  checks: CheckCounts;
  violations: Violation[];
}

export function emptyResult(): CheckResult {
  return { checks: {}, violations: [] };
}

export function merge(into: CheckResult, from: CheckResult): CheckResult {
  for (const [k, n] of Object.entries(from.checks) as Array<[InvariantName, number]>) into.checks[k] = (into.checks[k] ?? 0) + n;
  into.violations.push(...from.violations);
  return into;
}

export function count(result: CheckResult, invariant: InvariantName, n = 1): void {
  result.checks[invariant] = (result.checks[invariant] ?? 0) + n;
}
