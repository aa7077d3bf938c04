import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { hasSealedEntries } from '../db/audit.repo';
import { createAuditSigner, type AuditSigner } from '../domain/audit/seal';
import { ensureAuditKeyFile, readAuditKey } from '../system/audit-key';
import { ConfigError, EMBEDDED_AUDIT_KEY_FILE, type Config } from './config';

/**
 * The audit signer of a process that appends to the audit chain or checks it (the API, the
 * worker, the CLIs). The embedded default makes its key on first start, in its data folder;
 * anywhere else the key is the operator's to make and keep: Butler will not invent one, since
 * a key nobody kept cannot be checked against later.
 */
export function auditSignerFor(config: Pick<Config, 'auditSigningKey' | 'embedded' | 'dataDir'>, options: { create: boolean } = { create: true }): AuditSigner {
  const setting = config.auditSigningKey;
  if (!setting) {
    throw new ConfigError(
      'invalid configuration: BUTLER_AUDIT_SIGNING_KEY is not set. Outside the embedded default the audit chain is sealed with ' +
        'your key: make one with `openssl genpkey -algorithm ed25519 -out audit-signing-key.pem`, keep it out of the database ' +
        "and its backups, and set BUTLER_AUDIT_SIGNING_KEY to the file's path (or to the PEM itself)",
    );
  }
  // Only a process that writes the chain makes the embedded key; a CLI that checks it must find the one in use.
  const embeddedFile = options.create && config.embedded && setting === path.join(config.dataDir, EMBEDDED_AUDIT_KEY_FILE);
  return createAuditSigner(readAuditKey(embeddedFile ? ensureAuditKeyFile(setting) : setting));
}

/**
 * The audit key for Butler processes a tool starts on a database of its own (the benchmarks, the
 * chaos suite): the key already in the environment, else a file made in the tool's data folder.
 */
export function auditKeyEnv(dataDir: string): { BUTLER_AUDIT_SIGNING_KEY: string } {
  return { BUTLER_AUDIT_SIGNING_KEY: process.env.BUTLER_AUDIT_SIGNING_KEY || ensureAuditKeyFile(path.join(dataDir, EMBEDDED_AUDIT_KEY_FILE)) };
}

/**
 * The embedded key file was missing and a new key was just made: if the chain already holds seals,
 * they were made with the lost key, and every entry sealed from now on would contradict them.
 * Refused, and the new key removed, so the old one can be put back.
 */
export async function refuseNewKeyForSealedChain(pool: Pool, keyFile: string): Promise<void> {
  if (!(await hasSealedEntries(pool))) return;
  rmSync(keyFile, { force: true });
  throw new ConfigError(
    `the audit key file ${keyFile} was missing, but the audit chain is sealed with a key: put that key file back ` +
      '(a new key would make every later seal contradict the earlier ones)',
  );
}
