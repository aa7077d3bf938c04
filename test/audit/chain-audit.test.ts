import { createPrivateKey } from 'node:crypto';
import { ChainAudit, type ChainAuditVerdict } from '../../domain/audit/chain-audit';
import { entryHash, GENESIS_HASH, type AuditEntry, type ChainLink } from '../../domain/audit/chain';
import { createAuditSigner, type AuditAnchor, type AuditSigner } from '../../domain/audit/seal';
import { newAuditKeyPem } from '../../system/audit-key';

/**
 * The chain audit against what an insider with database access could do: edit a row, rewrite it
 * and re-hash everything after it, strip seals, cut the end, forge an anchor; and what one who
 * also took the key could do, against an anchor sent out before.
 */

const key = createAuditSigner(createPrivateKey(newAuditKeyPem()));
const thief = createAuditSigner(createPrivateKey(newAuditKeyPem()));

function entry(seq: number, actor = 'kim'): AuditEntry {
  return {
    seq,
    at: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
    actor,
    actorRole: 'spm',
    action: 'POST /api/v1/incidents',
    subject: '/api/v1/incidents',
    requestId: `r-${seq}`,
    remote: '10.0.0.7',
    details: { status: 201 },
  };
}

/** Links `entries` after `prev`, sealing those at or after `sealFrom` with `signer`. */
function link(entries: AuditEntry[], signer: AuditSigner | undefined, sealFrom = 1, prev = GENESIS_HASH): ChainLink[] {
  return entries.map((e) => {
    const hash = entryHash(prev, e);
    const l: ChainLink = { ...e, prevHash: prev, hash, seal: signer && e.seq >= sealFrom ? signer.seal(hash) : null };
    prev = hash;
    return l;
  });
}

function audit(links: ChainLink[], anchors: AuditAnchor[] = [], trusted = key): ChainAuditVerdict {
  const a = new ChainAudit(trusted.publicKey, anchors);
  a.feed(links.slice(0, 7));
  a.feed(links.slice(7));
  return a.verdict();
}

const anchorOf = (links: ChainLink[], upTo: number, no = 1, signer = key): AuditAnchor =>
  signer.signAnchor(no, {
    seq: upTo,
    hash: upTo === 0 ? GENESIS_HASH : links.find((l) => l.seq === upTo)!.hash,
    signedAt: '2026-11-02T00:10:00.000Z',
    sealedFrom: links.find((l) => l.seal)?.seq ?? null,
  });

const chain = () =>
  link(
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => entry(n)),
    key,
  );

/** Entry `at` rewritten (actor), and every hash from it on recomputed: a consistent chain, re-sealed only by `signer`. */
function rewritten(links: ChainLink[], at: number, signer?: AuditSigner): ChainLink[] {
  const kept = links.filter((l) => l.seq < at);
  const { prevHash: _p, hash: _h, seal: _s, ...target } = links.find((l) => l.seq === at)!;
  const rest = links.filter((l) => l.seq > at).map(({ prevHash: _p2, hash: _h2, seal: _s2, ...e }) => e);
  const relinked = link([{ ...target, actor: 'nobody' }, ...rest], signer, 1, kept.at(-1)?.hash ?? GENESIS_HASH);
  // Whoever lacks the key keeps the old seals (or none): they no longer match the new hashes.
  return [...kept, ...relinked.map((l) => (signer ? l : { ...l, seal: links.find((o) => o.seq === l.seq)!.seal }))];
}

test('an intact sealed chain: every link, every seal and the anchors hold', () => {
  const links = chain();
  expect(audit(links, [anchorOf(links, 4), anchorOf(links, 10, 2)])).toEqual({
    ok: true,
    checked: 10,
    lastHash: links[9]!.hash,
    keyId: key.keyId,
    sealedFrom: 1,
    anchors: { checked: 2, latest: { no: 2, seq: 10, hash: links[9]!.hash, signedAt: '2026-11-02T00:10:00.000Z' } },
  });
});

test('a row edited in place is "changed" at that entry', () => {
  const links = chain();
  links[4] = { ...links[4]!, actor: 'nobody' };
  expect(audit(links)).toMatchObject({ ok: false, brokenAt: 5, cause: 'changed', checked: 4 });
});

test('rewritten and re-hashed without the key: the seal of the first entry that differs fails ("forged"), exactly there', () => {
  const links = rewritten(chain(), 6);
  expect(audit(links)).toMatchObject({ ok: false, brokenAt: 6, cause: 'forged', checked: 5, reason: expect.stringContaining('without the key') });
});

test('seals stripped from the rewritten part: "unsealed" at the first entry without one', () => {
  const links = rewritten(chain(), 6).map((l) => (l.seq >= 6 ? { ...l, seal: null } : l));
  expect(audit(links)).toMatchObject({ ok: false, brokenAt: 6, cause: 'unsealed' });
  // Every seal stripped: the anchor still says the chain was sealed from entry 1.
  const bare = rewritten(chain(), 6).map((l) => ({ ...l, seal: null }));
  expect(audit(bare, [anchorOf(chain(), 3)])).toMatchObject({ ok: false, brokenAt: 1, cause: 'unsealed' });
});

