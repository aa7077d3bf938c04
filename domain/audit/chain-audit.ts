import type { KeyObject } from 'node:crypto';
import { entryHash, GENESIS_HASH, type ChainLink } from './chain';
import { anchorDefect, keyIdOf, sealHolds, type AuditAnchor } from './seal';

/**
 * The audit chain checked as an auditor would: every link follows the one before (hashes), every
 * entry from the start of sealing carries the audit key's seal of its hash (so a chain rewritten and
 * re-hashed by someone without the key fails at the first entry that differs), and the chain still
 * holds, at each anchor's entry, the hash the anchor was signed over (so entries removed from the end,
 * or a rewrite by someone who had the key, show against an anchor delivered outside the database).
 * Fed in order, a page at a time; the first defect is the verdict.
 */

export type ChainDefect =
  /** Its prev_hash is not the hash before it: reordered or removed. */
  | 'unlinked'
  /** Its fields no longer give its hash: edited in place. */
  | 'changed'
  /** Its hash follows, but its seal does not match it: rewritten and re-hashed without the key. */
  | 'forged'
  /** No seal, though the chain is sealed from an earlier entry: a seal removed. */
  | 'unsealed'
  /** An anchored entry's hash differs from the anchor's (or the entry is gone), before sealing began. */
  | 'anchor-differs'
  /** The chain ends before an entry an anchor attests: entries removed from the end. */
  | 'truncated'
  /** An anchor is not signed by the audit key. */
  | 'anchor-invalid';

export interface AnchorSummary {
  no: number;
  seq: number;
  hash: string;
  signedAt: string;
}

interface VerdictCommon {
  /** Entries verified (before the defect, when there is one). */
  checked: number;
  keyId: string;
  /** The first sealed entry; null: none is (every entry predates sealing, or the chain is empty). */
  sealedFrom: number | null;
  /** Anchors compared with the chain, and the latest of them: compare it with the one you were sent. */
  anchors: { checked: number; latest: AnchorSummary | null };
}

export type ChainAuditVerdict =
  | (VerdictCommon & { ok: true; lastHash: string })
  | (VerdictCommon & {
      ok: false;
      /** The first entry that differs; with `range`, the anchored entry whose hash differs. */
      brokenAt: number;
      cause: ChainDefect;
      reason: string;
      /** Before sealing, only anchors tell: the first entry that differs is one of these. */
      range?: { from: number; to: number };
    });

/** A stored anchor that no longer parses as one: reported, not thrown. */
export interface UnreadableAnchor {
  no: number;
  unreadable: string;
}

type Failure = { brokenAt: number; cause: ChainDefect; reason: string; range?: { from: number; to: number } };

export class ChainAudit {
  private readonly anchors: AuditAnchor[];
  private readonly keyId: string;
  private previous = GENESIS_HASH;
  private lastSeq = 0;
  private checked = 0;
  private sealedFrom: number | null;
  private nextAnchor = 0;
  /** The last anchored entry found as its anchor says: a difference lies after it. */
  private heldUpTo = 0;
  private failure: Failure | undefined;

