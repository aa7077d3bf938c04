import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { anchorNoticeText, type AuditAnchorRequest } from '../../domain/audit/anchor-notice';
import type { AuditAnchor } from '../../domain/audit/seal';
import { READ_MODEL } from '../activity-options';
import { createNotifier } from '../notifier';

const { anchorAuditChain } = proxyActivities<Activities>(READ_MODEL);

/**
 * Signs the audit chain's head (each day on a Schedule, and when an auditor or admin asks) and
 * mails the anchor to the auditors' contact list: the copy outside the database is the one that counts.
 */
export async function auditAnchorWorkflow(request: AuditAnchorRequest): Promise<AuditAnchor> {
  const anchor = request.signed ?? (await anchorAuditChain(request));
  const notifier = createNotifier(`audit-anchor-${anchor.no}`);
  notifier.send({ key: `audit-anchor:${anchor.no}`, kind: 'audit-anchor', audience: ['auditor'], ...anchorNoticeText(anchor), data: { anchor } });
  await notifier.settled();
  return anchor;
}
