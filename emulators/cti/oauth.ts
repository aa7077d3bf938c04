import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { GenesysError, sendGenesysError } from './genesys-errors';

/**
 * OAuth client-credentials grant as Genesys' login service speaks it:
 * `POST /oauth/token` with HTTP Basic client credentials (or client_id /
 * client_secret in the form) and `grant_type=client_credentials`.
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenStore {
  issue(): { token: string; expiresInSeconds: number };
  isValid(token: string): boolean;
  /** Forgets every issued token, as if they had expired: clients must fetch a new one. */
  revokeAll(): void;
}

export function createTokenStore(lifetimeSeconds: number): TokenStore {
  const expiries = new Map<string, number>();
  return {
    issue() {
      const token = randomBytes(24).toString('base64url');
      expiries.set(token, Date.now() + lifetimeSeconds * 1000);
      return { token, expiresInSeconds: lifetimeSeconds };
    },
    isValid: (token) => (expiries.get(token) ?? 0) > Date.now(),
    revokeAll: () => expiries.clear(),
  };
}

export function tokenEndpoint(clients: readonly OAuthClient[], tokens: TokenStore): RequestHandler {
  return (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({
        error: 'unsupported_grant_type',
        description: 'only client_credentials is supported',
        error_description: 'only client_credentials is supported',
      });
      return;
    }
    const presented = basicCredentials(req) ?? { clientId: String(body.client_id ?? ''), clientSecret: String(body.client_secret ?? '') };
    if (!clients.some((c) => c.clientId === presented.clientId && sameSecret(c.clientSecret, presented.clientSecret))) {
      res.status(401).json({ error: 'invalid_client', description: 'client not found or bad secret', error_description: 'client not found or bad secret' });
      return;
    }
    const { token, expiresInSeconds } = tokens.issue();
    res.json({ access_token: token, token_type: 'bearer', expires_in: expiresInSeconds });
  };
}

export function requireBearer(tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) {
      return sendGenesysError(req, res, new GenesysError(401, 'No authentication bearer token specified in authorization header.', 'authentication.required'));
    }
    if (!tokens.isValid(match[1])) {
      return sendGenesysError(req, res, new GenesysError(401, 'Invalid login credentials.', 'bad.credentials'));
    }
    next();
  };
}

function basicCredentials(req: Request): OAuthClient | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function sameSecret(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
