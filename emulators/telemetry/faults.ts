import { z } from 'zod';

/**
 * Injected failures of the TELEMETRY SIMULATOR, so tests can prove a
 * collector copes with a device or a whole center misbehaving. A rule applies
 * to /v1 requests matching every field of `match` (none: every request):
 * `deviceId` — the device of /v1/devices/:id/…, or one of `devices` of
 * /v1/backups; `center` — the request's `center` parameter; `path` — a path
 * prefix. Matching rules fire in the order they were added:
 * `latency` waits `ms` and lets the request go on, `error` answers `status`,
 * `hang` never answers (the client's timeout is what ends it). `times` spends
 * a rule after that many firings; without it a rule fires until cleared.
 */

export const faultRuleSchema = z
  .object({
    match: z
      .object({ deviceId: z.string().min(1).optional(), center: z.string().min(1).optional(), path: z.string().startsWith('/').optional() })
      .strict()
      .default({}),
    kind: z.enum(['error', 'latency', 'hang']),
    status: z.number().int().min(400).max(599).default(503),
    ms: z.number().int().min(0).max(120_000).default(1_000),
    times: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: number; fired: number };

/** What a request offers to be matched on. */
export interface FaultSubject {
  path: string;
  center?: string;
  deviceIds: readonly string[];
}

export interface Faults {
  add(input: unknown): FaultRule;
  list(): FaultRule[];
  clear(): void;
  /** The rules that fire for this request, in order, counted as fired; at most one that ends it, last. */
  take(subject: FaultSubject): FaultRule[];
}

export function createFaults(): Faults {
  let rules: FaultRule[] = [];
  let nextId = 1;
  const matches = ({ match }: FaultRule, s: FaultSubject) =>
    (!match.path || s.path.startsWith(match.path)) && (!match.center || s.center === match.center) && (!match.deviceId || s.deviceIds.includes(match.deviceId));
  return {
    add(input) {
      const rule: FaultRule = { ...faultRuleSchema.parse(input), id: nextId++, fired: 0 };
      rules.push(rule);
      return structuredClone(rule);
    },
    list: () => structuredClone(rules),
    clear() {
      rules = [];
    },
    take(subject) {
      const firing: FaultRule[] = [];
      for (const rule of rules.filter((r) => matches(r, subject))) {
        rule.fired += 1;
        firing.push(structuredClone(rule));
        // An error or a hang ends the request: the rules after it do not fire.
        if (rule.kind !== 'latency') break;
      }
      // A rule with `times` is spent once it has fired that often.
      rules = rules.filter((r) => r.times === undefined || r.fired < r.times);
      return firing;
    },
  };
}
