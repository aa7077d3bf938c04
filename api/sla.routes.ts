import { z } from 'zod';
import { currentSlaSnapshot, findPolicy, listPolicies, savePolicy, setAutoCloseAfterSeconds, getAutoCloseAfterSeconds } from '../db/sla.repo';
import { NotFoundError } from '../domain/errors';
import { computeSla } from '../domain/sla/clock';
import { ClockKind, Complexity, Severity, SlaPolicy } from '../domain/sla/model';
import type { IncidentServiceDeps } from './incident-service';
import type { AuditSigner } from '../domain/audit/seal';
import { WhatIfRequest } from '../domain/sla/what-if';
import { WhatIfResultView } from '../domain/sla/what-if-view';
import { renderSlaWhatIf, slaWhatIf } from './sla-what-if-service';
import { PDF_SUCCESS, sendReportPdf } from './report-pdf';
import { ReportLocale } from '../domain/report/contracts';
import { ALL_ROLES, route, type AnyRoute } from './route';

const PolicyKey = z.object({ severity: Severity, complexity: Complexity }).strict();
/** The years the holiday calendar can speak for (as GET /calendar/holidays?year=); far outside, due instants overflow. */
const StartAt = z
  .string()
  .datetime({ offset: true })
  .refine((s) => {
    const year = new Date(s).getUTCFullYear();
    // Not a date at all is reported once, by datetime() above.
    return Number.isNaN(year) || (year >= 2000 && year <= 2100);
  }, 'startAt must be in the years 2000–2100');
const PreviewRequest = z.object({ severity: Severity, complexity: Complexity, startAt: StartAt }).strict();
/** A policy as stored: its targets and clock, and who changed it last. */
const PolicyView = z.object({
  severity: Severity,
  complexity: Complexity,
  clock: ClockKind,
  responseTargetSeconds: z.number().int(),
  restoreTargetSeconds: z.number().int(),
  statusReportIntervalSeconds: z.number().int().nullable(),
  updatedAt: z.string().datetime(),
  updatedBy: z.string().nullable(),
});
const AutoCloseView = z.object({ afterSeconds: z.number().int() });

export function slaRoutes(deps: IncidentServiceDeps & { auditSigner: AuditSigner }): AnyRoute[] {
  const { pool } = deps;
  return [
    route({
      method: 'post',
      path: '/api/v1/sla/what-if',
      summary:
        'Judge the incidents closed in a period again under candidate policies (and holiday corrections), from their archived histories, beside what they were judged by; nothing stored changes',
      tag: 'sla',
      roles: ['admin', 'spm', 'auditor'],
      body: WhatIfRequest,
      success: {
        status: 200,
        description: 'per severity and complexity, breaches now and under the candidate; the incidents that flip, each explained',
        schema: WhatIfResultView,
      },
      handle: ({ body }): Promise<WhatIfResultView> => slaWhatIf(pool, deps.auditSigner, body),
    }),
    route({
      method: 'post',
      path: '/api/v1/sla/what-if/report.pdf',
      summary: 'The same what-if as a PDF for the customer meeting (Korean, or ?locale=en), rendered and kept as a report',
      tag: 'sla',
      roles: ['admin', 'spm', 'auditor'],
      body: WhatIfRequest,
      query: z.object({ locale: ReportLocale.default('ko') }).strict(),
      success: PDF_SUCCESS,
      handle: async ({ body, query, res }) => {
        const id = await renderSlaWhatIf(deps, body, query.locale);
        await sendReportPdf(pool, res, id);
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/sla/preview',
      summary: 'When an incident opened at startAt would be due, under the current policy and calendar',
      tag: 'sla',
      roles: ALL_ROLES,
      body: PreviewRequest,
      success: { status: 200 },
      handle: async ({ body }) => {
        const snapshot = await currentSlaSnapshot(pool, body.severity, body.complexity);
        if (!snapshot) throw new NotFoundError('sla-policy', `${body.severity}/${body.complexity}`);
        const startAt = new Date(body.startAt).toISOString();
        const sla = computeSla({ snapshot, events: [{ at: startAt, type: 'opened', seq: 1 }], now: startAt });
        return {
          clock: snapshot.clock,
          responseDueAt: sla.response.dueAt,
          restoreDueAt: sla.restore.dueAt,
          responseTargetSeconds: snapshot.responseTargetSeconds,
          restoreTargetSeconds: snapshot.restoreTargetSeconds,
          calendarVersion: snapshot.calendar.version,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/sla-policies',
      summary: 'Every SLA policy and the auto-close delay',
      tag: 'sla',
      roles: ALL_ROLES,
      success: { status: 200, schema: z.object({ items: z.array(PolicyView), autoCloseAfterSeconds: z.number().int() }) },
      handle: async () => ({ items: await listPolicies(pool), autoCloseAfterSeconds: await getAutoCloseAfterSeconds(pool) }),
    }),
    route({
      method: 'put',
      path: '/api/v1/sla-policies/auto-close',
      summary: 'Set how long after resolution an incident closes itself (applies to incidents opened afterwards)',
      tag: 'sla',
      roles: ['admin'],
      body: z
        .object({
          afterSeconds: z
            .number()
            .int()
            .min(60)
            .max(90 * 24 * 3600),
        })
        .strict(),
      success: { status: 200, schema: AutoCloseView },
      handle: async ({ body, actor }) => {
        await setAutoCloseAfterSeconds(pool, body.afterSeconds, actor.id);
        return { afterSeconds: body.afterSeconds };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/sla-policies/:severity/:complexity',
      summary: 'One SLA policy',
      tag: 'sla',
      roles: ALL_ROLES,
      params: PolicyKey,
      success: { status: 200, schema: PolicyView },
      handle: async ({ params }) => {
        const found = await findPolicy(pool, params.severity, params.complexity);
        if (!found) throw new NotFoundError('sla-policy', `${params.severity}/${params.complexity}`);
        return found;
      },
    }),
    route({
      method: 'put',
      path: '/api/v1/sla-policies/:severity/:complexity',
      summary: 'Create or replace an SLA policy (applies to incidents opened afterwards)',
      tag: 'sla',
      roles: ['admin'],
      params: PolicyKey,
      body: SlaPolicy.strict(),
      success: { status: 200, description: 'the policy as saved', schema: PolicyView },
      handle: ({ params, body, actor }) => savePolicy(pool, params, body, actor.id),
    }),
  ];
}
