import type { AuditSigner } from '../domain/audit/seal';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiTokenView, IssueTokenInput, issueToken, listTokens, revokeToken, TokenId, type AuditOrigin } from '../db/tokens.repo';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

const IssuedToken = ApiTokenView.extend({
  token: z.string().describe('The secret bearer token: in this answer only. Butler keeps its sha256 and cannot show it again'),
});

/** The audit entry of an issue or revoke names the request (its X-Request-Id, as the audit trail's entry does) and where it came from. */
const originOf = (req: Request, res: Response): AuditOrigin => ({ requestId: res.get('X-Request-Id') ?? null, remote: req.ip ?? null });

/**
 * API tokens, as `npm run tokens` issues and revokes them, for the admin's console: the acting admin
 * is the issuer or revoker; each write commits with its audit entry (db/tokens.repo.ts).
 */
export function tokenRoutes({ pool, auditSigner }: Pick<IncidentServiceDeps, 'pool'> & { auditSigner: AuditSigner }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/tokens',
      summary: 'The issued API tokens: holder, role, issued and revoked by whom and when (never a secret)',
      tag: 'tokens',
      roles: ['admin'],
      success: { status: 200, schema: z.object({ items: z.array(ApiTokenView) }) },
      handle: async () => ({ items: await listTokens(pool) }),
    }),
    route({
      method: 'post',
      path: '/api/v1/tokens',
      summary: 'Issue an API token to a holder with a role; the secret is in this answer only',
      tag: 'tokens',
      roles: ['admin'],
      body: IssueTokenInput.omit({ by: true }),
      success: { status: 201, description: 'the token with its secret, shown once', schema: IssuedToken },
      handle: async ({ body, actor, req, res }) => {
        const { token, record } = await issueToken(pool, auditSigner, { ...body, by: actor.id }, originOf(req, res));
        // The secret must not linger in a cache between here and the admin.
        res.set('Cache-Control', 'no-store');
        return IssuedToken.parse({ ...record, token });
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/tokens/:id',
      summary: 'Revoke an API token: refused from the next request on; revoking a revoked token changes nothing',
      tag: 'tokens',
      roles: ['admin'],
      params: z.object({ id: TokenId }).strict(),
      success: { status: 200, description: 'the token, revoked (by whom and when)', schema: ApiTokenView },
      handle: async ({ params, actor, req, res }) => (await revokeToken(pool, auditSigner, { id: params.id, by: actor.id }, originOf(req, res))).record,
    }),
  ];
}
