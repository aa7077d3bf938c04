import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { badRequest, conflict } from '../genesys-errors';
import { mustFind } from '../lookup';
import { cursorPage } from '../paging';
import { byName, nowIso, sameName, type CtiState, type StateHolder, type TeamRecord } from '../state';
import { listParam, parseInput } from '../validate';
import { divisionRef, userRef } from '../views';

/**
 * Work teams: `/api/v2/teams` — SDK models Team, TeamEntityListing (cursor
 * paged), TeamMembers, TeamMemberAddListingResponse. A user belongs to at most
 * one team (Genesys: one per division); adding a member of another team is
 * reported as a failure, not a move.
 */

const createTeam = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().optional(),
  division: z.object({ id: z.string() }).optional(),
});
const addMembers = z.object({ memberIds: z.array(z.string().min(1)).min(1).max(25) });

export function teamsRoutes(holder: StateHolder): Router {
  const router = Router();
  const view = (team: TeamRecord) => teamView(holder.state, team);

  // Genesys: `name` keeps teams whose name starts with the value, ignoring case.
  router.get('/teams', (req, res) => {
    const prefix = typeof req.query.name === 'string' ? req.query.name.toLowerCase() : undefined;
    const teams = [...holder.state.teams.values()].filter((t) => prefix === undefined || t.name.toLowerCase().startsWith(prefix)).sort(byName);
    res.json(cursorPage(req, teams, view));
  });

  router.post('/teams', (req, res) => {
    const body = parseInput(createTeam, req.body);
    const { state } = holder;
    if ([...state.teams.values()].some((t) => sameName(t.name, body.name))) throw conflict(`A team named ${body.name} already exists`);
    const at = nowIso();
    const team: TeamRecord = { id: randomUUID(), name: body.name, description: body.description, dateCreated: at, dateModified: at, memberIds: new Set() };
    state.teams.set(team.id, team);
    res.json(view(team));
  });

  router.get('/teams/:teamId', (req, res) => {
    res.json(view(mustFind(holder.state.teams, req.params.teamId, 'Team')));
  });

  router.delete('/teams/:teamId', (req, res) => {
    const team = mustFind(holder.state.teams, req.params.teamId, 'Team');
    if (team.memberIds.size > 0) throw conflict(`Team ${team.name} still has ${team.memberIds.size} member(s)`);
    holder.state.teams.delete(team.id);
    res.status(204).end();
  });

  router.get('/teams/:teamId/members', (req, res) => {
    const { state } = holder;
    const team = mustFind(state.teams, req.params.teamId, 'Team');
    const withNames = req.query.expand === 'entities';
    const members = [...team.memberIds].map((id) => ({ id, name: state.users.get(id)?.name ?? '' })).sort(byName);
    res.json(cursorPage(req, members, (m) => (withNames ? { ...userRef(m.id), name: m.name } : userRef(m.id))));
  });

  router.post('/teams/:teamId/members', (req, res) => {
    const { state } = holder;
    const team = mustFind(state.teams, req.params.teamId, 'Team');
    const { memberIds } = parseInput(addMembers, req.body);
    const entities: Array<ReturnType<typeof userRef>> = [];
    const failures: Array<{ id: string; reason: string }> = [];
    for (const id of new Set(memberIds)) {
      const reason = refusal(state, team, id);
      if (reason) failures.push({ id, reason });
      else {
        team.memberIds.add(id);
        entities.push(userRef(id));
      }
    }
    team.dateModified = nowIso();
    res.json({ entities, failures });
  });

  // Genesys: DELETE …/members?id=a,b — ids that are not members are ignored.
  router.delete('/teams/:teamId/members', (req, res) => {
    const team = mustFind(holder.state.teams, req.params.teamId, 'Team');
    const ids = listParam(req.query.id);
    if (ids.length === 0) throw badRequest('Query parameter id (comma-separated member ids) is required');
    for (const id of ids) team.memberIds.delete(id);
    team.dateModified = nowIso();
    res.status(204).end();
  });

  return router;
}

function refusal(state: CtiState, team: TeamRecord, userId: string): string | undefined {
  const user = state.users.get(userId);
  if (!user || user.state === 'deleted') return 'UserNotFound';
  const other = [...state.teams.values()].find((t) => t !== team && t.memberIds.has(userId));
  return other ? `UserAlreadyInAnotherTeam` : undefined;
}

function teamView(state: CtiState, team: TeamRecord) {
  return {
    id: team.id,
    name: team.name,
    division: divisionRef(state),
    description: team.description,
    dateCreated: team.dateCreated,
    dateModified: team.dateModified,
    memberCount: team.memberIds.size,
    selfUri: `/api/v2/teams/${team.id}`,
  };
}
