import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { storedHistory, withEarlierRuns } from '../../db/histories.repo';
import { auditTrailSubject, type AuditTrailRequest } from '../../domain/audit/trail';
import type { StoredReportRef } from '../../domain/report/contracts';
import { auditTrailReportInput } from '../../reports/audit-trail-report';
import type { RenderAndStore } from '../../reports/report-store';

/** The audit-trail PDF of one stored history (and its earlier runs), rendered and stored. */
export function createAuditTrailActivities({ pool, renderAndStore }: { pool: Pool; renderAndStore: RenderAndStore }) {
  return {
    async renderAuditTrail(req: AuditTrailRequest): Promise<StoredReportRef> {
      const stored = await storedHistory(pool, req.workflowId, req.sha256);
      if (!stored) {
        throw ApplicationFailure.create({ type: 'NotFound', nonRetryable: true, message: `no stored history ${req.sha256} of ${req.workflowId}` });
      }
      const runs = await withEarlierRuns(pool, JSON.parse(stored.history));
      return renderAndStore('audit-trail', auditTrailSubject(req), 1, auditTrailReportInput(stored, req.locale, runs));
    },
  };
}
