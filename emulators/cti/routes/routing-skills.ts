import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { conflict } from '../genesys-errors';
import { mustFind } from '../lookup';
import { numberedPage } from '../paging';
import { byName, liveUsers, nowIso, sameName, type StateHolder } from '../state';
import { listParam, parseInput } from '../validate';
import { skillView } from '../views';

/** ACD skills: `/api/v2/routing/skills` — SDK models RoutingSkill, SkillEntityListing. */

const createSkill = z.object({ name: z.string().trim().min(1).max(100) });

export function routingSkillsRoutes(holder: StateHolder): Router {
  const router = Router();

  // Genesys: `name` keeps skills whose name starts with the value.
  router.get('/routing/skills', (req, res) => {
    const prefix = typeof req.query.name === 'string' ? req.query.name.toLowerCase() : undefined;
    const ids = listParam(req.query.id);
    const skills = [...holder.state.skills.values()]
      .filter((s) => prefix === undefined || s.name.toLowerCase().startsWith(prefix))
      .filter((s) => ids.length === 0 || ids.includes(s.id))
      .sort(byName);
    res.json(numberedPage(req, skills, (s) => skillView(holder.state, s)));
  });

  router.post('/routing/skills', (req, res) => {
    const { name } = parseInput(createSkill, req.body);
    const { state } = holder;
    if ([...state.skills.values()].some((s) => sameName(s.name, name))) throw conflict(`A skill named ${name} already exists`);
    const skill = { id: randomUUID(), name, dateModified: nowIso() };
    state.skills.set(skill.id, skill);
    res.json(skillView(state, skill));
  });

  router.get('/routing/skills/:skillId', (req, res) => {
    res.json(skillView(holder.state, mustFind(holder.state.skills, req.params.skillId, 'Skill')));
  });

  router.delete('/routing/skills/:skillId', (req, res) => {
    const { state } = holder;
    const skill = mustFind(state.skills, req.params.skillId, 'Skill');
    const holders = liveUsers(state).filter((u) => u.skills.has(skill.id)).length;
    if (holders > 0) throw conflict(`Skill ${skill.name} is still assigned to ${holders} user(s)`);
    state.skills.delete(skill.id);
    res.status(204).end();
  });

  return router;
}
