import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './chain';

/**
 * What Butler signs with its audit key (Ed25519, held outside the database), and how a
 * signature is checked. Two things are signed:
 * - each entry's hash as it is appended (its seal): whoever can write to the database but does
 *   not hold the key cannot rewrite an entry and re-hash the chain after it without every seal
 *   from that entry on failing, so the first entry that differs is named exactly;
 * - the chain's head, each day and on demand (an anchor), delivered outside the database (mailed
 *   to the auditors, printed in the monthly inspection and the QSR): entries removed from the end,
 *   or a chain rewritten by someone who took the key, still differ from what an earlier anchor says.
 */

const SEAL_CONTEXT = 'butler-audit-seal:v1\n';

export function sealMessage(hash: string): Buffer {
  return Buffer.from(SEAL_CONTEXT + hash, 'utf8');
}

/** A key's short name: the first 16 hex digits of the sha256 of its public key (SPKI, DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an audit key is Ed25519, this one is ${key.asymmetricKeyType}`);
  return key;
}

export function sealHolds(publicKey: KeyObject, hash: string, seal: string): boolean {
  try {
    return verify(null, sealMessage(hash), publicKey, Buffer.from(seal, 'base64'));
  } catch {
    return false;
  }
}

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex');

/** What an anchor attests: the chain's head at a moment, and from which entry the chain is sealed. */
export const AnchorClaim = z
  .object({
    /** The head: the last entry's seq (0: the chain was empty) and hash. */
    seq: z.number().int().min(0),
    hash: Sha256Hex,
    signedAt: z.string().datetime({ offset: true }),
    /** The first sealed entry (entries before it were written before sealing began); null: none yet. */
    sealedFrom: z.number().int().min(1).nullable(),
  })
  .strict();
export type AnchorClaim = z.infer<typeof AnchorClaim>;

/** A signed anchor, as stored, mailed and saved to a file for `npm run audit:verify -- --anchor <file>`. */
export const AuditAnchor = AnchorClaim.extend({
  format: z.literal('butler-audit-anchor/v1'),
  /** Its number among the anchors Butler signed. */
  no: z.number().int().min(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** The key that checks it (SPKI, PEM): compare its keyId with the one the auditors were given. */
  publicKey: z.string().min(1),
  /** Ed25519 over anchorMessage(the claim), base64. */
  signature: z.string().min(1),
}).strict();
export type AuditAnchor = z.infer<typeof AuditAnchor>;

const ANCHOR_CONTEXT = 'butler-audit-anchor:v1\n';

/** What an anchor's signature covers: its number too, so an old anchor cannot be passed off as a later one. */
export function anchorMessage(no: number, claim: AnchorClaim): Buffer {
  const { seq, hash, signedAt, sealedFrom } = claim;
  return Buffer.from(ANCHOR_CONTEXT + canonicalJson({ no, seq, hash, signedAt, sealedFrom }), 'utf8');
}

/** Why an anchor cannot be relied on, or undefined when it is signed by `trusted`. */
export function anchorDefect(anchor: AuditAnchor, trusted: KeyObject): string | undefined {
  if (anchor.keyId !== keyIdOf(trusted)) return `anchor ${anchor.no} is signed by key ${anchor.keyId}, not by the audit key ${keyIdOf(trusted)}`;
  let holds = false;
  try {
    holds = verify(null, anchorMessage(anchor.no, anchor), trusted, Buffer.from(anchor.signature, 'base64'));
  } catch {
    holds = false;
  }
  return holds ? undefined : `anchor ${anchor.no}'s signature does not match what it claims (forged or altered)`;
}

/** Seals entries and signs anchors; holds the private key, which never goes to the database. */
export interface AuditSigner {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  seal(hash: string): string;
  signAnchor(no: number, claim: AnchorClaim): AuditAnchor;
}

export function createAuditSigner(privateKey: KeyObject): AuditSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the audit signing key must be an Ed25519 private key, not a ${privateKey.asymmetricKeyType ?? ''} ${privateKey.type} key`);
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId,
    publicKey,
    seal: (hash) => sign(null, sealMessage(hash), privateKey).toString('base64'),
    signAnchor: (no, claim) => ({
      format: 'butler-audit-anchor/v1',
      no,
      ...claim,
      keyId,
      publicKey: publicKeyPem,
      signature: sign(null, anchorMessage(no, claim), privateKey).toString('base64'),
    }),
  };
}
