import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../genesys-errors';
import { liveUser, mustFind } from '../lookup';
import { numberedPage } from '../paging';
import { byName, type CtiState, type StateHolder, type UserRecord } from '../state';
import { parseInput } from '../validate';

/**
 * An agent's skills: `/api/v2/users/{userId}/routingskills` — SDK models
 * UserRoutingSkillPost (in), UserRoutingSkill and UserSkillEntityListing
 * (out). PUT …/bulk replaces the whole set, PATCH …/bulk adds or updates.
 */

const skillAssignments = z.array(z.object({ id: z.string().min(1), proficiency: z.number().min(0).max(5) })).max(50);

export function userRoutingSkillsRoutes(holder: StateHolder): Router {
  const router = Router();

  router.get('/users/:userId/routingskills', (req, res) => {
    const user = liveUser(holder.state, req.params.userId);
    res.json(numberedPage(req, userSkills(holder.state, user), (s) => s));
  });

  for (const method of ['put', 'patch'] as const) {
    router[method]('/users/:userId/routingskills/bulk', (req, res) => {
      const { state } = holder;
      const user = liveUser(state, req.params.userId);
      const assignments = parseInput(skillAssignments, req.body);
      for (const { id } of assignments) mustFind(state.skills, id, 'Skill');
      if (method === 'put') user.skills.clear();
      for (const { id, proficiency } of assignments) user.skills.set(id, proficiency);
      const all = userSkills(state, user);
      res.json({ entities: all, pageSize: all.length, pageNumber: 1, total: all.length, pageCount: 1 });
    });
  }

  router.delete('/users/:userId/routingskills/:skillId', (req, res) => {
    const user = liveUser(holder.state, req.params.userId);
    if (!user.skills.delete(req.params.skillId)) throw notFound('Routing skill of the user', req.params.skillId);
    res.status(204).end();
  });

  return router;
}

function userSkills(state: CtiState, user: UserRecord) {
  return [...user.skills.entries()]
    .map(([id, proficiency]) => ({ id, name: state.skills.get(id)?.name ?? id, proficiency }))
    .sort(byName)
    .map((s) => ({
      ...s,
      state: 'active',
      skillUri: `/api/v2/routing/skills/${s.id}`,
      selfUri: `/api/v2/users/${user.id}/routingskills/${s.id}`,
    }));
}
