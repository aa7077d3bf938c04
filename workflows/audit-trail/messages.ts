import type { AuditTrailRequest } from '../../domain/audit/trail';

/** The rendering workflow's id: a second request for the same trail joins the first. */
export function auditTrailWorkflowId(req: AuditTrailRequest): string {
  return `audit-trail-${req.sha256.slice(0, 32)}-${req.locale}`;
}
