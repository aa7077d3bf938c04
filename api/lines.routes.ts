import { z } from 'zod';
import { listLines } from '../db/lines.repo';
import {
  CancelProvisioningRequest,
  ContractRequest,
  Dn,
  EquipmentReturnedRequest,
  LineState,
  LineStatus,
  ProvisionLineRequest,
  Settlement,
  SipCredentials,
  TerminationCancelRequest,
  TerminationRequest,
  TerminationRetryRequest,
} from '../domain/line/contracts';
import {
  cancelProvisioning,
  cancelTermination,
  collectSipCredentials,
  equipmentReturned,
  getLine,
  previewSettlement,
  provisionLine,
  recordContract,
  retryTermination,
  terminateLine,
  type LineServiceDeps,
} from './line-service';
import { getLineBatch, provisionLineBatch, recordBatchContract } from './line-batch-service';
import { LineBatchView, MAX_BATCH_LINES, ProvisionLineBatchRequest } from '../domain/line/batch';
import { ALL_ROLES, route, type AnyRoute } from './route';
import { ID_PREFIX, idParams } from '../domain/ids';

const IdParams = idParams(ID_PREFIX.line, 'a line');
const BatchIdParams = idParams(ID_PREFIX.lineBatch, 'a line batch');

const ListQuery = z
  .object({
    dn: Dn.optional(),
    status: LineStatus.optional(),
    center: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

const SettlementQuery = z
  .object({
    /** The day service would end (Asia/Seoul); defaults to today, as a termination without one does. */
    effectiveDate: z.string().date('a date YYYY-MM-DD').optional(),
  })
  .strict();

/** Who runs lines: the SPM and engineers (and admins); automation may request them. */
const OPERATORS = ['admin', 'spm', 'engineer', 'automation'] as const;

export function lineRoutes(deps: LineServiceDeps): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/lines/provisioning',
      summary:
        'Request a new line (개통); the returned id keys everything after. Idempotency-Key makes a retry return the same line. ' +
        'Checked first against the PBX and the CTI: 409/404 with details.problems naming each field (DN or phone IP taken, team or skill missing); 503 when a vendor cannot answer the check. ' +
        'The worker is waited for 5 s at most: when it is too busy to check the request or run its workflow in that time, the answer is 202',
      tag: 'lines',
      roles: OPERATORS,
      body: ProvisionLineRequest,
      success: {
        status: 201,
        description: 'the line, PENDING_CONTRACT: checked, its DN reserved, its workflow running and the line written by it',
        schema: LineState,
      },
      accepted:
        'the line as requested, PENDING_CONTRACT: its DN reserved and its workflow durably started, not yet run (GET the Location). ' +
        "If the check had not answered, the workflow runs it first (the 'requested' history entry says checks: deferred) and a problem ends the line FAILED at step preflight, nothing installed",
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => provisionLine(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/line-batches',
      summary: `Request up to ${MAX_BATCH_LINES} lines at once (일괄 개통): every DN reserved in one go or none (409 naming the DN), one provisioning per line, an optional contract for all. Idempotency-Key makes a retry return the same batch`,
      tag: 'lines',
      roles: OPERATORS,
      body: ProvisionLineBatchRequest,
      success: { status: 201, description: 'the batch, RUNNING, with its lines (ids, DNs, statuses)', schema: LineBatchView },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => provisionLineBatch(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/line-batches/:id',
      summary: 'A batch of lines: its status, counts per line status and each line with its status, step and failure',
      tag: 'lines',
      roles: ALL_ROLES,
      params: BatchIdParams,
      success: { status: 200, schema: LineBatchView },
      handle: ({ params }) => getLineBatch(deps, params.id),
    }),
    route({
      method: 'post',
      path: '/api/v1/line-batches/:id/contract',
      summary: 'Record one carrier contract for the batch; it is handed to every line of it still waiting for its contract (PENDING_CONTRACT)',
      tag: 'lines',
      roles: OPERATORS,
      params: BatchIdParams,
      body: ContractRequest,
      success: { status: 200, description: 'the batch, its contract recorded', schema: LineBatchView },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => recordBatchContract(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/contract',
      summary: 'Record the carrier contract (약정/계약); installation starts',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: ContractRequest,
      success: { status: 200, schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => recordContract(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/cancel',
      summary: 'Cancel a provisioning before its carrier contract (개통 취소); the line is CANCELLED and its DN free again',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: CancelProvisioningRequest,
      success: { status: 200, description: 'the line, CANCELLED', schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => cancelProvisioning(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/lines',
      summary: 'The line inventory, filtered by DN, status and center',
      tag: 'lines',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(LineState), total: z.number().int() }) },
      handle: ({ query }) => listLines(deps.pool, query),
    }),
    route({
      method: 'get',
      path: '/api/v1/lines/:id',
      summary: 'One line: status, current step and history',
      tag: 'lines',
      roles: ALL_ROLES,
      params: IdParams,
      success: { status: 200, schema: LineState },
      handle: ({ params }) => getLine(deps, params.id),
    }),
    route({
      method: 'get',
      path: '/api/v1/lines/:id/sip-credentials',
      summary:
        'The SIP account of an ACTIVE line (user name, domain, password), handed out once: Butler forgets the password as it answers; every call is in the audit log',
      tag: 'lines',
      roles: ['admin', 'spm'],
      params: IdParams,
      success: { status: 200, schema: SipCredentials },
      gone: 'the credentials were already collected (details: collectedBy, collectedAt)',
      handle: ({ params, actor, req, res }) => {
        res.set('Cache-Control', 'no-store');
        return collectSipCredentials(deps, params.id, { actor, requestId: String(res.get('X-Request-Id') ?? '') || null, remote: req.ip ?? null });
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/termination',
      summary:
        'Terminate an ACTIVE line (해지): TERMINATION_SCHEDULED until 00:00 Asia/Seoul of effectiveDate, then settlement, equipment retrieval, deprovisioning of what the PBX and CTI hold, notice',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: TerminationRequest,
      success: { status: 202, description: 'the line, TERMINATION_SCHEDULED (effectiveDate ahead) or TERMINATING', schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => terminateLine(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/lines/:id/termination/settlement',
      summary:
        'What terminating the line on effectiveDate would settle (정산 미리보기: early-termination fee, months left of the term), computed as the termination computes it; nothing is recorded',
      tag: 'lines',
      roles: ALL_ROLES,
      params: IdParams,
      query: SettlementQuery,
      success: { status: 200, schema: Settlement },
      handle: ({ params, query }) => previewSettlement(deps, params.id, query.effectiveDate),
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/equipment-returned',
      summary: 'Confirm the equipment came back (장비 회수)',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: EquipmentReturnedRequest,
      success: { status: 200, schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => equipmentReturned(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/termination/cancel',
      summary: 'Withdraw a termination before its effective date (TERMINATION_SCHEDULED → ACTIVE); 409 once it is under way',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: TerminationCancelRequest,
      success: { status: 200, description: 'the line, ACTIVE', schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => cancelTermination(deps, params.id, body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/api/v1/lines/:id/termination/retry',
      summary: 'Reconcile and remove again what a failed termination left on the PBX/CTI (TERMINATION_FAILED → TERMINATING)',
      tag: 'lines',
      roles: OPERATORS,
      params: IdParams,
      body: TerminationRetryRequest,
      success: { status: 200, description: 'the line, TERMINATING', schema: LineState },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) => retryTermination(deps, params.id, body, actor, idempotencyKey),
    }),
  ];
}
