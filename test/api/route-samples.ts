import type { AnyRoute } from '../../api/route';
import { fillPath } from './harness';

/**
 * Sample values for path parameters, tried in order until the route's own params schema
 * accepts one: an unknown incident / contact, a policy that exists, a date that is no holiday.
 * A route with a parameter not listed here fails the tests that walk the route table
 * (the authorization matrix, the fuzz) instead of escaping them.
 */
export const SAMPLES: Record<string, string[]> = {
  id: ['INC-999999', 'LN-999999', 'CHG-999999', 'INS-999999', 'QSR-999999', 'LB-999999', 'BILL-999999', 'BR-999999', '999999', 'tok_0000000000'],
  severity: ['P4'],
  complexity: ['simple'],
  date: ['2099-12-31'],
  workflowId: ['incident-INC-999999'],
  trunk: ['999'],
  carrier: ['ZZ'],
  no: ['999999'],
};

/** The names of a route's path parameters, e.g. ['severity', 'complexity']. */
export function pathParamNames(route: AnyRoute): string[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

/** Path parameters the route's params schema accepts, from SAMPLES (throws naming the parameter when none fits). */
export function sampleParams(route: AnyRoute): Record<string, string> {
  const names = pathParamNames(route);
  const params: Record<string, string> = {};
  for (const name of names) {
    const candidates = SAMPLES[name] ?? [];
    const ok = candidates.find((value) => {
      if (!route.params) return true;
      const probe = { ...Object.fromEntries(names.map((n) => [n, SAMPLES[n]?.[0] ?? ''])), ...params, [name]: value };
      const result = route.params.safeParse(probe);
      return result.success || !result.error.issues.some((i) => i.path[0] === name);
    });
    if (ok === undefined) throw new Error(`no valid sample value for :${name} of ${route.method} ${route.path}; add one to SAMPLES`);
    params[name] = ok;
  }
  if (route.params && !route.params.safeParse(params).success)
    throw new Error(`the sample params of ${route.method} ${route.path} do not pass its params schema`);
  return params;
}

/** The route's path with sample values, e.g. /incidents/:id → /incidents/INC-999999. */
export function samplePath(route: AnyRoute): string {
  return fillPath(route.path, sampleParams(route));
}
