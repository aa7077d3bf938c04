/**
 * Checks Butler's audit chain without the API, as an auditor would: every link, every seal, and
 * the anchors, the ones stored and, above all, the auditor's own copies (`--anchor`, the JSON of
 * an anchor mail or the mail itself; repeatable). Exits 0 intact, 1 broken, 2 unable to check.
 *   npm run audit:verify [-- --anchor anchor-12.json ...] [--public-key audit-public.pem | --key-id 0c8094c5ba29f564]
 * The key the chain is checked with: --public-key, else the anchors' own (they came by mail,
 * outside the database; --key-id then insists on the key the auditors were given), else this
 * installation's BUTLER_AUDIT_SIGNING_KEY (never made here). The key id is printed: compare it.
 * The database: DATABASE_URL, or the embedded PostgreSQL of a Butler running from this folder.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createPool } from '../system/postgres';
import { verifyAuditChain } from '../db/audit.repo';
import { AuditAnchor, keyIdOf, publicKeyFromPem } from '../domain/audit/seal';
import { loadConfig } from '../runtime/config';
import { auditSignerFor } from '../runtime/audit-signer';
import { embeddedDatabaseUrl } from '../runtime/embedded-postgres';

class UsageError extends Error {
  override name = 'UsageError';
}

/** An anchor file: the anchor's JSON, or a mail (or any text) with it inside. */
export function readAnchorFile(file: string): AuditAnchor {
  const text = readFileSync(file, 'utf8');
  const json = text.trim().startsWith('{') ? text : text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new UsageError(`${file}: no anchor in it (expected the JSON of a Butler audit anchor)`);
  }
  const parsed = AuditAnchor.safeParse(value);
  if (!parsed.success)
    throw new UsageError(`${file}: not a Butler audit anchor: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function trustedKey(publicKeyFile: string | undefined, keyId: string | undefined, anchors: AuditAnchor[]): KeyObject {
  const key = chosenKey(publicKeyFile, anchors);
  if (keyId && keyIdOf(key) !== keyId) throw new UsageError(`the key to check with is ${keyIdOf(key)}, not ${keyId} as --key-id insists`);
  return key;
}

function chosenKey(publicKeyFile: string | undefined, anchors: AuditAnchor[]): KeyObject {
  if (publicKeyFile) return publicKeyFromPem(readFileSync(publicKeyFile, 'utf8'));
  const first = anchors[0];
  if (first) {
    const other = anchors.find((a) => a.keyId !== first.keyId);
    if (other) throw new UsageError(`the anchors given are signed by different keys (${first.keyId}, ${other.keyId}): name the one to trust with --public-key`);
    const key = publicKeyFromPem(first.publicKey);
    if (keyIdOf(key) !== first.keyId) throw new UsageError(`anchor ${first.no}'s public key is not the key ${first.keyId} it names`);
    return key;
  }
  return auditSignerFor(loadConfig(), { create: false }).publicKey;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { anchor: { type: 'string', multiple: true }, 'public-key': { type: 'string' }, 'key-id': { type: 'string' } },
    strict: true,
  });
  const given = (values.anchor ?? []).map(readAnchorFile);
  const key = trustedKey(values['public-key'], values['key-id'], given);
  const config = loadConfig();
  const pool = createPool(config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort), 2);
  try {
    // The auditor's copies beside the stored ones: a stored anchor deleted shows against a copy, a forged one against the key.
    const verdict = await verifyAuditChain(pool, key, given);
    const anchors = `${verdict.anchors.checked} anchors held${given.length ? ` (${given.length} of yours)` : ''}`;
    const sealed = verdict.sealedFrom === null ? 'no entry sealed' : `sealed from entry ${verdict.sealedFrom}`;
    if (verdict.ok) {
      process.stdout.write(
        `감사 로그 정상 · audit log intact: ${verdict.checked} entries, key ${verdict.keyId}, ${sealed}, ${anchors}; last hash ${verdict.lastHash}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `감사 로그 변조 · audit log BROKEN at entry ${verdict.brokenAt} (${verdict.cause}; ${verdict.checked} entries before it verified; key ${verdict.keyId}): ${verdict.reason}\n`,
    );
    return 1;
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`audit:verify: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
