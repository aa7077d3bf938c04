import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sealHolds } from '../../domain/audit/seal';
import { auditSignerFor } from '../../runtime/audit-signer';
import { ConfigError, loadConfig } from '../../runtime/config';
import { newAuditKeyPem } from '../../system/audit-key';

/** BUTLER_AUDIT_SIGNING_KEY: made for the embedded default, required anywhere else, and only an Ed25519 key. */

const external = { DATABASE_URL: 'postgres://butler_app:x@db.internal:5432/butler', TEMPORAL_ADDRESS: 'temporal.internal:7233' };

test('the embedded default makes its key on first start, readable by its owner only, and keeps it', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'butler-key-'));
  const config = loadConfig({}, cwd);
  expect(config.auditSigningKey).toBe(path.join(cwd, '.data', 'audit-signing-key.pem'));
  const first = auditSignerFor(config);
  expect(statSync(config.auditSigningKey!).mode & 0o777).toBe(0o600);
  const again = auditSignerFor(config);
  expect(again.keyId).toBe(first.keyId);
  expect(sealHolds(first.publicKey, 'a'.repeat(64), again.seal('a'.repeat(64)))).toBe(true);
});

test('outside the embedded default Butler will not invent a key: start-up is refused, naming the setting and how to make one', () => {
  const config = loadConfig(external, '/nowhere');
  expect(config.auditSigningKey).toBeUndefined();
  expect(() => auditSignerFor(config)).toThrow(ConfigError);
  expect(() => auditSignerFor(config)).toThrow(/BUTLER_AUDIT_SIGNING_KEY is not set.*openssl genpkey -algorithm ed25519/);
});

test('the key as PEM or as a file path; a missing file, a non-key or another algorithm is refused by name', () => {
  const pem = newAuditKeyPem();
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-key-'));
  const file = path.join(dir, 'audit.pem');
  writeFileSync(file, pem);
  const inline = auditSignerFor(loadConfig({ ...external, BUTLER_AUDIT_SIGNING_KEY: pem }));
  expect(auditSignerFor(loadConfig({ ...external, BUTLER_AUDIT_SIGNING_KEY: file })).keyId).toBe(inline.keyId);
  // Nothing is created outside the embedded default: a wrong path stays wrong.
  expect(() => auditSignerFor(loadConfig({ ...external, BUTLER_AUDIT_SIGNING_KEY: path.join(dir, 'missing.pem') }))).toThrow(/cannot read the key file/);
  expect(() => auditSignerFor(loadConfig({ ...external, BUTLER_AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }))).toThrow(
    /not a private key in PEM/,
  );
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  expect(() => auditSignerFor(loadConfig({ ...external, BUTLER_AUDIT_SIGNING_KEY: rsa }))).toThrow(/must be an Ed25519 key, not rsa/);
  expect(readFileSync(file, 'utf8')).toBe(pem);
});
