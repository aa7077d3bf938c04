import type { Verification } from '../../domain/change/contracts';

/** Building blocks of a Verification, so every handler reports its checks the same way. */

export type Check = Verification['checks'][number];

/** Compares by JSON value: read-backs are plain data, and `undefined` and a missing field count as the same. */
export function check(what: string, expected: unknown, observed: unknown): Check {
  return { what, expected, observed, ok: sameJson(expected, observed) };
}

/** No checks proves nothing, so it is not a pass. */
export function verification(checks: Check[]): Verification {
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
