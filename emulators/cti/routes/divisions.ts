import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { conflict } from '../genesys-errors';
import { mustFind } from '../lookup';
import { nameFilter } from '../name-filter';
import { numberedPage } from '../paging';
import { byName, sameName, type CtiState, type DivisionRecord, type StateHolder } from '../state';
import { listParam, parseInput } from '../validate';

/**
 * Divisions: `/api/v2/authorization/divisions` — SDK models AuthzDivision and
 * AuthzDivisionEntityListing. Butler's centers are divisions; a queue names
 * its division when created (routes/queues.ts). Served: list (by `name`,
 * `id`), get one, get the home division, create.
 */

const createDivision = z.object({ name: z.string().trim().min(1).max(255), description: z.string().optional() });

export function divisionsRoutes(holder: StateHolder): Router {
  const router = Router();
  const view = (d: DivisionRecord) => divisionView(holder.state, d);

  router.get('/authorization/divisions', (req, res) => {
    const nameMatches = nameFilter(req.query.name);
    const ids = listParam(req.query.id);
    const divisions = [...holder.state.divisions.values()].filter((d) => nameMatches(d.name) && (ids.length === 0 || ids.includes(d.id))).sort(byName);
    res.json(numberedPage(req, divisions, view));
  });

  router.post('/authorization/divisions', (req, res) => {
    const body = parseInput(createDivision, req.body);
    const { state } = holder;
    if ([...state.divisions.values()].some((d) => sameName(d.name, body.name))) throw conflict(`A division named ${body.name} already exists`);
    const division: DivisionRecord = { id: randomUUID(), name: body.name, description: body.description };
    state.divisions.set(division.id, division);
    res.json(view(division));
  });

  // Declared before /:divisionId, which would otherwise take "home" for an id.
  router.get('/authorization/divisions/home', (_req, res) => {
    res.json(view(holder.state.division));
  });

  router.get('/authorization/divisions/:divisionId', (req, res) => {
    res.json(view(mustFind(holder.state.divisions, req.params.divisionId, 'Division')));
  });

  return router;
}

function divisionView(state: CtiState, d: DivisionRecord) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    homeDivision: d.id === state.division.id,
    selfUri: `/api/v2/authorization/divisions/${d.id}`,
  };
}
