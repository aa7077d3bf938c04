import type { RequestHandler } from 'express';

/**
 * What reached the emulator, in order, so a test can prove that a client
 * retried (same Idempotency-Key twice) or that a fault fired.
 */

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  idempotencyKey?: string;
  /** Final status; absent while in flight or when the client went away first. With the `lose-response` fault: what the emulator answered, which the client never received. */
  status?: number;
  /** The response was a replay of an earlier one with the same Idempotency-Key. */
  replayed?: boolean;
  /** An injected fault answered instead of the emulated CTI. */
  fault?: 'fail' | 'rate-limit' | 'fail-always' | 'lose-response';
  /** Milliseconds of injected latency. */
  delayedMs?: number;
}

export interface RequestFilter {
  method?: string;
  path?: string;
  idempotencyKey?: string;
}

export interface RequestLog {
  middleware: RequestHandler;
  list(filter?: RequestFilter): LoggedRequest[];
  clear(): void;
}

export function createRequestLog(limit = 10_000): RequestLog {
  let entries: LoggedRequest[] = [];
  let seq = 0;
  return {
    middleware: (req, res, next) => {
      const [path, query = ''] = req.originalUrl.split('?');
      const entry: LoggedRequest = { seq: ++seq, at: new Date().toISOString(), method: req.method, path, query, idempotencyKey: req.get('Idempotency-Key') };
      if (!path.startsWith('/__emulator')) {
        entries.push(entry);
        if (entries.length > limit) entries = entries.slice(-limit);
      }
      res.locals.logged = entry;
      res.on('finish', () => {
        if (entry.fault !== 'lose-response') entry.status = res.statusCode;
      });
      next();
    },
    list: (filter = {}) =>
      entries.filter(
        (e) =>
          (!filter.method || e.method === filter.method.toUpperCase()) &&
          (!filter.path || e.path.startsWith(filter.path)) &&
          (!filter.idempotencyKey || e.idempotencyKey === filter.idempotencyKey),
      ),
    clear: () => {
      entries = [];
    },
  };
}

/** The log entry of the current request, for the middleware that wants to annotate it. */
export function loggedRequest(locals: Record<string, unknown>): LoggedRequest | undefined {
  return locals.logged as LoggedRequest | undefined;
}
