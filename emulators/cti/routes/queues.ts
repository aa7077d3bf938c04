import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { badRequest, conflict } from '../genesys-errors';
import { liveUser, mustFind } from '../lookup';
import { nameFilter } from '../name-filter';
import { numberedPage } from '../paging';
import { byName, nowIso, sameName, type CtiState, type QueueRecord, type StateHolder } from '../state';
import { listParam, parseInput } from '../validate';
import { divisionRef, userView } from '../views';

/**
 * ACD queues: `/api/v2/routing/queues` — SDK models CreateQueueRequest, Queue,
 * QueueEntityListing, QueueMember, QueueMemberEntityListing (which carries no
 * total/pageCount: follow nextUri). Members are added with POST `[{id}]` and
 * removed with the same call and `?delete=true`. A queue belongs to one
 * division (the home division unless `division.id` says otherwise); the
 * listing filters by `divisionId`.
 */

const createQueue = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().optional(),
  division: z.object({ id: z.string().min(1) }).optional(),
});
const memberList = z
  .array(z.object({ id: z.string().min(1) }))
  .min(1)
  .max(100);
const membersQuery = z.object({ delete: z.enum(['true', 'false']).default('false') });

export function queuesRoutes(holder: StateHolder): Router {
  const router = Router();
  const view = (q: QueueRecord) => queueView(holder.state, q);

  router.get('/routing/queues', (req, res) => {
    const nameMatches = nameFilter(req.query.name);
    const ids = listParam(req.query.id);
    const divisionIds = listParam(req.query.divisionId);
    const queues = [...holder.state.queues.values()]
      .filter((q) => nameMatches(q.name) && (ids.length === 0 || ids.includes(q.id)))
      .filter((q) => divisionIds.length === 0 || divisionIds.includes(q.divisionId))
      .sort(byName);
    res.json(numberedPage(req, queues, view));
  });

  router.post('/routing/queues', (req, res) => {
    const body = parseInput(createQueue, req.body);
    const { state } = holder;
    if ([...state.queues.values()].some((q) => sameName(q.name, body.name))) throw conflict(`A queue named ${body.name} already exists`);
    const divisionId = body.division?.id ?? state.division.id;
    // A reference in the body to something that does not exist is a bad request, not a missing resource.
    if (!state.divisions.has(divisionId)) throw badRequest(`Division ${divisionId} does not exist`, [{ fieldName: 'division.id', entityId: divisionId }]);
    const at = nowIso();
    const queue: QueueRecord = {
      id: randomUUID(),
      name: body.name,
      divisionId,
      description: body.description,
      dateCreated: at,
      dateModified: at,
      memberIds: new Set(),
    };
    state.queues.set(queue.id, queue);
    res.json(view(queue));
  });

  router.get('/routing/queues/:queueId', (req, res) => {
    res.json(view(mustFind(holder.state.queues, req.params.queueId, 'Queue')));
  });

  router.get('/routing/queues/:queueId/members', (req, res) => {
    const { state } = holder;
    const queue = mustFind(state.queues, req.params.queueId, 'Queue');
    const members = [...queue.memberIds].map((id) => liveUser(state, id)).sort(byName);
    const member = (u: (typeof members)[number]) => ({
      id: u.id,
      name: u.name,
      user: userView(state, u),
      ringNumber: 1,
      joined: false,
      memberBy: 'user',
      selfUri: `/api/v2/routing/queues/${queue.id}/members/${u.id}`,
    });
    res.json(numberedPage(req, members, member, { maxPageSize: 100, withTotals: false }));
  });

  router.post('/routing/queues/:queueId/members', (req, res) => {
    const { state } = holder;
    const queue = mustFind(state.queues, req.params.queueId, 'Queue');
    const removing = parseInput(membersQuery, req.query, 'query').delete === 'true';
    const ids = parseInput(memberList, req.body).map((m) => m.id);
    if (removing) ids.forEach((id) => queue.memberIds.delete(id));
    else {
      ids.forEach((id) => liveUser(state, id));
      ids.forEach((id) => queue.memberIds.add(id));
    }
    queue.dateModified = nowIso();
    res.status(204).end();
  });

  return router;
}

function queueView(state: CtiState, queue: QueueRecord) {
  return {
    id: queue.id,
    name: queue.name,
    division: divisionRef(state, queue.divisionId),
    description: queue.description,
    dateCreated: queue.dateCreated,
    dateModified: queue.dateModified,
    memberCount: queue.memberIds.size,
    userMemberCount: queue.memberIds.size,
    joinedMemberCount: 0,
    skillEvaluationMethod: 'ALL',
    acwSettings: { wrapupPrompt: 'OPTIONAL' },
    selfUri: `/api/v2/routing/queues/${queue.id}`,
  };
}
