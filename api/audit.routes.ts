import { z } from 'zod';
import { listAudit, verifyAuditChain } from '../db/audit.repo';
import { archivedHistory, listArchived } from '../db/histories.repo';
import { historyTimeline } from '../domain/audit/timeline';
import { NotFoundError } from '../domain/errors';
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

const WorkflowsQuery = z
  .object({
    type: z.string().trim().min(1).max(100).optional(),
    status: z.enum(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT']).optional(),
    key: z.string().trim().min(1).max(100).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();

const WorkflowParams = z.object({ workflowId: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, 'expected a workflow id like incident-INC-000001') });

/** The audit trail, read-only: its entries, a re-walk of the hash chain, and the archived workflow histories. */
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
    route({
      method: 'get',
      path: '/api/v1/audit/workflows',
      summary: 'Archived (closed) workflows: type, ids, business key, start/close, final status, history hash',
      tag: 'audit',
      roles: AUDITORS,
      query: WorkflowsQuery,
      success: { status: 200 },
      handle: async ({ query }) => ({ items: await listArchived(deps.pool, query) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows/:workflowId/history',
      summary: 'The archived event history (the JSON the Temporal CLI and UI export; replayable); X-History-Sha256 is its hash',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      success: { status: 200 },
      handle: async ({ params, res }) => {
        const archived = await archivedHistory(deps.pool, params.workflowId);
        if (!archived) throw new NotFoundError('archived workflow', params.workflowId);
        res.status(200).type('application/json').set({ 'X-History-Sha256': archived.sha256, 'X-Run-Id': archived.runId }).send(archived.history);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/audit/workflows/:workflowId/timeline',
      summary: 'The archived history, readable: event, time in Asia/Seoul, actor, summary',
      tag: 'audit',
      roles: AUDITORS,
      params: WorkflowParams,
      success: { status: 200 },
      handle: async ({ params }) => {
        const archived = await archivedHistory(deps.pool, params.workflowId);
        if (!archived) throw new NotFoundError('archived workflow', params.workflowId);
        const { history, ...meta } = archived;
        return { ...meta, timeline: historyTimeline(JSON.parse(history)) };
      },
    }),
  ];
}
