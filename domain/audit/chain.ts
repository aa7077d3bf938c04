import { createHash } from 'node:crypto';

/**
 * The audit chain's hashing, in one place: an entry's hash covers the previous
 * entry's hash and the entry's own fields in a fixed order, so reordering,
 * editing or dropping any entry breaks every link after it.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  subject: string | null;
  requestId: string | null;
  remote: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: the same entry always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

export interface ChainLink extends AuditEntry {
  prevHash: string;
  hash: string;
  /** The audit key's signature of `hash` (domain/audit/seal.ts); null on entries written before sealing began. */
  seal?: string | null;
}

/** Why a link does not follow: its prev_hash is not the hash before it (reordered, removed), or its own fields no longer give its hash (changed). */
export type ChainBreak = 'unlinked' | 'changed';

export type ChainVerdict =
  { ok: true; checked: number; lastHash: string } | { ok: false; checked: number; brokenAt: number; cause: ChainBreak; reason: string };

/** Walks links in order from `prevHash`; the first link that does not follow is reported. */
export function verifyLinks(links: Iterable<ChainLink>, prevHash = GENESIS_HASH, checkedBefore = 0): ChainVerdict {
  let checked = checkedBefore;
  let previous = prevHash;
  for (const link of links) {
    if (link.prevHash !== previous) {
      return { ok: false, checked, brokenAt: link.seq, cause: 'unlinked', reason: `entry ${link.seq} does not follow the entry before it (prev_hash differs)` };
    }
    const { prevHash: _p, hash, seal: _s, ...entry } = link;
    if (entryHash(previous, entry) !== hash) {
      return { ok: false, checked, brokenAt: link.seq, cause: 'changed', reason: `entry ${link.seq} was changed after it was written (hash differs)` };
    }
    previous = hash;
    checked++;
  }
  return { ok: true, checked, lastHash: previous };
}
