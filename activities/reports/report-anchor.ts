import type { Pool } from 'pg';
import { signAnchor } from '../../db/audit.repo';
import type { AuditSigner } from '../../domain/audit/seal';
import type { AnchorCitation } from '../../reports/render-report';

/**
 * Called from a report activity, after the report has cited its history (that citation is itself
 * an audit entry): signs the chain's head as it stands and returns the anchor the report prints,
 * one more copy of an anchor outside the database, in a document the customer keeps.
 */
export async function anchorForReport({ pool, auditSigner }: { pool: Pool; auditSigner: AuditSigner }, reason: string): Promise<AnchorCitation> {
  const { no, seq, hash, signedAt, sealedFrom, keyId, signature } = await signAnchor(pool, auditSigner, { reason, requestedBy: 'butler' });
  return { no, seq, hash, signedAt, sealedFrom, keyId, signature };
}
