/**
 * Re-walks Butler's hash-chained audit log and prints the verdict; exits 1 at
 * the first broken link. Uses DATABASE_URL, or the embedded PostgreSQL of a
 * Butler running from this folder:
 *   npm run audit:verify
 */
import { createPool } from '../system/postgres';
import { verifyAuditChain } from '../db/audit.repo';
import { loadConfig } from '../runtime/config';
import { embeddedDatabaseUrl } from '../runtime/embedded-postgres';

async function main(): Promise<number> {
  const config = loadConfig();
  const pool = createPool(config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort));
  try {
    const verdict = await verifyAuditChain(pool);
    if (verdict.ok) {
      process.stdout.write(`audit log intact: ${verdict.checked} entries, last hash ${verdict.lastHash}\n`);
      return 0;
    }
    process.stdout.write(`audit log BROKEN at entry ${verdict.brokenAt} (${verdict.checked} entries before it verified): ${verdict.reason}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit:verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