test('entries removed from the end: the chain itself still holds, an anchor of a later head finds it ("truncated")', () => {
  const links = chain();
  const anchor = anchorOf(links, 10);
  const cut = links.slice(0, 7);
  expect(audit(cut).ok).toBe(true);
  expect(audit(cut, [anchor])).toMatchObject({ ok: false, brokenAt: 8, cause: 'truncated', reason: expect.stringContaining('anchor 1') });
});

test('rewritten and re-sealed by someone who took the key: the anchor sent out before still differs', () => {
  const original = chain();
  const anchor = anchorOf(original, 8);
  const resealed = rewritten(original, 6, key);
  // Seals and links all hold now: only the earlier anchor shows the rewrite.
  expect(audit(resealed).ok).toBe(true);
  expect(audit(resealed, [anchorOf(original, 3), anchor])).toMatchObject({
    ok: false,
    brokenAt: 8,
    cause: 'anchor-differs',
    range: { from: 4, to: 8 },
    reason: expect.stringContaining('between 4 and 8'),
  });
});

/** Entries 1–6 written before sealing began (an upgraded installation), 7–8 after. */
function upgraded(entries: AuditEntry[] = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => entry(n))): ChainLink[] {
  const legacy = link(entries.slice(0, 6), undefined);
  return [...legacy, ...link(entries.slice(6), key, 1, legacy[5]!.hash)];
}

test('a chain written before sealing began is bounded by its anchors: the difference lies between the last anchor that holds and the first that does not', () => {
  const chain = upgraded();
  const anchors = [anchorOf(chain, 2), anchorOf(chain, 5, 2)];
  expect(audit(chain, anchors)).toMatchObject({ ok: true, sealedFrom: 7, anchors: { checked: 2 } });
  // Entry 3 rewritten and everything after re-hashed; the sealed entries keep their old seals.
  const rewrittenLegacy = rewritten(chain, 3);
  expect(audit(rewrittenLegacy, anchors)).toMatchObject({ ok: false, cause: 'anchor-differs', brokenAt: 5, range: { from: 3, to: 5 } });
  // Without the anchors, the first sealed entry shows it, and says the rewrite may have begun before it.
  expect(audit(rewrittenLegacy)).toMatchObject({ ok: false, cause: 'forged', brokenAt: 7, range: { from: 1, to: 7 } });
  // An anchored entry removed (and the chain relinked around it) is named as missing.
  const without = upgraded([1, 2, 3, 4, 6, 7, 8, 9].map((n) => entry(n)));
  expect(audit(without, [anchorOf(chain, 5)])).toMatchObject({
    ok: false,
    cause: 'anchor-differs',
    reason: expect.stringContaining('entry 5 is not in the chain'),
  });
});

test('every seal stripped and the stored anchors gone: the newest entry, which Butler always seals, has none', () => {
  const bare = rewritten(chain(), 6).map((l) => ({ ...l, seal: null }));
  expect(audit(bare)).toMatchObject({ ok: false, cause: 'unsealed', brokenAt: 10, reason: expect.stringContaining('newest entry (10) has no seal') });
});

test('an anchor not signed by the key does not stop the walk: a defect of the chain is still found, the anchor named beside it', () => {
  const links = chain();
  links[4] = { ...links[4]!, actor: 'nobody' };
  const verdict = audit(links, [anchorOf(links, 4, 1, thief)]);
  expect(verdict).toMatchObject({ ok: false, cause: 'changed', brokenAt: 5 });
  expect(!verdict.ok && verdict.reason).toContain(`also: anchor 1 is signed by key ${thief.keyId}`);
  // An anchor's number is signed: an old anchor renumbered to pass as the latest does not hold.
  const renumbered = { ...anchorOf(chain(), 4), no: 9 };
  expect(audit(chain(), [renumbered])).toMatchObject({ ok: false, cause: 'anchor-invalid', reason: expect.stringContaining('does not match') });
});

test('an anchor not signed by the audit key, or altered after signing, is refused (anchor-invalid)', () => {
  const links = chain();
  expect(audit(links, [anchorOf(links, 4, 1, thief)])).toMatchObject({
    ok: false,
    cause: 'anchor-invalid',
    reason: expect.stringContaining(`key ${thief.keyId}`),
  });
  const altered = { ...anchorOf(links, 4), seq: 5, hash: links[4]!.hash };
  expect(audit(links, [altered])).toMatchObject({ ok: false, cause: 'anchor-invalid', reason: expect.stringContaining('does not match') });
  // Checked with another key than the one that sealed: the first seal already fails.
  expect(audit(links, [], thief)).toMatchObject({ ok: false, brokenAt: 1, cause: 'forged' });
});

test('an empty chain holds; an anchor of the empty chain (seq 0) holds too', () => {
  expect(audit([], [anchorOf([], 0)])).toMatchObject({ ok: true, checked: 0, lastHash: GENESIS_HASH, sealedFrom: null, anchors: { checked: 1 } });
});
