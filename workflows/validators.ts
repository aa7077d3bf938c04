import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';

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
      message: `cannot ${action} while ${subject.status}`,
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
