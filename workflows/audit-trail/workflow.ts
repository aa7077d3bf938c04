import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { AuditTrailRequest } from '../../domain/audit/trail';
import type { StoredReportRef } from '../../domain/report/contracts';
import { REPORT_RENDERING } from '../activity-options';

const { renderAuditTrail } = proxyActivities<Activities>(REPORT_RENDERING);

/**
 * Renders the audit-trail PDF of one stored history on the worker, which owns the
 * browser; the API starts it when an auditor asks for a trail not rendered yet.
 */
export async function auditTrailWorkflow(request: AuditTrailRequest): Promise<StoredReportRef> {
  return renderAuditTrail(request);
}
