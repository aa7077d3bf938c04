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
  /** Whether the entry before the current one carried a seal that held: only then does a failing seal pin the rewrite to its entry. */
  private previousSealed = false;
  private failure: Failure | undefined;
  /** Anchors not signed by the audit key (or not anchors at all): reported, but they do not stop the walk. */
  private readonly invalid: Array<{ seq: number; reason: string }> = [];

  constructor(
    private readonly publicKey: KeyObject,
    anchors: readonly (AuditAnchor | UnreadableAnchor)[],
  ) {
    this.keyId = keyIdOf(publicKey);
    const valid: AuditAnchor[] = [];
    for (const a of anchors) {
      if ('unreadable' in a) this.invalid.push({ seq: 0, reason: `anchor ${a.no} is not an anchor: ${a.unreadable}` });
      else {
        const defect = anchorDefect(a, publicKey);
        if (defect) this.invalid.push({ seq: a.seq, reason: defect });
        else valid.push(a);
      }
    }
    // Only anchors signed by the key are compared with the chain: a planted one must not decide anything.
    this.anchors = valid.sort((a, b) => a.seq - b.seq || a.no - b.no);
    // What the anchors say about where sealing began outlives seals stripped from the rows.
    let claimed: number | null = null;
    for (const a of this.anchors) if (a.sealedFrom !== null && (claimed === null || a.sealedFrom < claimed)) claimed = a.sealedFrom;
    this.sealedFrom = claimed;
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
      try {
        this.failure = this.check(link);
      } catch (err) {
        // A row made to break the hashing (nesting too deep to serialise): a changed entry, not a crash.
        this.failure = { brokenAt: link.seq, cause: 'changed', reason: `entry ${link.seq} cannot be hashed as written (${(err as Error).message})` };
      }
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
        if (!this.previousSealed && this.checked > 0) {
          // The entries before it carry no seal: the rewrite may have begun among them; only anchors bound it.
          const from = this.heldUpTo + 1;
          return {
            brokenAt: seq,
            cause: 'forged',
            reason: `entry ${seq}, the first sealed one, does not carry the audit key's seal of its hash: the chain was rewritten from an entry between ${from} and ${seq}`,
            range: { from, to: seq },
          };
        }
        return {
          brokenAt: seq,
          cause: 'forged',
          reason: `entry ${seq} does not carry the audit key's seal of its hash: it was rewritten, and the chain after it re-hashed, by someone without the key`,
        };
      }
      this.previousSealed = true;
    } else if (this.sealedFrom !== null && seq >= this.sealedFrom) {
      return {
        brokenAt: seq,
        cause: 'unsealed',
        reason: `entry ${seq} has no seal, though the chain is sealed from entry ${this.sealedFrom}: its seal was removed`,
      };
    } else {
      this.previousSealed = false;
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
    if (!this.failure && this.checked > 0 && !this.previousSealed) {
      // Butler seals every entry it appends: a newest entry without a seal means seals were stripped
      // (or nothing has been written since an upgrade began sealing, which the next entry mends).
      this.failure = {
        brokenAt: this.lastSeq,
        cause: 'unsealed',
        reason: `the newest entry (${this.lastSeq}) has no seal: every entry Butler appends is sealed, so seals were removed (or nothing has been written since sealing began)`,
      };
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
    const [firstInvalid, ...moreInvalid] = this.invalid;
    if (firstInvalid) {
      // A chain defect comes first; an anchor not signed by the key is one too, said beside it.
      this.failure = this.failure
        ? { ...this.failure, reason: `${this.failure.reason}; also: ${firstInvalid.reason}` }
        : { brokenAt: firstInvalid.seq, cause: 'anchor-invalid', reason: firstInvalid.reason };
      if (moreInvalid.length) this.failure = { ...this.failure, reason: `${this.failure.reason} (and ${moreInvalid.length} more invalid anchors)` };
    }
    return this.failure ? { ...common, ok: false, ...this.failure } : { ...common, ok: true, lastHash: this.previous };
  }
}
