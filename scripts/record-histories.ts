/**
 * Records the committed replay fixtures (test/replay/histories/*.json): runs each
 * scenario on the time-skipping test server with the real activities and a
 * throw-away embedded PostgreSQL, then saves the history in the JSON format the
 * Temporal CLI and Web UI export. Histories already committed are kept (they are
 * what older code recorded, the point of replaying them); `--all` records every one
 * again, `--only name,…` just those:
 *   npx tsx scripts/record-histories.ts [--all | --only incident-p2-rca-report-published]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { currentSlaSnapshot } from '../db/sla.repo';
import { seedDefaults } from '../db/seed';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres';
import { temporalTestServerPath } from '../runtime/temporal-tools';
import { freePort } from '../test/support/free-port';
import { createTimeSkippingEnv } from '../test/support/time-skipping';
import { startTestVendors, type TestVendors } from '../test/support/vendors';
import { startTestWorker } from '../test/support/worker';
import { SCENARIOS } from '../test/replay/scenarios';

const OUT = path.join(__dirname, '..', 'test', 'replay', 'histories');

function wanted(scenario: { name: string }): boolean {
  const args = process.argv.slice(2);
  if (args.includes('--all')) return true;
  const only = args.indexOf('--only');
  if (only >= 0) return (args[only + 1] ?? '').split(',').includes(scenario.name);
  return !existsSync(path.join(OUT, `${scenario.name}.json`));
}

async function main(): Promise<void> {
  process.env.BUTLER_TEST_SERVER_PATH ??= temporalTestServerPath(process.env.TEMPORAL_TEST_SERVER_PATH);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-record-'));
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const pool = createPool(db.url);
  const env = await createTimeSkippingEnv();
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let vendors: TestVendors | undefined;
  try {
    await migrate(db.url);
    await seedDefaults(pool);
    // Line and change scenarios drive a real Kamailio (on this PostgreSQL) and the CTI emulator.
    process.env.BUTLER_TEST_DATABASE_URL = db.url;
    process.env.BUTLER_TEST_DATA_DIR = dataDir;
    vendors = await startTestVendors();
    worker = await startTestWorker({ connection: env.nativeConnection, pool, vendors });
    mkdirSync(OUT, { recursive: true });
    for (const scenario of SCENARIOS.filter(wanted)) {
      const handle = await scenario.run({
        client: env.client,
        taskQueue: worker.taskQueue,
        sleep: (d) => env.sleep(d),
        now: async () => new Date(await env.currentTimeMs()).toISOString(),
        sla: async (severity, complexity) => (await currentSlaSnapshot(pool, severity, complexity))!,
        pool,
      });
      const file = path.join(OUT, `${scenario.name}.json`);
      writeFileSync(file, historyToJSON(await handle.fetchHistory()) + '\n');
      process.stdout.write(`recorded ${path.relative(process.cwd(), file)}\n`);
    }
  } finally {
    await worker?.stop();
    await env.teardown();
    await vendors?.stop();
    await pool.end();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
