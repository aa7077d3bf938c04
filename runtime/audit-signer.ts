import path from 'node:path';
import { createAuditSigner, type AuditSigner } from '../domain/audit/seal';
import { ensureAuditKeyFile, readAuditKey } from '../system/audit-key';
import { ConfigError, EMBEDDED_AUDIT_KEY_FILE, type Config } from './config';

/**
 * The audit signer of a process that appends to the audit chain or checks it (the API, the
 * worker, the CLIs). The embedded default makes its key on first start, in its data folder;
 * anywhere else the key is the operator's to make and keep: Butler will not invent one, since
 * a key nobody kept cannot be checked against later.
 */
export function auditSignerFor(config: Pick<Config, 'auditSigningKey' | 'embedded' | 'dataDir'>): AuditSigner {
  const setting = config.auditSigningKey;
  if (!setting) {
    throw new ConfigError(
      'invalid configuration: BUTLER_AUDIT_SIGNING_KEY is not set. Outside the embedded default the audit chain is sealed with ' +
        'your key: make one with `openssl genpkey -algorithm ed25519 -out audit-signing-key.pem`, keep it out of the database ' +
        "and its backups, and set BUTLER_AUDIT_SIGNING_KEY to the file's path (or to the PEM itself)",
    );
  }
  const embeddedFile = config.embedded && setting === path.join(config.dataDir, EMBEDDED_AUDIT_KEY_FILE);
  return createAuditSigner(readAuditKey(embeddedFile ? ensureAuditKeyFile(setting) : setting));
}

/**
 * The audit key for Butler processes a tool starts on a database of its own (the benchmarks, the
 * chaos suite): the key already in the environment, else a file made in the tool's data folder.
 */
export function auditKeyEnv(dataDir: string): { BUTLER_AUDIT_SIGNING_KEY: string } {
  return { BUTLER_AUDIT_SIGNING_KEY: process.env.BUTLER_AUDIT_SIGNING_KEY || ensureAuditKeyFile(path.join(dataDir, EMBEDDED_AUDIT_KEY_FILE)) };
}
