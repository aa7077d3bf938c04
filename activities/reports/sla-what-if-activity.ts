import type { Pool } from 'pg';
import type { AuditSigner } from '../../domain/audit/seal';
import { closedIncidentCases } from '../../db/sla-cases.repo';
import { seoulMidnightOf } from '../../domain/calendar/seoul';
import type { StoredReportRef } from '../../domain/report/contracts';
import { evaluateWhatIf, type WhatIfReportRequest } from '../../domain/sla/what-if';
import type { RenderAndStore } from '../../reports/report-store';
import { slaWhatIfReportInput } from '../../reports/sla-what-if-report';

/** The SLA what-if rendered on the worker, which owns the browser, from the same cases the API judges. */
export function createSlaWhatIfActivities({ pool, auditSigner, renderAndStore }: { pool: Pool; auditSigner: AuditSigner; renderAndStore: RenderAndStore }) {
  return {
    async renderSlaWhatIfReport({ id, request, locale }: WhatIfReportRequest): Promise<StoredReportRef> {
      return renderAndStore('sla-what-if', id, 1, async () => {
        const { cases, skipped } = await closedIncidentCases(
          pool,
          auditSigner,
          new Date(seoulMidnightOf(request.from)).toISOString(),
          new Date(seoulMidnightOf(request.to)).toISOString(),
        );
        return slaWhatIfReportInput(request, evaluateWhatIf(request, cases, skipped), locale, new Date());
      });
    },
  };
}
