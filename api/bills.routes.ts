import { z } from 'zod';
import { findingsOf, listBills } from '../db/bills.repo';
import { BILL_ACTIONS, BillFinding, BillState, BillStatus, BillUploadQuery, FindingKind, type BillAction } from '../domain/billing/contracts';
import { ID_PREFIX, idParams } from '../domain/ids';
import { actOnBill, getBill, uploadBill, type BillServiceDeps } from './bill-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

/** The media types a bill arrives as; app.ts reads these bodies as bytes on /api/v1/bills. */
export const BILL_FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'] as const;

const IdParams = idParams(ID_PREFIX.bill, 'a bill');

const ListQuery = z
  .object({
    carrier: z.string().max(30).optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
      .optional(),
    status: BillStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

const FindingQuery = z
  .object({
    kind: FindingKind.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

/** Bills come from the SPM or a mailbox robot (automation); paying and disputing is the SPM's (or an admin's). */
const UPLOADERS = ['admin', 'spm', 'automation'] as const;
const DECIDERS = ['admin', 'spm'] as const;

export function billRoutes(deps: BillServiceDeps): AnyRoute[] {
  const actionRoutes = (Object.keys(BILL_ACTIONS) as BillAction[]).map((action) =>
    route({
      method: 'post',
      path: `/api/v1/bills/:id/${action}`,
      summary: `${action} a bill (allowed from ${BILL_ACTIONS[action].from.join(', ')})`,
      tag: 'bills',
      roles: DECIDERS,
      params: IdParams,
      body: BILL_ACTIONS[action].body as z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>,
      success: { status: 200, schema: BillState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => actOnBill(deps, params.id, action, body as never, actor, idempotencyKey),
    }),
  );
  return [
    route({
      method: 'post',
      path: '/api/v1/bills',
      summary:
        "Take a carrier's monthly bill (CSV in UTF-8 or CP949/EUC-KR, or XLSX) read with the carrier's bill profile; 400 names each bad row and column " +
        'and keeps nothing; the same file again answers 200 with the bill already taken; 409 when the carrier already has a live bill for the month',
      tag: 'bills',
      roles: UPLOADERS,
      query: BillUploadQuery,
      fileBody: { contentTypes: BILL_FILE_TYPES },
      success: { status: 201, description: 'the bill, RECONCILING (its workflow checks it)', schema: BillState },
      handle: async ({ body, query, actor, req, res }) => {
        const { bill, created } = await uploadBill(deps, body as Buffer, query, req.get('content-type') ?? '', actor);
        if (!created) res.status(200).json(bill);
        return bill;
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/bills',
      summary: 'Bills, newest month first, filtered by carrier, month and status',
      tag: 'bills',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(BillState), total: z.number().int() }) },
      handle: ({ query }) => listBills(deps.pool, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/bills/:id',
      summary: 'One bill: status, findings summary, approval, payment, disputes, reminders and history',
      tag: 'bills',
      roles: ALL_ROLES,
      params: IdParams,
      success: { status: 200, schema: BillState },
      handle: ({ params }) => getBill(deps, params.id),
    }),
    route({
      method: 'get',
      path: '/api/v1/bills/:id/findings',
      summary: "The reconciliation's findings of a bill, each with its amount at stake and the dispute that took it up",
      tag: 'bills',
      roles: ALL_ROLES,
      params: IdParams,
      query: FindingQuery,
      success: { status: 200, schema: z.object({ items: z.array(BillFinding), total: z.number().int() }) },
      handle: async ({ params, query }) => {
        await getBill(deps, params.id);
        return findingsOf(deps.pool, params.id, query);
      },
    }),
    ...actionRoutes,
  ];
}
