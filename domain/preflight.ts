import { z } from 'zod';
import type { ChangeRequest } from './change/contracts';
import { ConflictError, NotFoundError } from './errors';
import type { ProvisionLineRequest } from './line/contracts';

/**
 * What can be checked before a line, batch or change request is accepted (issue 13: refuse early
 * what cannot work). The worker reads the PBX and the CTI (activities/preflight.ts) and
 * answers a list of problems, each naming the request's field: `taken` (the DN or the
 * phone's IP is in use: 409) or `missing` (the CTI team, a skill, the change's target: 404).
 * No problem: the request can go ahead. The provisioning workflow asks again after the
 * contract, before it installs anything, since the world may change meanwhile.
 */

export const PreflightProblem = z.object({
  /** The request's field, as a 400 names it: `dn`, `agent.team`, `agent.skills.0.name`, `target`, `params.newDn`… */
  path: z.string(),
  code: z.enum(['taken', 'missing']),
  message: z.string(),
});
export type PreflightProblem = z.infer<typeof PreflightProblem>;

/** A batch is checked whole, each line's fields under `lines.N.`: one problem refuses the batch, as one taken DN does. */
export type PreflightInput =
  { kind: 'line'; request: ProvisionLineRequest } | { kind: 'batch'; lines: ProvisionLineRequest[] } | { kind: 'change'; request: ChangeRequest };

/** One line per problem, field first: what a failure's cause and an error's message say. */
export function describeProblems(problems: readonly PreflightProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

/**
 * The refusal the problems stand for: 409 when something the request needs is taken, else
 * 404 (only missing things). Every problem is in the error's details either way.
 */
export function refusalFor(problems: readonly PreflightProblem[]): ConflictError | NotFoundError | undefined {
  if (problems.length === 0) return undefined;
  if (problems.some((p) => p.code === 'taken')) return new ConflictError(describeProblems(problems), { problems });
  const first = problems[0]!;
  return new NotFoundError(first.path, first.message, { problems, message: describeProblems(problems) });
}
