import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { GenesysError, sendGenesysError } from './genesys-errors';
import { loggedRequest, type LoggedRequest } from './request-log';

/**
 * Injected failures, to prove a client copes with a misbehaving CTI. A rule
 * applies to every /api/v2 request, or only to those matching `route` (method
 * and path prefix, or the path alone with `exact`; the token endpoint only
 * when `route.path` names it).
 * Per matching rule, in order: wait `latencyMs`, then answer `failAlways`, or
 * spend one of `rateLimitNext` (429 + Retry-After), or one of `failNext`, or
 * one of `loseResponseNext`.
 *
 * `loseResponseNext` is the one fault that lets the request through: the
 * emulated CTI acts on it (a create creates), then the connection is reset
 * instead of answering, as when a response is lost on the way back. The
 * client sees no status at all and cannot know whether anything happened; a
 * retry meets what the first request did (for a create: 409, the name is
 * taken), exactly as with Genesys, which has no idempotency keys.
 */

const routeSchema = z.object({
  method: z.string().toUpperCase().optional(),
  /** Path prefix, e.g. `/api/v2/users` (also matches `/api/v2/users/{id}/routingskills`). */
  path: z.string().startsWith('/').optional(),
  /** Only the path itself, not the paths under it (e.g. `POST /api/v2/users` but not `POST /api/v2/users/search`). */
  exact: z.boolean().optional(),
});

export const faultRuleSchema = z
  .object({
    route: routeSchema.optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    failNext: z.object({ count: z.number().int().min(0), status: z.number().int().min(500).max(599) }).optional(),
    rateLimitNext: z.object({ count: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0) }).optional(),
    failAlways: z.object({ status: z.number().int().min(400).max(599), code: z.string().optional(), message: z.string().optional() }).optional(),
    loseResponseNext: z.object({ count: z.number().int().min(0) }).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

export interface FaultController {
  /** Replaces every rule with these. */
  set(rules: FaultRuleInput | FaultRuleInput[]): FaultRule[];
  /** Adds one rule after the existing ones. */
  add(rule: FaultRuleInput): FaultRule[];
  /** Rules as they stand (counts go down as faults fire). */
  current(): FaultRule[];
  reset(): void;
}

export interface FaultInjector extends FaultController {
  middleware: RequestHandler;
}

export function createFaults(): FaultInjector {
  let rules: FaultRule[] = [];
  const parse = (input: FaultRuleInput | FaultRuleInput[]) => z.array(faultRuleSchema).parse(Array.isArray(input) ? input : [input]);
  const middleware: RequestHandler = async (req, res, next) => {
    const logged = loggedRequest(res.locals);
    for (const rule of rules.filter((r) => matches(r, req))) {
      if (rule.latencyMs) {
        await sleep(rule.latencyMs);
        if (logged) logged.delayedMs = (logged.delayedMs ?? 0) + rule.latencyMs;
      }
      if (rule.loseResponseNext && rule.loseResponseNext.count > 0) {
        rule.loseResponseNext.count -= 1;
        if (logged) logged.fault = 'lose-response';
        loseResponse(req, res, logged);
        continue;
      }
      const injected = inject(rule);
      if (injected) {
        if (logged) logged.fault = injected.kind;
        if (injected.retryAfterSeconds !== undefined) res.set('Retry-After', String(injected.retryAfterSeconds));
        return sendGenesysError(req, res, injected.error);
      }
    }
    next();
  };
  return {
    middleware,
    set: (input) => (rules = parse(input)),
    add: (input) => (rules = [...rules, ...parse(input)]),
    current: () => structuredClone(rules),
    reset: () => {
      rules = [];
    },
  };
}

function inject(rule: FaultRule): { kind: 'fail' | 'rate-limit' | 'fail-always'; error: GenesysError; retryAfterSeconds?: number } | undefined {
  if (rule.failAlways) {
    const { status, code, message } = rule.failAlways;
    return { kind: 'fail-always', error: new GenesysError(status, message ?? `Injected failure (CTI emulator fault rule)`, code) };
  }
  if (rule.rateLimitNext && rule.rateLimitNext.count > 0) {
    rule.rateLimitNext.count -= 1;
    const seconds = rule.rateLimitNext.retryAfterSeconds;
    const error = new GenesysError(429, `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`, 'too.many.requests');
    return { kind: 'rate-limit', error, retryAfterSeconds: seconds };
  }
  if (rule.failNext && rule.failNext.count > 0) {
    rule.failNext.count -= 1;
    return { kind: 'fail', error: new GenesysError(rule.failNext.status, 'Injected failure (CTI emulator fault rule)') };
  }
  return undefined;
}

/** The handler runs and acts; when it answers, the connection is reset instead and nothing reaches the client. */
function loseResponse(req: Request, res: Response, logged: LoggedRequest | undefined): void {
  res.writeHead = ((..._args: unknown[]) => res) as Response['writeHead'];
  res.write = (() => true) as Response['write'];
  res.end = ((..._args: unknown[]) => {
    // The log keeps what the emulated CTI answered, which the client never saw.
    if (logged) logged.status = res.statusCode;
    req.socket.destroy();
    return res;
  }) as Response['end'];
}

function matches(rule: FaultRule, req: Request): boolean {
  const path = req.originalUrl.split('?')[0];
  if (rule.route?.method && rule.route.method !== req.method) return false;
  if (rule.route?.path) return rule.route.exact ? path === rule.route.path : path.startsWith(rule.route.path);
  return path.startsWith('/api/v2/');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
