import type { Pool, PoolClient } from 'pg';
import { entryHash, GENESIS_HASH, verifyLinks, type AuditEntry, type ChainLink, type ChainVerdict } from '../domain/audit/chain';
import { inTransaction } from '../system/postgres';

/** The audit log (`audit_log`): appended under a lock so the chain has one order; verified by re-walking it. */

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'> & { at?: string };

// One lock for the whole chain: each entry needs the hash of the one before it.
const CHAIN_LOCK = 0x61756469; // "audi"

export async function appendAudit(pool: Pool, entry: NewAuditEntry): Promise<ChainLink> {
  return inTransaction(pool, (db) => appendAuditIn(db, entry));
}

/** Appends within the caller's transaction, so the entry commits (or not) with what it records. */
export async function appendAuditIn(db: PoolClient, entry: NewAuditEntry): Promise<ChainLink> {
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
  await db.query(
    `INSERT INTO audit_log (seq, at, actor, actor_role, action, subject, request_id, remote, details, prev_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [full.seq, full.at, full.actor, full.actorRole, full.action, full.subject, full.requestId, full.remote, JSON.stringify(full.details), prevHash, hash],
  );
  return { ...full, prevHash, hash };
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
  };
}

const BATCH = 1000;

/** Re-walks the whole chain in order, a batch at a time; the first broken link is reported. */
export async function verifyAuditChain(pool: Pool): Promise<ChainVerdict> {
  let verdict: ChainVerdict = { ok: true, checked: 0, lastHash: GENESIS_HASH };
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<Row>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, BATCH]);
    if (rows.length === 0) return verdict;
    verdict = verifyLinks(rows.map(toLink), verdict.lastHash, verdict.checked);
    if (!verdict.ok) return verdict;
    after = Number(rows.at(-1)!.seq);
  }
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
