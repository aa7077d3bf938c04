import { z } from 'zod';
import type { Pool } from 'pg';
import { CONFIG_KINDS, configChanges, configInForce } from '../db/config-history.repo';
import { InstantParam } from './instant-param';
import { route, type AnyRoute } from './route';

const ConfigKind = z.enum(CONFIG_KINDS);

const HistoryQuery = z
  .object({
    kind: ConfigKind.optional(),
    /** With `kind`: what was in force at this instant, one entry per key. */
    at: InstantParam.optional(),
    key: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.at && !q.kind) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['kind'], message: 'is needed with at: what was in force of which kind' });
  });

const ConfigChangeView = z.object({
  id: z.number().int(),
  kind: ConfigKind,
  key: z.string().describe('sla-policy: severity/complexity; holiday: the date; contact: its id; auto-close and alert-rules: one key'),
  validFrom: z.string().describe('when the change took effect'),
  actor: z.string(),
  before: z.record(z.unknown()).nullable().describe('null: the key was added'),
  after: z.record(z.unknown()).nullable().describe('null: the key was removed'),
});

/** The configuration history (issue 17): every change, and what was in force at an instant. */
export function configHistoryRoutes({ pool }: { pool: Pool }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/config/history',
      summary:
        'Changes to the SLA policies, auto-close delay, holidays, contacts and alert rules, newest first; with kind and at, what was in force at that instant (one entry per key, removed keys left out)',
      tag: 'audit',
      roles: ['admin', 'spm', 'auditor'],
      query: HistoryQuery,
      success: { status: 200, schema: z.object({ at: z.string().nullable(), items: z.array(ConfigChangeView), total: z.number().int() }) },
      handle: async ({ query }) => {
        if (query.at && query.kind) {
          const inForce = (await configInForce(pool, query.kind, query.at)).filter((c) => !query.key || c.key === query.key);
          return { at: query.at, items: inForce, total: inForce.length };
        }
        const page = await configChanges(pool, { kind: query.kind, key: query.key, limit: query.limit, offset: query.offset });
        return { at: null, ...page };
      },
    }),
  ];
}
