import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { AuditSigner } from '../domain/audit/seal';
import { closedIncidentCases } from '../db/sla-cases.repo';
import { seoulMidnightOf } from '../domain/calendar/seoul';
import type { ReportLocale } from '../domain/report/contracts';
import { evaluateWhatIf, type WhatIfRequest, type WhatIfResult } from '../domain/sla/what-if';
import type { slaWhatIfReportWorkflow } from '../workflows/sla-what-if/workflow';
import { unavailable, withinDeadline, type TemporalCallDeps } from './temporal-calls';

/** How long the PDF's caller waits before a 503 (the rendering carries on). */
const PDF_DEADLINE_MS = 120_000;

const instant = (date: string) => new Date(seoulMidnightOf(date)).toISOString();

/** The SLA what-if over the incidents closed in the request's Seoul days, read from their archived histories. */
export async function slaWhatIf(pool: Pool, signer: AuditSigner, request: WhatIfRequest): Promise<WhatIfResult> {
  const { cases, skipped } = await closedIncidentCases(pool, signer, instant(request.from), instant(request.to));
  return evaluateWhatIf(request, cases, skipped);
}

/** Renders the what-if as a PDF on the worker (which owns the browser) and returns its report subject, one per request. */
export async function renderSlaWhatIf(deps: TemporalCallDeps & { taskQueue: string }, request: WhatIfRequest, locale: ReportLocale): Promise<string> {
  const id = `SLA-WHATIF-${randomUUID().slice(0, 8).toUpperCase()}`;
  // A long period takes a while to render: the caller waits longer than for a transition.
  await withinDeadline({ ...deps, requestDeadlineMs: Math.max(deps.requestDeadlineMs ?? 0, PDF_DEADLINE_MS) }, () =>
    deps.client.workflow.execute<typeof slaWhatIfReportWorkflow>('slaWhatIfReportWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: `sla-what-if-${id}`,
      args: [{ id, request, locale }],
    }),
  ).catch((err: unknown) => {
    throw unavailable('the what-if report could not be rendered now; try again', err);
  });
  return id;
}
