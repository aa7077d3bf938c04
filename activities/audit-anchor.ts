import type { Pool } from 'pg';
import { signAnchor } from '../db/audit.repo';
import type { AuditAnchorRequest } from '../domain/audit/anchor-notice';
import type { AuditAnchor, AuditSigner } from '../domain/audit/seal';

export function createAuditAnchorActivities({ pool, auditSigner }: { pool: Pool; auditSigner: AuditSigner }) {
  return {
    /** Signs the chain's head now. A retry signs again (a second anchor, of a head at least as far): harmless. */
    async anchorAuditChain(request: AuditAnchorRequest): Promise<AuditAnchor> {
      return signAnchor(pool, auditSigner, request);
    },
  };
}
