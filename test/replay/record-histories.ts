/**
 * Records replay fixtures (test/replay/histories/*.json): runs each scenario on the
 * time-skipping test server with the real activities and a throw-away embedded
 * PostgreSQL, saves the history in the JSON format the Temporal CLI and Web UI
 * export, and adds it to SHA256SUMS. A committed fixture is never overwritten: it is
 * what older code recorded, the point of replaying it. Without arguments it records
 * the scenarios that have no fixture yet; after a workflow change, `--as <label>`
 * records new fixtures beside the old ones (`<scenario>@<label>.json`):
 *   npx tsx test/replay/record-histories.ts [--as projection-activity] [--only incident-p2-cancelled,…]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { migrate } from '../../db/migrate';
import { createPool } from '../../system/postgres';
import { currentSlaSnapshot } from '../../db/sla.repo';
import { seedDefaults } from '../../db/seed';
import { startEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { temporalTestServerPath } from '../../system/temporal-tools';
import { freePort } from '../../system/ports';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { startTestVendors, type TestVendors } from '../support/vendors';
import { startTestWorker } from '../../runtime/embedded-worker';
import { addToManifest, FIXTURE_DIR } from './fixtures';
import { SCENARIOS } from './scenarios';

const OUT = FIXTURE_DIR;
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? '') : undefined);
const label = option('--as');
const only = option('--only')?.split(',');

function fileFor(scenario: { name: string }): string {
  return label ? `${scenario.name}@${label}.json` : `${scenario.name}.json`;
}

function wanted(scenario: { name: string }): boolean {
  if (only && !only.includes(scenario.name)) return false;
  const exists = existsSync(path.join(OUT, fileFor(scenario)));
  if (exists && (label || only)) throw new Error(`${fileFor(scenario)} exists: committed fixtures are never re-recorded; choose another --as label`);
  return !exists;
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
    if (label !== undefined && !/^[a-z0-9-]+$/.test(label)) throw new Error('--as takes a label of a-z, 0-9 and -');
    for (const scenario of SCENARIOS.filter(wanted)) {
      const handle = await scenario.run({
        client: env.client,
        taskQueue: worker.taskQueue,
        sleep: (d) => env.sleep(d),
        now: async () => new Date(await env.currentTimeMs()).toISOString(),
        sla: async (severity, complexity) => (await currentSlaSnapshot(pool, severity, complexity))!,
        pool,
        ctiFaults: vendors.emulator.faults,
      });
      const file = path.join(OUT, fileFor(scenario));
      writeFileSync(file, historyToJSON(await handle.fetchHistory()) + '\n');
      addToManifest([fileFor(scenario)]);
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
