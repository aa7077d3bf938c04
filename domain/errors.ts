import type { z } from 'zod';

/** A request's field that names something taken or missing (domain/preflight.ts's PreflightProblem). */
export interface FieldProblem {
  path: string;
  code: 'taken' | 'missing';
  message: string;
}

/**
 * Butler's typed errors. Each maps to exactly one HTTP status in api/errors.ts.
 * The `name` doubles as the Temporal ApplicationFailure type when one of these
 * crosses the workflow boundary, so the API can recognise it on the way back.
 */

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransition';
  constructor(
    message: string,
    readonly details: { action: string; status: string; allowedFrom?: readonly string[] },
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFound';
  /** Set when a request was refused for what it names that does not exist (one per field). */
  readonly problems?: readonly FieldProblem[];
  constructor(
    readonly resource: string,
    readonly id: string,
    refused?: { problems: readonly FieldProblem[]; message: string },
  ) {
    super(refused?.message ?? `${resource} ${id} not found`);
    this.problems = refused?.problems;
  }
}

export class ConflictError extends Error {
  override name = 'Conflict';
  /** Set when a request was refused for what it names that is taken (one per field). */
  readonly problems?: readonly FieldProblem[];
  constructor(message: string, options?: { cause?: unknown; problems?: readonly FieldProblem[] }) {
    super(message, options);
    this.problems = options?.problems;
  }
}

/** What was asked for was handed out once and is no longer there; the message says when and to whom. */
export class GoneError extends Error {
  override name = 'Gone';
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends Error {
  override name = 'Validation';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '));
  }
}

/** The value as `schema` reads it, or a ValidationError naming each bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** A dependency (Temporal, PostgreSQL, a vendor API) did not answer; retrying may help. */
export class UnavailableError extends Error {
  override name = 'Unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
