import { z } from 'zod';
import { deleteHoliday, listHolidays, putHoliday } from '../db/holidays.repo';
import { NotFoundError } from '../domain/errors';
import { IsoDate } from '../domain/sla/model';
import type { IncidentServiceDeps } from './incident-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

/** A real calendar date, not just the YYYY-MM-DD shape (2026-02-30 is refused). */
const CalendarDate = IsoDate.refine((d) => {
  // A month or day out of range (2026-13-01) is an Invalid Date, whose toISOString() throws.
  const day = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(d);
}, 'not a calendar date');

export function calendarRoutes({ pool }: Pick<IncidentServiceDeps, 'pool'>): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/calendar/holidays',
      summary: 'Holidays that stop the business-hours SLA clock (and feed the IVR holiday schedule)',
      tag: 'calendar',
      roles: ALL_ROLES,
      query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict(),
      success: { status: 200 },
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
          kind: z.enum(['national', 'lunar', 'substitute', 'election', 'temporary', 'company']).default('temporary'),
        })
        .strict(),
      success: { status: 200 },
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
      handle: async ({ params }) => {
        if (!(await deleteHoliday(pool, params.date))) throw new NotFoundError('holiday', params.date);
      },
    }),
  ];
}
