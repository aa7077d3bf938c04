import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { appendAudit } from '../db/audit.repo';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Every request gets a request id (the caller's `X-Request-Id` when usable, else a
 * new one, echoed back). Every API action that changed something — a mutating
 * request that succeeded — is appended to the hash-chained audit log once the
 * response is sent: who, role, what (method, route, path, body hash), when,
 * from where, request id. Never the body itself or a token.
 */
export function auditTrail(pool: Pool, log?: { error(obj: unknown, msg?: string): void }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', requestId);
    if (CHANGES.has(req.method)) {
      res.on('finish', () => {
        if (!req.actor || res.statusCode >= 400) return;
        const body = bodyText(req.body);
        appendAudit(pool, {
          actor: req.actor.id,
          actorRole: req.actor.role,
          action: `${req.method} ${req.route?.path ?? req.path}`,
          subject: req.originalUrl.split('?')[0] ?? null,
          requestId,
          remote: req.ip ?? null,
          details: { status: res.statusCode, bodySha256: createHash('sha256').update(body).digest('hex') },
        }).catch((err: unknown) => log?.error({ err, requestId }, 'audit entry not written'));
      });
    }
    next();
  };
}

/**
 * The text (or bytes) whose hash the entry keeps. JSON.stringify recurses: a body of a few KB nested thousands
 * deep (which a route without a body schema, a DELETE, accepts and ignores) would throw here, in a
 * 'finish' listener, and take the process down. Such a body is hashed as a marker instead.
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
