import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { conflict } from '../genesys-errors';
import { mustFind } from '../lookup';
import { numberedPage } from '../paging';
import { byName, nowIso, sameName, type CtiState, type ScheduleRecord, type StateHolder } from '../state';
import { parseInput } from '../validate';
import { divisionRef } from '../views';
import { nameFilter } from '../name-filter';

/**
 * Architect schedules: `/api/v2/architect/schedules` — SDK models Schedule,
 * ScheduleEntityListing. `start`/`end` are local date-times without offset
 * (`2025-01-01T00:00:00.000`), read in the time zone of the schedule group
 * that uses the schedule; an all-day holiday runs from midnight to midnight.
 */

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

const localDateTime = z
  .string()
  .regex(LOCAL_DATE_TIME, 'must be a local date-time like 2025-01-01T00:00:00.000')
  .transform((v, ctx) => {
    const [, date, hm, ss = '00', ms = '000'] = LOCAL_DATE_TIME.exec(v)!;
    const normalized = `${date}T${hm}:${ss}.${ms.padEnd(3, '0')}`;
    if (new Date(`${normalized}Z`).toISOString() !== `${normalized}Z`) ctx.addIssue({ code: 'custom', message: 'is not a real date-time' });
    return normalized;
  });

const scheduleBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().optional(),
    start: localDateTime,
    end: localDateTime,
    rrule: z.string().optional(),
    version: z.number().int().optional(),
  })
  .refine((s) => s.end > s.start, { message: 'end must be after start', path: ['end'] });

export function schedulesRoutes(holder: StateHolder): Router {
  const router = Router();
  const view = scheduleView(holder);

  router.get('/architect/schedules', (req, res) => {
    const matches = nameFilter(req.query.name);
    const schedules = [...holder.state.schedules.values()].filter((s) => matches(s.name)).sort(byName);
    res.json(numberedPage(req, schedules, view));
  });

  router.post('/architect/schedules', (req, res) => {
    const body = parseInput(scheduleBody, req.body);
    assertNameFree(holder.state, body.name);
    const at = nowIso();
    const schedule: ScheduleRecord = { id: randomUUID(), ...body, version: 1, dateCreated: at, dateModified: at };
    holder.state.schedules.set(schedule.id, schedule);
    res.json(view(schedule));
  });

  router.get('/architect/schedules/:scheduleId', (req, res) => {
    res.json(view(mustFind(holder.state.schedules, req.params.scheduleId, 'Schedule')));
  });

  router.put('/architect/schedules/:scheduleId', (req, res) => {
    const schedule = mustFind(holder.state.schedules, req.params.scheduleId, 'Schedule');
    const body = parseInput(scheduleBody, req.body);
    if (body.version !== undefined && body.version !== schedule.version)
      throw conflict(`Schedule ${schedule.name} is at version ${schedule.version}, not ${body.version}`);
    if (!sameName(body.name, schedule.name)) assertNameFree(holder.state, body.name);
    const { version: _ignored, ...fields } = body;
    Object.assign(schedule, { description: undefined, rrule: undefined }, fields, { version: schedule.version + 1, dateModified: nowIso() });
    res.json(view(schedule));
  });

  router.delete('/architect/schedules/:scheduleId', (req, res) => {
    const { state } = holder;
    const schedule = mustFind(state.schedules, req.params.scheduleId, 'Schedule');
    const user = [...state.scheduleGroups.values()].find((g) => [...g.openScheduleIds, ...g.closedScheduleIds, ...g.holidayScheduleIds].includes(schedule.id));
    if (user) throw conflict(`Schedule ${schedule.name} is used by schedule group ${user.name}`);
    state.schedules.delete(schedule.id);
    res.status(204).end();
  });

  return router;
}

function assertNameFree(state: CtiState, name: string): void {
  if ([...state.schedules.values()].some((s) => sameName(s.name, name))) throw conflict(`A schedule named ${name} already exists`);
}

function scheduleView(holder: StateHolder) {
  return (s: ScheduleRecord) => ({
    id: s.id,
    name: s.name,
    division: divisionRef(holder.state),
    description: s.description,
    version: s.version,
    dateCreated: s.dateCreated,
    dateModified: s.dateModified,
    state: 'active',
    start: s.start,
    end: s.end,
    rrule: s.rrule,
    selfUri: `/api/v2/architect/schedules/${s.id}`,
  });
}
