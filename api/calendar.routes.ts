import { z } from 'zod';
import { deleteHoliday, listHolidays, putHoliday } from '../db/holidays.repo';
import { NotFoundError } from '../domain/errors';
import { CalendarDate } from '../domain/sla/model';
import type { IncidentServiceDeps } from './incident-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

const HolidayKind = z.enum(['national', 'lunar', 'substitute', 'election', 'temporary', 'company']);
/** A holiday: from the reviewed seed, or added or corrected by an admin (who, then). */
const HolidayView = z.object({
  date: z.string().date(),
  name: z.string(),
  kind: HolidayKind,
  source: z.enum(['seed', 'admin']),
  updatedBy: z.string().nullable(),
});

export function calendarRoutes({ pool }: Pick<IncidentServiceDeps, 'pool'>): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/calendar/holidays',
      summary: 'Holidays that stop the business-hours SLA clock (and feed the IVR holiday schedule)',
      tag: 'calendar',
      roles: ALL_ROLES,
      query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict(),
      success: { status: 200, schema: z.object({ items: z.array(HolidayView) }) },
      handle: async ({ query }) => ({ items: await listHolidays(pool, query.year) }),
    }),
    route({
      method: 'put',
      path: '/api/v1/calendar/holidays/:date',
      summary: 'Add or correct a holiday (applies to incidents opened afterwards)',
      tag: 'calendar',
      roles: ['admin'],
      params: z.object({ date: CalendarDate }).strict(),
      body: z
        .object({
          name: z.string().trim().min(1).max(100),
          kind: HolidayKind.default('temporary'),
        })
        .strict(),
      success: { status: 200, description: 'the holiday as corrected (201 when added)', schema: HolidayView },
      handle: async ({ params, body, actor, res }) => {
        const { holiday, created } = await putHoliday(pool, { date: params.date, ...body }, actor.id);
        res.status(created ? 201 : 200).json(holiday);
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/calendar/holidays/:date',
      summary: 'Remove a holiday (the day becomes a working day if it is a weekday)',
      tag: 'calendar',
      roles: ['admin'],
      params: z.object({ date: CalendarDate }).strict(),
      success: { status: 204 },
      handle: async ({ params, actor }) => {
        if (!(await deleteHoliday(pool, params.date, actor.id))) throw new NotFoundError('holiday', params.date);
      },
    }),
  ];
}
