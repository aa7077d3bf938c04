import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { appendAudit, type NewAuditEntry } from '../db/audit.repo';
import type { AuditSigner } from '../domain/audit/seal';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** The evidence an auditor reads: the audit log and its verdict, the archived histories, the SLA proofs, the configuration history. */
const EVIDENCE = /^\/api\/v1\/(audit\/|config\/history)/i;
/** A refused token is entered at most once a minute per address: nobody can grow the chain by knocking. */
const UNAUTHENTICATED_EVERY_MS = 60_000;
/** Longer paths are cut: a request names itself in the chain, it does not fill it. */
const MAX_PATH = 256;

/** Why a request is in the chain: it changed something, it was refused (401, 403), or an auditor read evidence. */
type Outcome = 'changed' | 'denied' | 'read';

/**
 * Every request gets a request id (the caller's `X-Request-Id` when usable, else a
 * new one, echoed back). Appended to the hash-chained audit log as the response
 * ends (before the caller has it), each with who, role, what (method, route, path), when, from where,
 * request id and the status, never a body or a token:
 * - every API action that changed something (a mutating request that succeeded), with its body's hash;
 * - every request refused for who asked (401, 403), whoever it was: an insider probing shows (a
 *   token nobody holds, once a minute per address);
 * - every read of evidence, by an auditor or anyone else allowed (issue 17): who looked at what, and when.
 */
export function auditTrail(pool: Pool, signer: AuditSigner, log?: { error(obj: unknown, msg?: string): void }) {
  const lastUnauthenticated = new Map<string, number>();
  const knockedRecently = (address: string): boolean => {
    const now = Date.now();
    if (now - (lastUnauthenticated.get(address) ?? 0) < UNAUTHENTICATED_EVERY_MS) return true;
    if (lastUnauthenticated.size > 10_000) lastUnauthenticated.clear();
    lastUnauthenticated.set(address, now);
    return false;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', requestId);
    // The whole response waits for its entry: a caller who has its answer can rely on the chain
    // already holding it, in the order the requests were answered. Meanwhile the response counts as
    // answered (see `answered`), so nothing answers it a second time.
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (held.has(res)) return res;
      const entry = entryFor(req, res.statusCode, requestId, knockedRecently);
      if (!entry) return end(...args);
      held.add(res);
      appendAudit(pool, signer, entry)
        .catch((err: unknown) => log?.error({ err, requestId }, 'audit entry not written'))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
}

/** Responses ended while their audit entry is being written. */
const held = new WeakSet<Response>();

/** The response has been given its answer: sent, or ended and held until its audit entry is written. */
export function answered(res: Response): boolean {
  return res.headersSent || held.has(res);
}

function entryFor(req: Request, status: number, requestId: string, knockedRecently: (address: string) => boolean): NewAuditEntry | undefined {
  const outcome = outcomeOf(req, status);
  if (!outcome) return undefined;
  if (outcome === 'denied' && !req.actor && knockedRecently(req.ip ?? '')) return undefined;
  const path = (req.originalUrl.split('?')[0] ?? '').slice(0, MAX_PATH);
  const details: Record<string, unknown> = { status };
  if (outcome === 'changed') details.bodySha256 = createHash('sha256').update(bodyText(req.body)).digest('hex');
  else details.outcome = outcome;
  return {
    // A refused token names nobody: the entry says so, and where it came from.
    actor: req.actor?.id ?? '(unauthenticated)',
    actorRole: req.actor?.role ?? '(none)',
    // The route's pattern when one matched; a request refused before any did is named by its path.
    action: `${req.method} ${req.route?.path ?? '(no route)'}`,
    subject: path,
    requestId,
    remote: req.ip ?? null,
    details,
  };
}

function outcomeOf(req: Request, status: number): Outcome | undefined {
  if (status === 401 || status === 403) return 'denied';
  if (status >= 400 || !req.actor) return undefined;
  if (CHANGES.has(req.method)) return 'changed';
  if (req.method === 'GET' && EVIDENCE.test(req.originalUrl)) return 'read';
  return undefined;
}

/**
 * The text (or bytes) whose hash the entry keeps. JSON.stringify recurses: a body of a few KB nested thousands
 * deep (which a route without a body schema, a DELETE, accepts and ignores) would throw here, as
 * the response ends. Such a body is hashed as a marker instead.
 */
function bodyText(body: unknown): string | Buffer {
  // An uploaded file (a bill) is hashed as its bytes: the hash then matches the file's own sha256.
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  try {
    return JSON.stringify(body ?? {});
  } catch {
    return '(body not serialisable: nested too deep)';
  }
}
