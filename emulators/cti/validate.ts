import type { z } from 'zod';
import { badRequest } from './genesys-errors';

/** Parses a body or query with zod; a failure is a Genesys 400 naming each bad field. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown, where: 'body' | 'query' = 'body'): z.infer<T> {
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    errorCode: issue.code,
    fieldName: issue.path.length ? issue.path.join('.') : `(${where})`,
  }));
  const summary = result.error.issues.map((i) => `${i.path.join('.') || `(${where})`}: ${i.message}`).join('; ');
  throw badRequest(`The request ${where} is not valid: ${summary}`, details);
}

/** Genesys list parameters may be repeated (`?id=a&id=b`) or comma-separated (`?id=a,b`). */
export function listParam(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
