import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../domain/errors';
import { Role } from '../domain/actor';
import { appendAuditIn } from './audit.repo';
import type { AuditSigner } from '../domain/audit/seal';
import type { Pool } from 'pg';
import { inTransaction } from '../system/postgres';

/**
 * API tokens issued by an admin (`api_tokens`). The secret exists only in the
 * return value of `issueToken`; the table keeps its sha256. Issue and revoke
 * commit together with their audit entry, which names the token by id only.
 */

export const TokenId = z.string().regex(/^tok_[0-9a-f]{10}$/, 'expected a token id like tok_0123456789');
// Becomes the actor in timelines and the audit log: one printable line.
const Holder = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^\P{C}+$/u, 'must be printable text on one line');

export const IssueTokenInput = z.object({ name: Holder, role: Role, by: Holder }).strict();
export type IssueTokenInput = z.infer<typeof IssueTokenInput>;
export const RevokeTokenInput = z.object({ id: TokenId, by: Holder }).strict();
export type RevokeTokenInput = z.infer<typeof RevokeTokenInput>;

/** A token as it is listed: who holds it, with which role, issued and revoked by whom; never the secret or its hash. */
export const ApiTokenView = z.object({
  id: TokenId,
  name: z.string(),
  role: Role,
  createdAt: z.string().datetime(),
  createdBy: z.string(),
  revokedAt: z.string().datetime().nullable(),
  revokedBy: z.string().nullable(),
  lastUsedAt: z.string().datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenView>;

/** Where an issue or revoke came from, for its audit entry: the API request's id and remote address (the CLI has neither). */
export interface AuditOrigin {
  requestId: string | null;
  remote: string | null;
}
const CLI_ORIGIN: AuditOrigin = { requestId: null, remote: null };

// 32 random bytes; the prefix lets a leaked token be recognised (and the API skip the lookup for anything else).
const PREFIX = 'butler_';
const ISSUED = /^butler_[A-Za-z0-9_-]{43}$/;
const COLUMNS = 'id, name, role, created_at, created_by, revoked_at, revoked_by, last_used_at';

interface Row {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  revokedBy: r.revoked_by,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token: the secret (to show once) and its stored record. */
export async function issueToken(
  pool: Pool,
  signer: AuditSigner,
  input: IssueTokenInput,
  origin: AuditOrigin = CLI_ORIGIN,
): Promise<{ token: string; record: ApiToken }> {
  const { name, role, by } = IssueTokenInput.parse(input);
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = `tok_${randomBytes(5).toString('hex')}`;
  const record = await inTransaction(pool, async (db) => {
    const { rows } = await db.query<Row>(`INSERT INTO api_tokens (id, name, role, token_sha256, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`, [
      id,
      name,
      role,
      sha256(token),
      by,
    ]);
    await appendAuditIn(db, signer, { actor: by, actorRole: 'admin', action: 'issue-token', subject: id, ...origin, details: { name, role } });
    return toToken(rows[0]!);
  });
  return { token, record };
}

export async function listTokens(pool: Pool): Promise<ApiToken[]> {
  const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at, id`);
  return rows.map(toToken);
}

/**
 * Revokes the token (effective on the next request). Revoking a revoked token
 * changes nothing and writes no audit entry (`changed: false`); an unknown id
 * throws NotFoundError.
 */
export async function revokeToken(
  pool: Pool,
  signer: AuditSigner,
  input: RevokeTokenInput,
  origin: AuditOrigin = CLI_ORIGIN,
): Promise<{ record: ApiToken; changed: boolean }> {
  const { id, by } = RevokeTokenInput.parse(input);
  return inTransaction(pool, async (db) => {
    const revoked = await db.query<Row>(`UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`, [
      id,
      by,
    ]);
    const row = revoked.rows[0];
    if (row) {
      await appendAuditIn(db, signer, {
        actor: by,
        actorRole: 'admin',
        action: 'revoke-token',
        subject: id,
        ...origin,
        details: { name: row.name, role: row.role },
      });
      return { record: toToken(row), changed: true };
    }
    const existing = await db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    if (!existing.rows[0]) throw new NotFoundError('api token', id);
    return { record: toToken(existing.rows[0]), changed: false };
  });
}

/**
 * The holder of an unrevoked issued token, read on every request so a
 * revocation applies at once; undefined for anything else, without a query
 * when it is not even shaped like one. Found by the hash's unique index: the
 * lookup's timing can only tell about a hash, which says nothing about a secret.
 * Marks last use at most once a minute, in the same statement (never on a row
 * revoked meanwhile, which the table's guard would refuse).
 */
export function issuedTokenLookup(pool: Pool): (token: string) => Promise<{ name: string; role: Role } | undefined> {
  return async (token) => {
    if (!ISSUED.test(token)) return undefined;
    const { rows } = await pool.query<{ name: string; role: Role }>(
      `WITH found AS (SELECT id, name, role, last_used_at FROM api_tokens WHERE token_sha256 = $1 AND revoked_at IS NULL),
       touched AS (
         UPDATE api_tokens t SET last_used_at = now() FROM found
          WHERE t.id = found.id AND t.revoked_at IS NULL AND (found.last_used_at IS NULL OR found.last_used_at < now() - interval '1 minute')
       )
       SELECT name, role FROM found`,
      [sha256(token)],
    );
    return rows[0];
  };
}
