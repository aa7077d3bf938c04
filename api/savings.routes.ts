import { z } from 'zod';
import { savingsProposals } from '../db/savings.repo';
import { SavingProposal } from '../domain/billing/savings';
import { NotFoundError, parseOrThrow } from '../domain/errors';
import { ChangeRequest, ChangeState, ChangeWindow } from '../domain/change/contracts';
import { dayOfIsoDate, isoDateOfDay } from '../domain/calendar/local-time';
import { SEOUL_OFFSET, seoulDateOf } from '../domain/calendar/seoul';
import { submitChange, type ChangeServiceDeps } from './change-service';
import { findLine } from '../db/lines.repo';
import { LineState, TERMINATION_RUNNING_STATUSES } from '../domain/line/contracts';
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
    /** For a change request: its window (default: a week from now, 10:00–12:00 Seoul, time for the carrier to agree). */
    window: ChangeWindow.optional(),
  })
  .strict();

const Started = z.discriminatedUnion('started', [
  z.object({ started: z.literal('termination'), line: LineState }),
  z.object({ started: z.literal('change'), change: ChangeState }),
]);

/** A week from `now`, 10:00–12:00 Seoul. */
function defaultWindow(now: Date): { start: string; end: string } {
  const day = isoDateOfDay(dayOfIsoDate(seoulDateOf(now.getTime())) + 7);
  return { start: new Date(`${day}T10:00:00${SEOUL_OFFSET}`).toISOString(), end: new Date(`${day}T12:00:00${SEOUL_OFFSET}`).toISOString() };
}

/** Savings proposals (절감 제안), and the one click that starts what a proposal proposes. */
export function savingsRoutes(deps: LineServiceDeps & ChangeServiceDeps): AnyRoute[] {
  const now = () => (deps.now ?? (() => new Date()))();
  const today = () => seoulDateOf(now().getTime());
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
        "Start what a proposal proposes, if it still stands as of the day (404 when it no longer does): the line's termination, " +
        "or the change request (line-plan, trunk-channels) for the customer's and the carrier's approval",
      tag: 'bills',
      roles: ['admin', 'spm'],
      body: StartBody,
      success: { status: 201, description: 'the termination started (the line) or the change requested (PENDING_APPROVAL)', schema: Started },
      idempotent: true,
      handle: async ({ body, actor, idempotencyKey }) => {
        const proposals = await savingsProposals(deps.pool, body.asOf ?? today());
        const proposal = proposals.find((p) => p.key === body.key);
        if (!proposal) {
          // A retry of a start that went through: the line is no longer idle but being terminated; the termination answers it.
          const lineId = /^idle-line:(LN-\d{6,})$/.exec(body.key)?.[1];
          const line = lineId ? await findLine(deps.pool, lineId) : undefined;
          if (line && TERMINATION_RUNNING_STATUSES.includes(line.status)) {
            return { started: 'termination', line: await terminateLine(deps, line.id, { reason: line.termination!.reason }, actor, idempotencyKey) };
          }
          throw new NotFoundError('savings proposal', body.key);
        }
        const { action } = proposal;
        if (action.kind === 'terminate-line') {
          return { started: 'termination', line: await terminateLine(deps, action.lineId, { reason: action.reason }, actor, idempotencyKey) };
        }
        const request = parseOrThrow(ChangeRequest, {
          type: action.type,
          target: action.target,
          params: action.params,
          window: body.window ?? defaultWindow(now()),
          reason: action.reason,
        });
        return { started: 'change', change: await submitChange(deps, request, actor, idempotencyKey) };
      },
    }),
  ];
}
