import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { conflict, notFound } from '../genesys-errors';
import { liveUser } from '../lookup';
import { numberedPage } from '../paging';
import { byName, nowIso, sameName, type CtiState, type StateHolder, type UserRecord } from '../state';
import { listParam, parseInput } from '../validate';
import { userView } from '../views';

/** Users (agents): `/api/v2/users` — SDK models CreateUser, UpdateUser, User, UserEntityListing. */

const createUser = z.object({
  name: z.string().trim().min(1).max(255),
  email: z.string().trim().email(),
  department: z.string().optional(),
  title: z.string().optional(),
  password: z.string().optional(),
  divisionId: z.string().optional(),
  state: z.enum(['active', 'inactive']).optional(),
});

const updateUser = z.object({
  version: z.number().int(),
  name: z.string().trim().min(1).max(255).optional(),
  email: z.string().trim().email().optional(),
  department: z.string().optional(),
  title: z.string().optional(),
  state: z.enum(['active', 'inactive']).optional(),
});

const listQuery = z.object({ state: z.enum(['active', 'inactive', 'deleted', 'any']).default('active') });
const getQuery = z.object({ state: z.enum(['active', 'deleted']).default('active') });

export function usersRoutes(holder: StateHolder): Router {
  const router = Router();

  router.get('/users', (req, res) => {
    const { state: wanted } = parseInput(listQuery, req.query, 'query');
    const ids = listParam(req.query.id);
    const users = [...holder.state.users.values()]
      .filter((u) => wanted === 'any' || u.state === wanted)
      .filter((u) => ids.length === 0 || ids.includes(u.id))
      .sort(byName);
    res.json(numberedPage(req, users, (u) => userView(holder.state, u)));
  });

  router.post('/users', (req, res) => {
    const body = parseInput(createUser, req.body);
    const { state } = holder;
    assertEmailFree(state, body.email);
    const user: UserRecord = {
      id: randomUUID(),
      name: body.name,
      email: body.email,
      department: body.department,
      title: body.title,
      state: body.state ?? 'active',
      version: 1,
      dateCreated: nowIso(),
      skills: new Map(),
    };
    state.users.set(user.id, user);
    for (const role of state.roles.values()) if (role.isDefault) role.userIds.add(user.id);
    res.json(userView(state, user));
  });

  router.get('/users/:userId', (req, res) => {
    const { state: wanted } = parseInput(getQuery, req.query, 'query');
    const user = holder.state.users.get(req.params.userId);
    const found = wanted === 'deleted' ? user?.state === 'deleted' : user !== undefined && user.state !== 'deleted';
    if (!user || !found) throw notFound('User', req.params.userId);
    res.json(userView(holder.state, user));
  });

  router.patch('/users/:userId', (req, res) => {
    const body = parseInput(updateUser, req.body);
    const user = liveUser(holder.state, req.params.userId);
    if (body.version !== user.version) {
      throw conflict(`The version supplied (${body.version}) does not match the current version of the user (${user.version})`);
    }
    if (body.email && !sameName(body.email, user.email)) assertEmailFree(holder.state, body.email);
    Object.assign(user, {
      name: body.name ?? user.name,
      email: body.email ?? user.email,
      department: body.department ?? user.department,
      title: body.title ?? user.title,
      state: body.state ?? user.state,
      version: user.version + 1,
    });
    res.json(userView(holder.state, user));
  });

  router.delete('/users/:userId', (req, res) => {
    const { state } = holder;
    const user = liveUser(state, req.params.userId);
    user.state = 'deleted';
    user.version += 1;
    user.skills.clear();
    // A deleted user holds nothing: no team, queue or role (and so no licence).
    for (const group of [...state.teams.values(), ...state.queues.values()]) group.memberIds.delete(user.id);
    for (const role of state.roles.values()) role.userIds.delete(user.id);
    res.json({});
  });

  return router;
}

function assertEmailFree(state: CtiState, email: string): void {
  const taken = [...state.users.values()].some((u) => u.state !== 'deleted' && sameName(u.email, email));
  if (taken) throw conflict(`A user with email ${email} already exists`);
}
