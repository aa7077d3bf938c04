import { z } from 'zod';
import { Role } from '../domain/actor';
import { ALL_ROLES, route, type AnyRoute } from './route';

const Me = z.object({ id: z.string(), role: Role });

/** Who the bearer token stands for: what the console shows and which actions it offers (the server still decides). */
export function sessionRoutes(): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/me',
      summary: 'The caller as its token stands for it: its subject (id) and role',
      tag: 'session',
      roles: ALL_ROLES,
      success: { status: 200, schema: Me },
      handle: async ({ actor }) => Me.parse(actor),
    }),
  ];
}
