import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { GenesysError, sendGenesysError } from './genesys-errors';
import { loggedRequest } from './request-log';

/**
 * `Idempotency-Key` on POST/PUT/PATCH/DELETE (an emulator feature in the
 * spirit of the IETF httpapi idempotency-key draft). Genesys itself has none,
 * so it is OFF unless the emulator is started with `idempotencyKeys: true`:
 * by default a retried create meets a 409 as it would on Genesys, and the
 * adapter must cope (adapters/cti/genesys-cti.ts looks up and adopts). When on:
 *
 * - the first request with a key runs; if it succeeds (2xx) its status and
 *   body are stored, and a later request with the same key, method, path and
 *   body gets that response replayed (header `Idempotent-Replayed: true`)
 *   without acting again;
 * - a failure (4xx/5xx, injected fault) is not stored: a retry acts again;
 * - the same key on a different request (method, path, query or body) → 422
 *   `idempotency.key.reused`;
 * - the same key while the first request is still being handled → 409
 *   `idempotency.request.in.progress` (safe to retry later).
 *
 * The key is registered before injected latency and faults run, so a client
 * that timed out and retried is told "in progress" rather than acting twice.
 */

interface StoredResponse {
  fingerprint: string;
  state: 'in-progress' | 'done';
  status?: number;
  body?: string;
  contentType?: string;
}

export interface IdempotencyStore {
  middleware: RequestHandler;
  clear(): void;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createIdempotencyStore(enabled = true): IdempotencyStore {
  const stored = new Map<string, StoredResponse>();
  const middleware: RequestHandler = (req, res, next) => {
    const key = req.get('Idempotency-Key');
    if (!enabled || !key || !MUTATING.has(req.method)) return next();
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const previous = stored.get(key);
    if (previous && previous.fingerprint !== fingerprint) {
      return sendGenesysError(req, res, new GenesysError(422, `Idempotency-Key ${key} was already used for a different request`, 'idempotency.key.reused'));
    }
    if (previous?.state === 'in-progress') {
      return sendGenesysError(req, res, new GenesysError(409, `A request with Idempotency-Key ${key} is still in progress`, 'idempotency.request.in.progress'));
    }
    if (previous?.state === 'done') {
      const logged = loggedRequest(res.locals);
      if (logged) logged.replayed = true;
      res.status(previous.status ?? 200).set('Idempotent-Replayed', 'true');
      if (previous.contentType) res.type(previous.contentType);
      res.end(previous.body);
      return;
    }
    const entry: StoredResponse = { fingerprint, state: 'in-progress' };
    stored.set(key, entry);
    recordOnEnd(res, (status, body, contentType) => {
      if (status >= 200 && status < 300) Object.assign(entry, { state: 'done', status, body, contentType });
      else stored.delete(key);
    });
    next();
  };
  return { middleware, clear: () => stored.clear() };
}

/**
 * Calls `record` when the handler finishes its response, whether or not the
 * client is still connected: a request whose client timed out still counts.
 */
function recordOnEnd(res: Response, record: (status: number, body: string | undefined, contentType: string | undefined) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let recorded = false;
  res.end = ((...args: unknown[]) => {
    if (!recorded) {
      recorded = true;
      const chunk = args[0];
      const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      record(res.statusCode, body, res.get('Content-Type'));
    }
    return end(...args);
  }) as Response['end'];
}
