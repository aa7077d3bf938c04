import type { Pool, PoolClient } from 'pg';
import type { KeyObject } from 'node:crypto';
import { entryHash, GENESIS_HASH, type AuditEntry, type ChainLink } from '../domain/audit/chain';
import { ChainAudit, type ChainAuditVerdict, type UnreadableAnchor } from '../domain/audit/chain-audit';
import { AuditAnchor, type AuditSigner } from '../domain/audit/seal';
import { inTransaction } from '../system/postgres';

/** The audit log (`audit_log`): appended under a lock so the chain has one order; verified by re-walking it. */

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'> & { at?: string };

// One lock for the whole chain: each entry needs the hash of the one before it.
const CHAIN_LOCK = 0x61756469; // "audi"

export async function appendAudit(pool: Pool, signer: AuditSigner, entry: NewAuditEntry): Promise<ChainLink> {
  return inTransaction(pool, (db) => appendAuditIn(db, signer, entry));
}

/** Appends within the caller's transaction, so the entry commits (or not) with what it records; sealed with the audit key. */
export async function appendAuditIn(db: PoolClient, signer: AuditSigner, entry: NewAuditEntry): Promise<ChainLink> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const last = await db.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
  const { rows } = await db.query<{ seq: string }>(`SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq`);
  const full: AuditEntry = {
    seq: Number(rows[0]!.seq),
    at: entry.at ?? new Date().toISOString(),
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    subject: entry.subject,
    requestId: entry.requestId,
    remote: entry.remote,
    details: entry.details,
  };
  const hash = entryHash(prevHash, full);
  const seal = signer.seal(hash);
  await db.query(
    `INSERT INTO audit_log (seq, at, actor, actor_role, action, subject, request_id, remote, details, prev_hash, hash, seal)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [full.seq, full.at, full.actor, full.actorRole, full.action, full.subject, full.requestId, full.remote, JSON.stringify(full.details), prevHash, hash, seal],
  );
  return { ...full, prevHash, hash, seal };
}

interface Row {
  seq: string;
  at: Date;
  actor: string;
  actor_role: string;
  action: string;
  subject: string | null;
  request_id: string | null;
  remote: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  seal: string | null;
}

function toLink(r: Row): ChainLink {
  return {
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actor: r.actor,
    actorRole: r.actor_role,
    action: r.action,
    subject: r.subject,
    requestId: r.request_id,
    remote: r.remote,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
    seal: r.seal,
  };
}

const BATCH = 1000;

/** A row as the audit reads it: a timestamp PostgreSQL holds but no Date can (infinity) becomes text the hash then refuses, not a crash. */
function toAuditedLink(r: Row): ChainLink {
  const valid = r.at instanceof Date && !Number.isNaN(r.at.getTime());
  return valid ? toLink(r) : toLink({ ...r, at: { toISOString: () => String(r.at) } as Date });
}

/**
 * Re-walks the whole chain in order, a batch at a time, checking links, seals (with `publicKey`, the
 * audit key's, never one read from the database) and `anchors` (by default the ones stored; an
 * auditor's own copies when given); the first defect is reported.
 */
export async function verifyAuditChain(pool: Pool, publicKey: KeyObject, extraAnchors: readonly AuditAnchor[] = []): Promise<ChainAuditVerdict> {
  // The stored anchors (a row that is no anchor is reported, not thrown) and the auditor's own copies, each once.
  const stored = await storedAnchors(pool);
  const known = new Set(stored.map((a) => ('signature' in a ? a.signature : '')));
  const audit = new ChainAudit(publicKey, [...stored, ...extraAnchors.filter((a) => !known.has(a.signature))]);
  let after = 0;
  while (!audit.broken) {
    const { rows } = await pool.query<Row>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, BATCH]);
    if (rows.length === 0) break;
    audit.feed(rows.map(toAuditedLink));
    after = Number(rows.at(-1)!.seq);
  }
  return audit.verdict();
}

export interface StoredAnchor {
  anchor: AuditAnchor;
  reason: string;
  requestedBy: string;
}

/**
 * Signs the chain's head as it stands (under the chain's lock, so no entry slips in between) and
 * keeps the anchor. The copies that count are the ones delivered outside the database.
 */
export async function signAnchor(pool: Pool, signer: AuditSigner, by: { reason: string; requestedBy: string }): Promise<AuditAnchor> {
  return inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const head = await db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const sealed = await db.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM audit_log WHERE seal IS NOT NULL');
    const last = await db.query<{ no: string | null }>('SELECT max(no) AS no FROM audit_anchors');
    const anchor = signer.signAnchor(Number(last.rows[0]!.no ?? 0) + 1, {
      seq: Number(head.rows[0]?.seq ?? 0),
      hash: head.rows[0]?.hash ?? GENESIS_HASH,
      signedAt: new Date().toISOString(),
      sealedFrom: sealed.rows[0]!.seq === null ? null : Number(sealed.rows[0]!.seq),
    });
    await db.query('INSERT INTO audit_anchors (no, anchor, reason, requested_by) VALUES ($1, $2, $3, $4)', [
      anchor.no,
      JSON.stringify(anchor),
      by.reason,
      by.requestedBy,
    ]);
    return anchor;
  });
}

interface AnchorRow {
  no: string;
  anchor: unknown;
  reason: string;
  requested_by: string;
}

async function anchorRows(pool: Pool, no?: number): Promise<AnchorRow[]> {
  const { rows } = await pool.query<AnchorRow>(
    `SELECT no, anchor, reason, requested_by FROM audit_anchors ${no === undefined ? '' : 'WHERE no = $1'} ORDER BY no`,
    no === undefined ? [] : [no],
  );
  return rows;
}

/** The stored anchors as the audit takes them: a row that no longer parses as an anchor is reported, not thrown. */
async function storedAnchors(pool: Pool): Promise<(AuditAnchor | UnreadableAnchor)[]> {
  return (await anchorRows(pool)).map((r) => {
    const parsed = AuditAnchor.safeParse(r.anchor);
    return parsed.success ? parsed.data : { no: Number(r.no), unreadable: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  });
}

/** The stored anchors that parse, oldest first (`no`: that one only). */
export async function listAnchors(pool: Pool, no?: number): Promise<StoredAnchor[]> {
  return (await anchorRows(pool, no)).flatMap((r) => {
    const parsed = AuditAnchor.safeParse(r.anchor);
    return parsed.success ? [{ anchor: parsed.data, reason: r.reason, requestedBy: r.requested_by }] : [];
  });
}

/** A page of the log in chain order (`desc`: newest first), with how many entries the filter matches. */
export async function listAudit(
  pool: Pool,
  f: { from?: string; to?: string; actor?: string; order?: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ items: ChainLink[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.from) where.push(`at >= $${params.push(f.from)}`);
  if (f.to) where.push(`at < $${params.push(f.to)}`);
  if (f.actor) where.push(`actor = $${params.push(f.actor)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = f.order === 'desc' ? 'DESC' : 'ASC';
  const [page, count] = await Promise.all([
    pool.query<Row>(`SELECT * FROM audit_log ${clause} ORDER BY seq ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      f.limit,
      f.offset,
    ]),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log ${clause}`, params),
  ]);
  return { items: page.rows.map(toLink), total: count.rows[0]!.n };
}

/** Whether any entry carries a seal (a key has sealed this chain). */
export async function hasSealedEntries(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query('SELECT 1 FROM audit_log WHERE seal IS NOT NULL LIMIT 1');
  return rows.length > 0;
}
