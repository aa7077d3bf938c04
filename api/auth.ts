import { rateLimit } from 'express-rate-limit';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnavailableError } from '../domain/errors';
import type { Actor, Role, TokenGrant } from '../domain/actor';
import { HttpError } from './errors';

/** An issued token's holder, or undefined when the store knows no unrevoked token like it. */
export type IssuedTokenLookup = (token: string) => Promise<{ name: string; role: Role } | undefined>;

/**
 * Resolves `Authorization: Bearer <token>` to an actor: first the configured grants
 * (BUTLER_TOKENS or the dev tokens; compared by hash in constant time), then, when
 * `lookup` is given, the tokens an admin issued (db/tokens.repo.ts), asked on every
 * request so a revocation applies to the next one. A store that does not answer is
 * 503 UNAVAILABLE, not 401: the token may well be valid.
 */
export function authenticate(grants: TokenGrant[], lookup?: IssuedTokenLookup): RequestHandler {
  const known = grants.map((g) => ({ ...g, digest: digest(g.token) }));
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new HttpError(401, 'UNAUTHENTICATED', 'a bearer token is required'));
    const presented = digest(match[1]);
    const grant = known.find((g) => timingSafeEqual(g.digest, presented));
    if (grant) {
      req.actor = { id: grant.subject, role: grant.role };
      return next();
    }
    if (!lookup) return next(new HttpError(401, 'UNAUTHENTICATED', 'the token is not valid'));
    void lookup(match[1]).then(
      (holder) => {
        if (!holder) return next(new HttpError(401, 'UNAUTHENTICATED', 'the token is not valid'));
        req.actor = { id: holder.name, role: holder.role };
        next();
      },
      (cause: unknown) => next(new UnavailableError('the token store did not answer; retry', { cause })),
    );
  };
}

export function requireRole(roles: readonly Role[]): RequestHandler {
  return (req, _res, next) => {
    const actor = req.actor;
    if (!actor) return next(new HttpError(401, 'UNAUTHENTICATED', 'a bearer token is required'));
    if (!roles.includes(actor.role as Role)) {
      return next(new HttpError(403, 'FORBIDDEN', `role ${actor.role} may not do this`, { allowed: roles }));
    }
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/**
 * At most `perMinute` requests a minute per token (keyed by its subject, never the token itself);
 * beyond that 429 RATE_LIMITED with Retry-After, in the API's error shape.
 */
export function perTokenRateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (req.actor ? `${req.actor.role}:${req.actor.id}` : `ip:${req.ip}`),
    handler: (_req, _res, next) =>
      next(new HttpError(429, 'RATE_LIMITED', `more than ${perMinute} requests a minute with this token; retry after the time in Retry-After`)),
  });
}
