import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The audit signing key (Ed25519), read from `BUTLER_AUDIT_SIGNING_KEY`: the PEM itself or the
 * path of a file holding it. It lives outside the database on purpose: whoever can write to the
 * database but does not hold this key cannot re-seal a rewritten audit chain.
 */

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

export function readAuditKey(setting: string): KeyObject {
  const pem = setting.includes('-----BEGIN') ? setting : readKeyFile(setting);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new AuditKeyError(`BUTLER_AUDIT_SIGNING_KEY is not a private key in PEM (PKCS#8): ${(cause as Error).message}`, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditKeyError(`BUTLER_AUDIT_SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}: openssl genpkey -algorithm ed25519`);
  }
  return key;
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AuditKeyError(`BUTLER_AUDIT_SIGNING_KEY: cannot read the key file ${file}: ${(cause as Error).message}`, { cause });
  }
}

/** A new Ed25519 private key in PEM (PKCS#8). */
export function newAuditKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The embedded default's key file: created (readable by its owner only) the first time. */
export function ensureAuditKeyFile(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': two processes starting together do not overwrite each other's key.
    try {
      writeFileSync(file, newAuditKeyPem(), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return file;
}
