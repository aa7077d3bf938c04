import { Router } from 'express';
import { z } from 'zod';
import { faultRuleSchema, type FaultInjector } from '../faults';
import type { RequestLog } from '../request-log';
import { parseInput } from '../validate';

/**
 * The emulator's own control surface (never part of Genesys; no token needed,
 * so bind the emulator to loopback):
 * - `GET /__emulator/faults` → `{rules}`; `POST` a rule or an array of rules
 *   (replaces all); `DELETE` clears them;
 * - `GET /__emulator/requests?method=&path=&idempotencyKey=` → `{total, requests}`;
 *   `DELETE` clears the log;
 * - `POST /__emulator/reset` → seed data again, no faults, empty log and
 *   idempotency store; `POST /__emulator/tokens/revoke` → every token expires.
 */

export interface ControlDeps {
  faults: FaultInjector;
  requests: RequestLog;
  reset(): void;
  revokeTokens(): void;
}

const requestFilter = z.object({ method: z.string().optional(), path: z.string().optional(), idempotencyKey: z.string().optional() });

export function controlRoutes(deps: ControlDeps): Router {
  const router = Router();
  router.get('/faults', (_req, res) => {
    res.json({ rules: deps.faults.current() });
  });
  router.post('/faults', (req, res) => {
    const rules = parseInput(z.union([faultRuleSchema, z.array(faultRuleSchema)]), req.body);
    res.json({ rules: deps.faults.set(rules) });
  });
  router.delete('/faults', (_req, res) => {
    deps.faults.reset();
    res.status(204).end();
  });
  router.get('/requests', (req, res) => {
    const requests = deps.requests.list(parseInput(requestFilter, req.query, 'query'));
    res.json({ total: requests.length, requests });
  });
  router.delete('/requests', (_req, res) => {
    deps.requests.clear();
    res.status(204).end();
  });
  router.post('/reset', (_req, res) => {
    deps.reset();
    res.status(204).end();
  });
  router.post('/tokens/revoke', (_req, res) => {
    deps.revokeTokens();
    res.status(204).end();
  });
  return router;
}
