import { z } from 'zod';
import { listAudit, verifyAuditChain } from '../db/audit.repo';
import type { Pool } from 'pg';
import { route, type AnyRoute } from './route';

const AUDITORS = ['admin', 'auditor'] as const;

const LogQuery = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    actor: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();

/** The audit trail, read-only: its entries, and a re-walk of the hash chain. */
export function auditRoutes(deps: { pool: Pool }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/audit/verify',
      summary: 'Re-walk the hash-chained audit log; reports the first entry that does not follow (changed, reordered or removed)',
      tag: 'audit',
      roles: AUDITORS,
      success: { status: 200 },
      handle: () => verifyAuditChain(deps.pool),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/log',
      summary: 'Audit entries in order: who, role, what, when, from where, request id, and each entry’s chain hashes',
      tag: 'audit',
      roles: AUDITORS,
      query: LogQuery,
      success: { status: 200 },
      handle: async ({ query }) => ({ items: await listAudit(deps.pool, query) }),
    }),
  ];
}
