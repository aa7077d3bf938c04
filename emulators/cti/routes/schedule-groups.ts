import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { conflict } from '../genesys-errors';
import { mustFind } from '../lookup';
import { nameFilter } from '../name-filter';
import { numberedPage } from '../paging';
import { byName, nowIso, sameName, type CtiState, type ScheduleGroupRecord, type StateHolder } from '../state';
import { isTimeZone } from '../time-zone';
import { listParam, parseInput } from '../validate';
import { divisionRef } from '../views';
import { SEOUL_TIME_ZONE } from '../../../domain/calendar/seoul';

/**
 * Architect schedule groups: `/api/v2/architect/schedulegroups` — SDK model
 * ScheduleGroup. The group an IVR consults names its open, closed and holiday
 * schedules (DomainEntityRef `{id}`) and the time zone they are read in.
 */

const ref = z.object({ id: z.string().min(1) });
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Seoul');
const groupBody = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().optional(),
  timeZone: timeZone.optional(),
  openSchedules: z.array(ref).default([]),
  closedSchedules: z.array(ref).default([]),
  holidaySchedules: z.array(ref).default([]),
  version: z.number().int().optional(),
});

export function scheduleGroupsRoutes(holder: StateHolder): Router {
  const router = Router();
  const view = (g: ScheduleGroupRecord) => groupView(holder.state, g);

  router.get('/architect/schedulegroups', (req, res) => {
    const matches = nameFilter(req.query.name);
    const scheduleIds = listParam(req.query.scheduleIds);
    const groups = [...holder.state.scheduleGroups.values()]
      .filter((g) => matches(g.name))
      .filter((g) => scheduleIds.length === 0 || scheduleIdsOf(g).some((id) => scheduleIds.includes(id)))
      .sort(byName);
    res.json(numberedPage(req, groups, view));
  });

  router.post('/architect/schedulegroups', (req, res) => {
    const body = parseInput(groupBody, req.body);
    assertNameFree(holder.state, body.name);
    const at = nowIso();
    const group: ScheduleGroupRecord = { id: randomUUID(), ...fields(holder.state, body), version: 1, dateCreated: at, dateModified: at };
    holder.state.scheduleGroups.set(group.id, group);
    res.json(view(group));
  });

  router.get('/architect/schedulegroups/:groupId', (req, res) => {
    res.json(view(mustFind(holder.state.scheduleGroups, req.params.groupId, 'Schedule group')));
  });

  router.put('/architect/schedulegroups/:groupId', (req, res) => {
    const group = mustFind(holder.state.scheduleGroups, req.params.groupId, 'Schedule group');
    const body = parseInput(groupBody, req.body);
    if (body.version !== undefined && body.version !== group.version)
      throw conflict(`Schedule group ${group.name} is at version ${group.version}, not ${body.version}`);
    if (!sameName(body.name, group.name)) assertNameFree(holder.state, body.name);
    Object.assign(group, fields(holder.state, body), { version: group.version + 1, dateModified: nowIso() });
    res.json(view(group));
  });

  // Deleting a group leaves its schedules in place, as Genesys does.
  router.delete('/architect/schedulegroups/:groupId', (req, res) => {
    const group = mustFind(holder.state.scheduleGroups, req.params.groupId, 'Schedule group');
    holder.state.scheduleGroups.delete(group.id);
    res.status(204).end();
  });

  return router;
}

function fields(state: CtiState, body: z.infer<typeof groupBody>) {
  const ids = (refs: Array<{ id: string }>) => [...new Set(refs.map((r) => mustFind(state.schedules, r.id, 'Schedule').id))];
  return {
    name: body.name,
    description: body.description,
    timeZone: body.timeZone ?? SEOUL_TIME_ZONE,
    openScheduleIds: ids(body.openSchedules),
    closedScheduleIds: ids(body.closedSchedules),
    holidayScheduleIds: ids(body.holidaySchedules),
  };
}

function scheduleIdsOf(g: ScheduleGroupRecord): string[] {
  return [...g.openScheduleIds, ...g.closedScheduleIds, ...g.holidayScheduleIds];
}

function assertNameFree(state: CtiState, name: string): void {
  if ([...state.scheduleGroups.values()].some((g) => sameName(g.name, name))) throw conflict(`A schedule group named ${name} already exists`);
}

function groupView(state: CtiState, g: ScheduleGroupRecord) {
  const refs = (ids: string[]) => ids.map((id) => ({ id, name: state.schedules.get(id)?.name, selfUri: `/api/v2/architect/schedules/${id}` }));
  return {
    id: g.id,
    name: g.name,
    division: divisionRef(state),
    description: g.description,
    version: g.version,
    dateCreated: g.dateCreated,
    dateModified: g.dateModified,
    state: 'active',
    timeZone: g.timeZone,
    openSchedules: refs(g.openScheduleIds),
    closedSchedules: refs(g.closedScheduleIds),
    holidaySchedules: refs(g.holidayScheduleIds),
    selfUri: `/api/v2/architect/schedulegroups/${g.id}`,
  };
}
