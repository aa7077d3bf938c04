import { z } from 'zod';
import { createContact, deleteContact, listContacts } from '../db/contacts.repo';
import { NotFoundError, ValidationError } from '../domain/errors';
import { OutboundUrlRefusedError, STRICT_OUTBOUND, vetOutboundUrl, type OutboundPolicy } from '../system/outbound-url';
import { Audience, ContactInput, DutyHours } from '../domain/notification/contracts';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

const ContactView = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  audience: Audience,
  hours: DutyHours,
  center: z.string().nullable().describe('null: the contact covers every center'),
  active: z.boolean(),
  createdAt: z.string().datetime(),
});

/** The notification roster: who hears about incidents, in and out of business hours. */
export function contactRoutes({ pool, outbound = STRICT_OUTBOUND }: Pick<IncidentServiceDeps, 'pool'> & { outbound?: OutboundPolicy }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/contacts',
      summary: 'The contact and on-call roster',
      tag: 'contacts',
      roles: ['admin', 'spm', 'auditor'],
      success: { status: 200, schema: z.object({ items: z.array(ContactView) }) },
      handle: async () => ({ items: await listContacts(pool) }),
    }),
    route({
      method: 'post',
      path: '/api/v1/contacts',
      summary: 'Add a contact to the roster',
      tag: 'contacts',
      roles: ['admin', 'spm'],
      body: ContactInput,
      success: { status: 201, schema: ContactView },
      handle: async ({ body, actor }) => {
        // Refused when saved, not at the first incident: where it points is checked now (and again at each delivery).
        if (body.webhookUrl) {
          await vetOutboundUrl(body.webhookUrl, outbound).catch((e: Error) => {
            throw new ValidationError([{ path: 'webhookUrl', message: e instanceof OutboundUrlRefusedError ? e.message : 'could not be checked' }]);
          });
        }
        return createContact(pool, body, actor.id);
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/contacts/:id',
      summary: 'Remove a contact from the roster',
      tag: 'contacts',
      roles: ['admin', 'spm'],
      // Contact ids are PostgreSQL integers (serial); a larger number is a bad id, not a database error.
      params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }).strict(),
      success: { status: 204 },
      handle: async ({ params, actor }) => {
        if (!(await deleteContact(pool, params.id, actor.id))) throw new NotFoundError('contact', String(params.id));
      },
    }),
  ];
}
