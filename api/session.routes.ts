import { z } from 'zod';
import { Role } from '../domain/actor';
import { operationIdOf } from './openapi';
import { ALL_ROLES, route, type AnyRoute } from './route';

const Me = z.object({
  id: z.string(),
  role: Role,
  operations: z.array(z.string()).describe('The operationIds of the OpenAPI document this caller’s role may call: the console offers those actions only'),
});

/**
 * Who the bearer token stands for: what the console shows and which actions it offers. The route
 * table is the one place that says which role may call what; the server still refuses the rest.
 */
export function sessionRoutes(routes: () => readonly AnyRoute[]): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/me',
      summary: 'The caller as its token stands for it: its subject (id), role and the operations that role may call',
      tag: 'session',
      roles: ALL_ROLES,
      success: { status: 200, schema: Me },
      handle: async ({ actor }) =>
        Me.parse({
          ...actor,
          operations: routes()
            .filter((r) => (r.roles as readonly string[]).includes(actor.role))
            .map((r) => operationIdOf(r.method, r.path))
            .sort(),
        }),
    }),
  ];
}
