import type { AuditAnchorRequest } from '../domain/audit/anchor-notice';
import type { AuditAnchor, AuditSigner } from '../domain/audit/seal';
import type { auditAnchorWorkflow } from '../workflows/audit-anchor/workflow';
import type { Pool } from 'pg';
import { recordExport, storedHistory, withEarlierRuns } from '../db/histories.repo';
import { signAnchor } from '../db/audit.repo';
import type { StoredHistory } from '../domain/audit/archived-history';
import { findReportVersion } from '../db/reports.repo';
import { captureHistory } from '../adapters/temporal/history-capture';
import type { Actor } from '../domain/actor';
import { proveSla, SlaProofError } from '../domain/audit/sla-proof';
import { auditTrailSubject, type AuditTrailRequest } from '../domain/audit/trail';
import { ConflictError, NotFoundError } from '../domain/errors';
import { auditTrailWorkflowId } from '../workflows/audit-trail/messages';
import type { auditTrailWorkflow } from '../workflows/audit-trail/workflow';
import { isGone, unavailable, withinDeadline, type TemporalCallDeps } from './temporal-calls';

/** The audit trail's service work between HTTP, PostgreSQL and Temporal: what the audit routes call. */

export type AuditServiceDeps = { pool: Pool; auditSigner: AuditSigner; taskQueue: string } & TemporalCallDeps;

/** The stored (archived or exported) history asked for; NotFound when there is none. */
export async function getStoredHistory(deps: AuditServiceDeps, workflowId: string, sha256?: string): Promise<StoredHistory> {
  const stored = await storedHistory(deps.pool, workflowId, sha256);
  if (stored) return stored;
  if (sha256) throw new NotFoundError('history', `${workflowId} with sha256 ${sha256}`);
  // A running workflow has neither until someone exports it (POST …/export).
  throw new NotFoundError('archived or exported history of workflow', workflowId);
}

/** Renders the audit-trail PDF of a stored history unless it already was (once per hash and language); returns its report subject. */
export async function renderAuditTrailOnce(deps: AuditServiceDeps, request: AuditTrailRequest): Promise<string> {
  const subject = auditTrailSubject(request);
  if (!(await findReportVersion(deps.pool, subject, 1))) {
    await withinDeadline(deps, () =>
      deps.client.workflow.execute<typeof auditTrailWorkflow>('auditTrailWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId: auditTrailWorkflowId(request),
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [request],
      }),
    ).catch((err: unknown) => {
      throw unavailable('the audit trail could not be rendered now; try again', err);
    });
  }
  return subject;
}

/**
 * Signs the chain's head now and answers with the anchor; its mail to the auditors goes through the
 * anchor workflow, which retries a mail server that is down without holding up the answer.
 */
export async function requestAnchor(deps: AuditServiceDeps, request: AuditAnchorRequest): Promise<AuditAnchor> {
  const anchor = await signAnchor(deps.pool, deps.auditSigner, request);
  await withinDeadline(deps, () =>
    deps.client.workflow.start<typeof auditAnchorWorkflow>('auditAnchorWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: `audit-anchor-mail-${anchor.no}`,
      args: [{ ...request, signed: anchor }],
    }),
  ).catch((err: unknown) => {
    throw unavailable(`anchor ${anchor.no} is signed and kept (GET /api/v1/audit/anchors/${anchor.no}), but its mail could not be queued now`, err);
  });
  return anchor;
}

/** Captures a workflow's history as it stands now and keeps it, hash-chained in the audit log. */
export async function exportHistory(
  deps: AuditServiceDeps,
  workflowId: string,
  by: { actor: Actor; reason?: string; requestId: string | null; remote: string | null },
) {
  const captured = await withinDeadline(deps, () => captureHistory(deps.client, workflowId)).catch((err: unknown) => {
    if (isGone(err)) throw new NotFoundError('workflow', workflowId);
    throw unavailable('Temporal did not answer; the export was not taken', err);
  });
  const { closedAt: _closedAt, ...history } = captured;
  return recordExport(deps.pool, deps.auditSigner, history, {
    actor: by.actor.id,
    actorRole: by.actor.role,
    reason: by.reason ?? 'on-demand export',
    requestId: by.requestId,
    remote: by.remote,
  });
}

/** The incident's SLA recomputed from a stored history (and its earlier runs); Conflict when the history cannot prove one. */
export async function proveIncidentSla(deps: AuditServiceDeps, stored: StoredHistory) {
  try {
    return proveSla(await withEarlierRuns(deps.pool, JSON.parse(stored.history)));
  } catch (err) {
    if (err instanceof SlaProofError) throw new ConflictError(`the stored history cannot prove an SLA: ${err.message}`);
    throw err;
  }
}
