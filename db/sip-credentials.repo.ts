import type { Pool } from 'pg';
import type { Actor } from '../domain/actor';
import { inTransaction } from '../system/postgres';
import { appendAuditIn } from './audit.repo';
import type { AuditSigner } from '../domain/audit/seal';

/**
 * A line's SIP password (`line_sip_credentials`): made in the activity that
 * creates the PBX extension, kept here — never in a workflow history, a log
 * or the line's state JSON — and handed out once; collecting it wipes it.
 */

/**
 * Keeps `candidate` as the line's password unless one is already kept (a
 * retried activity), and returns the one kept: the PBX gets that, so a retry
 * never leaves the PBX and Butler holding different passwords.
 */
export async function keepSipPassword(pool: Pool, c: { lineId: string; dn: string; domain: string; candidate: string }): Promise<string> {
  const { rows } = await pool.query<{ password: string | null }>(
    `INSERT INTO line_sip_credentials (line_id, dn, domain, password) VALUES ($1, $2, $3, $4)
     ON CONFLICT (line_id) DO UPDATE SET
       -- Kept and not yet collected: a retry keeps it. Already collected: a new extension, a new password to hand out.
       password = COALESCE(line_sip_credentials.password, EXCLUDED.password),
       dn = EXCLUDED.dn, domain = EXCLUDED.domain, collected_by = NULL, collected_role = NULL, collected_at = NULL
     RETURNING password`,
    [c.lineId, c.dn, c.domain, c.candidate],
  );
  return rows[0]!.password!;
}

/** The extension is gone (undone or deprovisioned): so is its password. */
export async function forgetSipPassword(pool: Pool, lineId: string): Promise<void> {
  await pool.query('DELETE FROM line_sip_credentials WHERE line_id = $1', [lineId]);
}

export type SipCollection =
  | { outcome: 'none' }
  | { outcome: 'collected'; dn: string; domain: string; password: string; collectedAt: string }
  | { outcome: 'already-collected'; dn: string; collectedBy: string; collectedAt: string };

/**
 * Hands the password out once: the first call returns it and wipes it, a later
 * one learns by whom and when it was collected. Each call that finds a
 * password kept or collected appends an audit entry in the same transaction.
 */
export async function collectSipPassword(
  pool: Pool,
  signer: AuditSigner,
  lineId: string,
  who: { actor: Actor; requestId: string | null; remote: string | null },
  now = new Date(),
): Promise<SipCollection> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ dn: string; domain: string; password: string | null; collected_by: string | null; collected_at: Date | null }>(
      'SELECT dn, domain, password, collected_by, collected_at FROM line_sip_credentials WHERE line_id = $1 FOR UPDATE',
      [lineId],
    );
    const row = rows[0];
    if (!row) return { outcome: 'none' };
    const audit = (outcome: string, details: Record<string, unknown>) =>
      appendAuditIn(db, signer, {
        actor: who.actor.id,
        actorRole: who.actor.role,
        action: 'GET /api/v1/lines/:id/sip-credentials',
        subject: `/api/v1/lines/${lineId}/sip-credentials`,
        requestId: who.requestId,
        remote: who.remote,
        details: { outcome, dn: row.dn, ...details },
      });
    if (row.password === null) {
      const collected = { dn: row.dn, collectedBy: row.collected_by ?? '?', collectedAt: (row.collected_at ?? now).toISOString() };
      await audit('refused: already collected', { collectedBy: collected.collectedBy, collectedAt: collected.collectedAt });
      return { outcome: 'already-collected', ...collected };
    }
    await db.query('UPDATE line_sip_credentials SET password = NULL, collected_by = $2, collected_role = $3, collected_at = $4 WHERE line_id = $1', [
      lineId,
      who.actor.id,
      who.actor.role,
      now,
    ]);
    await audit('collected', {});
    return { outcome: 'collected', dn: row.dn, domain: row.domain, password: row.password, collectedAt: now.toISOString() };
  });
}
