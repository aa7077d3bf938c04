import { z } from 'zod';
import { ReportLocale } from '../report/contracts';

/**
 * The audit-trail PDF of one stored workflow history (archived or exported). It is
 * named by the history's hash: the same history always gives the same PDF, rendered once.
 */

export const AuditTrailRequest = z.object({
  workflowId: z.string().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  locale: ReportLocale,
});
export type AuditTrailRequest = z.infer<typeof AuditTrailRequest>;

/** The report's subject: one per history and language. */
export function auditTrailSubject(req: AuditTrailRequest): string {
  return `trail-${req.sha256}-${req.locale}`;
}
