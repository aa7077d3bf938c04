import { z } from 'zod';
import { savingsProposals } from '../db/savings.repo';
import { SavingProposal } from '../domain/billing/savings';
import { seoulDateOf } from '../domain/calendar/seoul';
import { ConflictError, NotFoundError } from '../domain/errors';
import { LineState } from '../domain/line/contracts';
import { terminateLine, type LineServiceDeps } from './line-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

const AsOfQuery = z
  .object({
    /** The last Seoul day the proposals look at (default today): the window is the `idleDays` up to it. */
    asOf: z.string().date('a date YYYY-MM-DD').optional(),
  })
  .strict();

const StartBody = z
  .object({
    key: z.string().trim().min(1).max(200),
    asOf: z.string().date('a date YYYY-MM-DD').optional(),
  })
  .strict();

/** Savings proposals (절감 제안), and the one click that starts what a proposal proposes. */
export function savingsRoutes(deps: LineServiceDeps): AnyRoute[] {
  const today = () => seoulDateOf((deps.now ?? (() => new Date()))().getTime());
  return [
    route({
      method: 'get',
      path: '/api/v1/savings-proposals',
      summary:
        'Savings proposals as of a day: idle lines (no call for 90 days), trunks whose peak stayed under 30 % of their channels, ' +
        'lines whose contract costs more than a plan of their carrier covering their minutes; each with its monthly saving and the request that realises it',
      tag: 'bills',
      roles: ALL_ROLES,
      query: AsOfQuery,
      success: { status: 200, schema: z.object({ asOf: z.string(), items: z.array(SavingProposal), monthlySavingKrw: z.number().int() }) },
      handle: async ({ query }) => {
        const asOf = query.asOf ?? today();
        const items = await savingsProposals(deps.pool, asOf);
        return { asOf, items, monthlySavingKrw: items.reduce((s, p) => s + p.monthlySavingKrw, 0) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/savings-proposals/start',
      summary:
        "Start what a proposal proposes (the line's termination), if it still stands as of the day: 404 when it no longer does; " +
        '409 for a change-request proposal, which cannot be started from here yet',
      tag: 'bills',
      roles: ['admin', 'spm'],
      body: StartBody,
      success: { status: 201, description: 'the termination started (the line, TERMINATION_SCHEDULED or TERMINATING)', schema: LineState },
      idempotent: true,
      handle: async ({ body, actor, idempotencyKey }) => {
        const proposals = await savingsProposals(deps.pool, body.asOf ?? today());
        const proposal = proposals.find((p) => p.key === body.key);
        if (!proposal) throw new NotFoundError('savings proposal', body.key);
        const { action } = proposal;
        if (action.kind !== 'terminate-line') {
          throw new ConflictError(`${proposal.key} proposes a ${action.type} change request, which Butler cannot start yet; raise it by hand`);
        }
        return terminateLine(deps, action.lineId, { reason: action.reason }, actor, idempotencyKey);
      },
    }),
  ];
}