  constructor(
    private readonly publicKey: KeyObject,
    anchors: readonly (AuditAnchor | UnreadableAnchor)[],
  ) {
    this.keyId = keyIdOf(publicKey);
    const unreadable = anchors.find((a): a is UnreadableAnchor => 'unreadable' in a);
    if (unreadable) this.failure = { brokenAt: 0, cause: 'anchor-invalid', reason: `anchor ${unreadable.no} is not an anchor: ${unreadable.unreadable}` };
    this.anchors = anchors.filter((a): a is AuditAnchor => !('unreadable' in a)).sort((a, b) => a.seq - b.seq || a.no - b.no);
    for (const anchor of this.failure ? [] : this.anchors) {
      const defect = anchorDefect(anchor, publicKey);
      if (defect) {
        this.failure = { brokenAt: anchor.seq, cause: 'anchor-invalid', reason: defect };
        break;
      }
    }
    // What the anchors say about where sealing began outlives seals stripped from the rows.
    const claimed = this.anchors.map((a) => a.sealedFrom).filter((s): s is number => s !== null);
    this.sealedFrom = claimed.length ? Math.min(...claimed) : null;
    // Anchors of the empty chain: its head is the genesis hash.
    this.failure ??= this.checkAnchorsUpTo(0, GENESIS_HASH);
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** Checks the next links in chain order; false once a defect is found (feed no more). */
  feed(links: Iterable<ChainLink>): boolean {
    if (this.failure) return false;
    for (const link of links) {
      this.failure = this.check(link);
      if (this.failure) return false;
      this.previous = link.hash;
      this.lastSeq = link.seq;
      this.checked++;
    }
    return true;
  }

  private check(link: ChainLink): Failure | undefined {
    const { seq } = link;
    if (link.prevHash !== this.previous) {
      return { brokenAt: seq, cause: 'unlinked', reason: `entry ${seq} does not follow the entry before it (prev_hash differs)` };
    }
    const { prevHash: _p, hash, seal, ...entry } = link;
    if (entryHash(this.previous, entry) !== hash) {
      return { brokenAt: seq, cause: 'changed', reason: `entry ${seq} was changed after it was written (hash differs)` };
    }
    if (seal) {
      this.sealedFrom ??= seq;
      if (seq < this.sealedFrom) this.sealedFrom = seq;
      if (!sealHolds(this.publicKey, hash, seal)) {
        return {
          brokenAt: seq,
          cause: 'forged',
          reason: `entry ${seq} does not carry the audit key's seal of its hash: it was rewritten, and the chain after it re-hashed, by someone without the key`,
        };
      }
    } else if (this.sealedFrom !== null && seq >= this.sealedFrom) {
      return {
        brokenAt: seq,
        cause: 'unsealed',
        reason: `entry ${seq} has no seal, though the chain is sealed from entry ${this.sealedFrom}: its seal was removed`,
      };
    }
    return this.checkAnchorsUpTo(seq, hash);
  }

  /** Anchors at or before `seq`: each anchored entry must be there, with the anchored hash. */
  private checkAnchorsUpTo(seq: number, hash: string): Failure | undefined {
    while (this.nextAnchor < this.anchors.length && this.anchors[this.nextAnchor]!.seq <= seq) {
      const anchor = this.anchors[this.nextAnchor]!;
      const found = anchor.seq === seq ? hash : anchor.seq === 0 ? GENESIS_HASH : undefined;
      if (found !== anchor.hash) return this.anchorDiffers(anchor, found === undefined);
      this.heldUpTo = anchor.seq;
      this.nextAnchor++;
    }
    return undefined;
  }

  private anchorDiffers(anchor: AuditAnchor, missing: boolean): Failure {
    const from = this.heldUpTo + 1;
    const what = missing ? `entry ${anchor.seq} is not in the chain` : `entry ${anchor.seq}'s hash differs`;
    return {
      brokenAt: anchor.seq,
      cause: 'anchor-differs',
      reason:
        `${what} from anchor ${anchor.no} (signed ${anchor.signedAt}): the chain was rewritten; the first entry that differs ` +
        `is between ${from} and ${anchor.seq}${this.heldUpTo ? ` (entry ${this.heldUpTo} still matches its anchor)` : ''}`,
      range: { from, to: anchor.seq },
    };
  }

  verdict(): ChainAuditVerdict {
    if (!this.failure) {
      // Anchors beyond the end: attested entries that are no longer there.
      const beyond = this.anchors.slice(this.nextAnchor).find((a) => a.seq > this.lastSeq);
      if (beyond) {
        this.failure = {
          brokenAt: this.lastSeq + 1,
          cause: 'truncated',
          reason: `the chain ends at entry ${this.lastSeq}, but anchor ${beyond.no} (signed ${beyond.signedAt}) attests entry ${beyond.seq}: entries after ${this.lastSeq} were removed`,
        };
      }
    }
    const held = this.anchors.slice(0, this.nextAnchor);
    const latest = this.anchors.reduce<AuditAnchor | undefined>((a, b) => (a && a.no > b.no ? a : b), undefined);
    const common: VerdictCommon = {
      checked: this.checked,
      keyId: this.keyId,
      sealedFrom: this.sealedFrom,
      anchors: {
        checked: held.length,
        latest: latest ? { no: latest.no, seq: latest.seq, hash: latest.hash, signedAt: latest.signedAt } : null,
      },
    };
    return this.failure ? { ...common, ok: false, ...this.failure } : { ...common, ok: true, lastHash: this.previous };
  }
}
