import { z } from 'zod';
import { ProposalsRequest, QsrRequest, Quarter } from '../domain/qsr/contracts';
import { KpisView, QsrSummary, QsrView } from '../domain/qsr/view';
import { ReviewStatus } from '../domain/report/contracts';
import { CalendarDate } from '../domain/sla/model';
import { qsrApproveUpdate, qsrProposalsUpdate, qsrReturnUpdate } from '../workflows/qsr/messages';
import { kpisBetween, listQsrSummaries, QSR, startQsr, uploadCallVolume } from './qsr-service';
import { REVIEWERS, reviewRoutes } from './review.routes';
import { updateReviewed, type ReviewServiceDeps } from './review-service';
import { ALL_ROLES, route, type AnyRoute } from './route';
import { SEOUL_OFFSET } from '../domain/calendar/seoul';
import { ID_PREFIX, idParams } from '../domain/ids';

const IdParams = idParams(ID_PREFIX.qsr, 'a QSR');

const ListQuery = z
  .object({
    quarter: Quarter.optional(),
    status: ReviewStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const RUNNERS = ['admin', 'spm', 'automation'] as const;
const MAX_KPI_RANGE_DAYS = 366;

/** A date (Seoul midnight) or an instant with its offset; either must name a real calendar day. */
const Instant = z.string().transform((v, ctx) => {
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (!isDate && !z.string().datetime({ offset: true }).safeParse(v).success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected YYYY-MM-DD or an ISO 8601 instant with its offset', fatal: true });
    return z.NEVER;
  }
  if (!CalendarDate.safeParse(v.slice(0, 10)).success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a calendar date', fatal: true });
    return z.NEVER;
  }
  return new Date(isDate ? `${v}T00:00:00${SEOUL_OFFSET}` : v).toISOString();
});

const KpiQuery = z
  .object({ from: Instant, to: Instant })
  .strict()
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'to must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_KPI_RANGE_DAYS * 86_400_000, {
    message: `the range may span at most ${MAX_KPI_RANGE_DAYS} days`,
    path: ['to'],
  });

const CsvBody = z.string({
  required_error: 'send the CSV as the request body with Content-Type: text/csv',
  invalid_type_error: 'send the CSV as the request body with Content-Type: text/csv',
});

/** The quarterly service review, the SLA indicators behind it, and call volume uploads. */
export function qsrRoutes(deps: ReviewServiceDeps & { now?: () => Date }): AnyRoute[] {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  return [
    route({
      method: 'post',
      path: '/api/v1/qsr',
      summary: 'Prepare the review of a quarter now (the Schedule prepares each quarter’s); an Idempotency-Key makes a retry return the same run',
      tag: 'qsr',
      roles: RUNNERS,
      body: QsrRequest,
      success: { status: 201, description: 'the QSR, RUNNING', schema: QsrView },
      idempotent: true,
      handle: ({ body, actor, idempotencyKey }) => startQsr(deps, body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/qsr',
      summary: 'Quarterly service reviews, newest first (by when they started)',
      tag: 'qsr',
      roles: ALL_ROLES,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(QsrSummary), total: z.number().int() }) },
      handle: ({ query }) => listQsrSummaries(deps, query),
    }),
    ...reviewRoutes(deps, QSR, {
      base: '/api/v1/qsr',
      tag: 'qsr',
      params: IdParams,
      view: QsrView,
      approve: qsrApproveUpdate,
      return: qsrReturnUpdate,
      shows: 'status, indicators, call volume anomalies, proposals, the report',
    }),
    route({
      method: 'post',
      path: '/api/v1/qsr/:id/proposals',
      summary: 'Enter the improvement proposals (replacing earlier ones); the report is rendered again with them',
      tag: 'qsr',
      roles: REVIEWERS,
      params: IdParams,
      body: ProposalsRequest,
      success: { status: 200, schema: QsrView },
      idempotent: true,
      handle: ({ params, body, actor, idempotencyKey }) =>
        updateReviewed(deps, QSR, params.id, qsrProposalsUpdate, 'propose improvements', body, actor, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/v1/kpis',
      summary: 'SLA indicators of incidents opened in [from, to): counts, MTTR, within-target shares, L1 resolution, reopen rate, breaches',
      tag: 'qsr',
      roles: ALL_ROLES,
      query: KpiQuery,
      success: { status: 200, schema: KpisView },
      handle: ({ query }) => kpisBetween(deps, query, now()),
    }),
    route({
      method: 'post',
      path: '/api/v1/call-volume',
      summary: 'Upload daily call volume as CSV (date,center,offered,answered); an upload replaces what the CTI statistics said for those days',
      tag: 'qsr',
      roles: RUNNERS,
      body: CsvBody,
      bodyContentType: 'text/csv',
      success: { status: 200, description: 'how many days were stored and their range' },
      handle: ({ body, actor }) => uploadCallVolume(deps, body, actor),
    }),
  ];
}
