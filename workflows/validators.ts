import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * The Update validators of every workflow: they reject a request before it enters
 * history with an ApplicationFailure, so the caller sees the type the API maps to a
 * status. `rejectUnless` (lines, changes, reviews): the state and the body's schema,
 * as 409 (InvalidTransition) and 400 (Validation). `rejectUnlessValid` (incidents):
 * a domain check whose thrown error names the type.
 */

/**
 * Update validators of the line and change workflows: they reject a request
 * before it enters history, with the failure types the API maps to 409
 * (InvalidTransition) and 400 (Validation).
 */
export function rejectUnless<S extends string>(
  subject: { status: S },
  action: string,
  allowedFrom: readonly S[],
  schema: z.ZodTypeAny,
  body: unknown,
  /** A further condition of the current state, e.g. "no contract recorded yet". */
  stillOpen = true,
): void {
  if (!allowedFrom.includes(subject.status) || !stillOpen) {
    throw ApplicationFailure.create({
      type: 'InvalidTransition',
      // Allowed from this status but done already (a second contract): say so, not "while PENDING_CONTRACT" alone.
      message: allowedFrom.includes(subject.status)
        ? `cannot ${action} again: it was done already (${subject.status})`
        : `cannot ${action} while ${subject.status}`,
      nonRetryable: true,
      details: [{ action, status: subject.status, allowedFrom }],
    });
  }
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: 'Validation',
      message: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
      nonRetryable: true,
      details: [parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))],
    });
  }
}

/** Runs a domain check; what it throws is rethrown as an ApplicationFailure of the same name. */
export function rejectUnlessValid(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    const e = err as Error & { details?: unknown; issues?: unknown };
    throw ApplicationFailure.create({
      type: e.name,
      message: e.message,
      nonRetryable: true,
      details: [e.details ?? e.issues ?? null],
    });
  }
}
