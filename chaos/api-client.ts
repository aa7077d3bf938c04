import { randomUUID } from 'node:crypto';
import { TOKENS, type ChaosRole } from './stack';

/**
 * The workload's HTTP client, as a careful integrator writes one: every
 * mutating request carries an `Idempotency-Key`, and a timeout, a 5xx or a
 * refused connection is retried with the same key until the deadline. Every
 * request ends in the ledger with what the client could know of it.
 */

/** What the client knows of a request once it stops trying. */
export type Outcome =
  /** A 2xx: the API acknowledged it. */
  | 'acked'
  /** A 4xx on the first answer: refused, so nothing happened. */
  | 'refused'
  /** A 4xx after an attempt with no answer (or a 5xx), or no answer at all in time: it may or may not have happened. */
  | 'unknown';

export interface LedgerEntry {
  id: string;
  method: string;
  path: string;
  role: ChaosRole;
  /** The marker the request carries in its body (a note, reason or text), to find it in a timeline. */
  tag?: string;
  outcome: Outcome;
  status?: number;
  /** Every attempt: a status, or the error that stood for none. */
  attempts: string[];
  body?: unknown;
  answer?: unknown;
  at: string;
}

export interface ApiClient {
  request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    opts?: { role?: ChaosRole; body?: unknown; tag?: string; deadlineMs?: number },
  ): Promise<LedgerEntry & { answer?: T }>;
  /** A GET that must succeed (retried on 5xx and connection errors). */
  get<T>(path: string, role?: ChaosRole): Promise<T>;
  ledger: LedgerEntry[];
}

const ATTEMPT_TIMEOUT_MS = 20_000;
const DEFAULT_DEADLINE_MS = 120_000;

export function createApiClient(baseUrl: string): ApiClient {
  const ledger: LedgerEntry[] = [];
  const request: ApiClient['request'] = async (method, path, opts = {}) => {
    const role = opts.role ?? 'spm';
    const id = randomUUID();
    const entry: LedgerEntry = { id, method, path, role, tag: opts.tag, outcome: 'unknown', attempts: [], body: opts.body, at: new Date().toISOString() };
    if (method !== 'GET') ledger.push(entry);
    const deadline = Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
    let ambiguous = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${TOKENS[role]}`,
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(method !== 'GET' ? { 'idempotency-key': `chaos-${id}`, 'x-request-id': `chaos-${id}` } : {}),
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        entry.attempts.push(String(res.status));
        const text = await res.text();
        const answer = text ? safeJson(text) : undefined;
        if (res.ok) {
          Object.assign(entry, { outcome: 'acked', status: res.status, answer });
          return entry as LedgerEntry & { answer?: never };
        }
        if (res.status < 500 && res.status !== 429) {
          Object.assign(entry, { outcome: ambiguous ? 'unknown' : 'refused', status: res.status, answer });
          return entry as LedgerEntry & { answer?: never };
        }
        ambiguous = true;
        entry.status = res.status;
      } catch (err) {
        entry.attempts.push(errorName(err));
        ambiguous = true;
      }
      if (Date.now() > deadline) return entry as LedgerEntry & { answer?: never };
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5_000)));
    }
  };
  return {
    request,
    ledger,
    async get<T>(path: string, role: ChaosRole = 'spm') {
      const r = await request<T>('GET', path, { role });
      if (r.outcome !== 'acked') throw new Error(`GET ${path}: ${r.attempts.join(', ')} ${JSON.stringify(r.answer ?? '').slice(0, 300)}`);
      return r.answer as T;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

function errorName(err: unknown): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError') return 'timeout';
  return e.cause?.code ?? e.name ?? 'error';
}
