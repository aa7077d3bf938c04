import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import { ApproveRequest, ReturnRequest, type ReviewStatus } from '../domain/report/contracts';
import { PDF_SUCCESS, ReportPdfQuery, sendReportPdf } from './report-pdf';
import { readReviewed, updateReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';
import { ALL_ROLES, route, type AnyRoute } from './route';

/** Who reviews what goes to the customer. */
export const REVIEWERS = ['admin', 'spm'] as const;

type ReviewUpdate<S> = UpdateDefinition<S, [{ body: unknown; actor: Actor }]>;

/**
 * The routes every reviewed report has, the same for the inspection and the QSR:
 * read it, fetch its PDF, approve it (delivered to the customer) or send it back.
 */
export function reviewRoutes<S extends { id: string; status: ReviewStatus }>(
  deps: ReviewServiceDeps,
  kind: ReviewedKind<S>,
  spec: {
    base: string;
    tag: string;
    params: z.ZodType<{ id: string }, z.ZodTypeDef, unknown>;
    /** What the read and the decisions answer, for the OpenAPI document. */
    view: z.ZodTypeAny;
    approve: ReviewUpdate<S>;
    return: ReviewUpdate<S>;
    shows: string;
  },
): AnyRoute[] {
  const { base, tag, params } = spec;
  return [
    route({
      method: 'get',
      path: `${base}/:id`,
      summary: `One ${kind.noun}: ${spec.shows}`,
      tag,
      roles: ALL_ROLES,
      params,
      success: { status: 200, schema: spec.view },
      handle: ({ params: p }) => readReviewed(deps, kind, p.id),
    }),
    route({
      method: 'get',
      path: `${base}/:id/report.pdf`,
      summary: `The ${kind.noun} report (the newest rendering, or ?version=n)`,
      tag,
      roles: ALL_ROLES,
      params,
      query: ReportPdfQuery,
      success: PDF_SUCCESS,
      handle: ({ params: p, query, res }) => sendReportPdf(deps.pool, res, p.id, query.version),
    }),
    route({
      method: 'post',
      path: `${base}/:id/approve`,
      summary: `Approve the ${kind.noun} (comments optional): the report is e-mailed to the customer contact and it is DELIVERED`,
      tag,
      roles: REVIEWERS,
      params,
      body: ApproveRequest,
      success: { status: 200, description: `the ${kind.noun}, DELIVERED`, schema: spec.view },
      idempotent: true,
      handle: ({ params: p, body, actor, idempotencyKey }) => updateReviewed(deps, kind, p.id, spec.approve, 'approve', body, actor, idempotencyKey),
    }),
    route({
      method: 'post',
      path: `${base}/:id/return`,
      summary: `Send the ${kind.noun} back (comments required); it ends RETURNED and the period can be run again`,
      tag,
      roles: REVIEWERS,
      params,
      body: ReturnRequest,
      success: { status: 200, description: `the ${kind.noun}, RETURNED`, schema: spec.view },
      idempotent: true,
      handle: ({ params: p, body, actor, idempotencyKey }) => updateReviewed(deps, kind, p.id, spec.return, 'return', body, actor, idempotencyKey),
    }),
  ];
}
