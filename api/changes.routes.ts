import { z } from 'zod';
import { listChanges } from '../db/changes.repo';
import { CHANGE_ACTIONS, ChangeRequest, ChangeState, ChangeStatus, type ChangeAction } from '../domain/change/contracts';
import { actOnChange, getChange, submitChange, type ChangeServiceDeps } from './change-service';
import { ALL_ROLES, route, type AnyRoute } from './route';
import { InstantParam } from './instant-param';
import { ID_PREFIX, idParams } from '../domain/ids';

const IdParams = idParams(ID_PREFIX.change, 'a change');

const ListQuery = z
  .object({
    status: ChangeStatus.optional(),
    target: z.string().max(100).optional(),
    /** `true`: emergency changes only; `false`: the others. */
    emergency: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /** Changes whose window overlaps [from, to) (a calendar's month): both instants with their offset. */
    from: InstantParam.optional(),
    to: InstantParam.optional(),
    /** `requested` (newest request first, the default) or `window` (earliest window first). */
    sort: z.enum(['requested', 'window']).default('requested'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] });

const REQUESTERS = ['admin', 'spm', 'engineer', 'automation'] as const;
/** Approving on the customer's or carrier's behalf is the SPM's (or an admin's) call. */
const APPROVERS = ['admin', 'spm'] as const;

export function changeRoutes(deps: ChangeServiceDeps): AnyRoute[] {
  const actionRoutes = (Object.keys(CHANGE_ACTIONS) as ChangeAction[]).map((action) =>
    route({
      method: 'post',
      path: `/api/v1/changes/:id/${action}`,
      summary: `${action} a change (allowed from ${CHANGE_ACTIONS[action].from.join(', ')})`,
      tag: 'changes',
      roles: action === 'cancel' ? REQUESTERS : APPROVERS,
      params: IdParams,
      body: CHANGE_ACTIONS[action].body as z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>,
      success: { status: 200, schema: ChangeState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => actOnChange(deps, params.id, action, body as never, actor, idempotencyKey),
    }),
  );
  return [
    route({
      method: 'post',
      path: '/api/v1/changes',
      summary:
        'Submit a change request (변경 요청서); refused when its window overlaps an approved change on the same target, ' +
        'or when its target does not exist on the PBX or the CTI (404) or its new DN or IP is taken (409): details.problems names each field; 503 when it cannot be checked',
      tag: 'changes',
      roles: REQUESTERS,
      body: ChangeRequest,
      success: { status: 201, description: 'the change, PENDING_APPROVAL', schema: ChangeState },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => submitChange(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/changes',
      summary: 'Change requests, filtered by status, target, emergency and the window (overlapping from..to), newest request or earliest window first',
      tag: 'changes',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(ChangeState), total: z.number().int() }) },
      handle: ({ query }) => listChanges(deps.pool, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/changes/:id',
      summary: 'One change: status, current step, approvals, snapshot, verification and history',
      tag: 'changes',
      roles: ALL_ROLES,
      params: IdParams,
      success: { status: 200, schema: ChangeState },
      handle: ({ params }) => getChange(deps, params.id),
    }),
    ...actionRoutes,
  ];
}
