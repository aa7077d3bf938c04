import { Router } from 'express';
import { z } from 'zod';
import { badRequest, notImplemented, notImplementedError } from '../genesys-errors';
import { byName, liveUsers, type StateHolder, type UserRecord } from '../state';
import { parseInput } from '../validate';
import { userView } from '../views';

/**
 * `POST /api/v2/users/search` with the Genesys query shape (UserSearchRequest
 * → UsersSearchResponse). Served: criteria of type EXACT, CONTAINS and
 * STARTS_WITH over `fields` with `value` or `values` (any of), combined with
 * AND, `operator: 'NOT'` negating one. Other types, OR and nested groups are
 * valid Genesys but not emulated: 501. Deleted users are never found.
 */

const SEARCHABLE = ['id', 'name', 'email', 'username', 'state', 'department', 'title'] as const;
type SearchField = (typeof SEARCHABLE)[number];

const criterion = z.object({
  type: z.string(),
  fields: z.array(z.string()).min(1).optional(),
  value: z.string().optional(),
  values: z.array(z.string()).optional(),
  operator: z.enum(['AND', 'OR', 'NOT']).optional(),
  group: z.array(z.unknown()).optional(),
});

const searchRequest = z.object({
  pageSize: z.number().int().min(1).max(100).default(25),
  pageNumber: z.number().int().min(1).default(1),
  sortOrder: z.string().optional(),
  sortBy: z.string().optional(),
  expand: z.array(z.string()).optional(),
  query: z.array(criterion).min(1),
});

type Criterion = z.infer<typeof criterion>;

export function usersSearchRoutes(holder: StateHolder): Router {
  const router = Router();
  // The q64 follow-up search exists in Genesys but not here; without this it would read as "user 'search' not found".
  router.get('/users/search', notImplemented);
  router.post('/users/search', (req, res) => {
    const body = parseInput(searchRequest, req.body);
    const predicates = body.query.map(toPredicate);
    const found = liveUsers(holder.state)
      .filter((u) => predicates.every((p) => p(u)))
      .sort(byName);
    const { pageSize, pageNumber } = body;
    res.json({
      total: found.length,
      pageCount: Math.ceil(found.length / pageSize),
      pageSize,
      pageNumber,
      types: ['users'],
      results: found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((u) => userView(holder.state, u)),
    });
  });
  return router;
}

function toPredicate(c: Criterion): (user: UserRecord) => boolean {
  if (c.group || c.operator === 'OR') throw notImplementedError('User search with OR or nested groups');
  if (!['EXACT', 'CONTAINS', 'STARTS_WITH'].includes(c.type)) throw notImplementedError(`User search criterion type ${c.type}`);
  const fields = (c.fields ?? []).map(searchField);
  const wanted = [...(c.values ?? []), ...(c.value !== undefined ? [c.value] : [])].map((v) => v.toLowerCase());
  if (fields.length === 0 || wanted.length === 0) throw badRequest(`A ${c.type} criterion needs fields and a value`);
  const test = (actual: string, w: string) => (c.type === 'EXACT' ? actual === w : c.type === 'CONTAINS' ? actual.includes(w) : actual.startsWith(w));
  const matches = (user: UserRecord) => fields.some((f) => wanted.some((w) => test(fieldValue(user, f).toLowerCase(), w)));
  return c.operator === 'NOT' ? (u) => !matches(u) : matches;
}

function searchField(name: string): SearchField {
  if ((SEARCHABLE as readonly string[]).includes(name)) return name as SearchField;
  throw badRequest(`Field ${name} is not searchable (emulator serves ${SEARCHABLE.join(', ')})`);
}

function fieldValue(user: UserRecord, field: SearchField): string {
  if (field === 'username') return user.email;
  return user[field] ?? '';
}
