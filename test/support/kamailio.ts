import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createKamailioPbx, type KamailioPbx } from '../../adapters/pbx/kamailio-pbx';
import { startEmbeddedKamailio, type EmbeddedKamailio } from '../../runtime/embedded-kamailio';
import type { TestLine } from '../../adapters/pbx/kamailio/test-line';
import { freePort } from '../../system/ports';

export interface TestKamailio {
  kamailio: EmbeddedKamailio;
  /** The adapter, pointed at this Kamailio. */
  pbx: KamailioPbx;
  /** Everything Kamailio logged, for a failing test's message. */
  log: string[];
  stop(): Promise<void>;
}

/**
 * A real Kamailio for one test file, on free ports, with its own database
 * (and role) on the run's embedded PostgreSQL; stop() removes all of it.
 */
export async function startTestKamailio(opts: { testLine?: TestLine; reloadDeltaSeconds?: number } = {}): Promise<TestKamailio> {
  const adminUrl = process.env.BUTLER_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('BUTLER_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  const dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'kamailio-'));
  const database = `k_${randomBytes(6).toString('hex')}`;
  const log: string[] = [];
  const kamailio = await startEmbeddedKamailio({
    dataDir,
    databaseUrl: adminUrl,
    database,
    sipPort: await freePort(),
    rpcPort: await freePort(),
    testLine: opts.testLine,
    reloadDeltaSeconds: opts.reloadDeltaSeconds,
    onLog: (line) => log.push(line),
  });
  const pbx = createKamailioPbx({ databaseUrl: kamailio.databaseUrl, rpcUrl: kamailio.rpcUrl, domain: kamailio.domain });
  return {
    kamailio,
    pbx,
    log,
    stop: async () => {
      await pbx.close();
      await kamailio.stop();
      await dropDatabaseAndRole(adminUrl, database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes what startEmbeddedKamailio created on the server: the database and its role. */
export async function dropDatabaseAndRole(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const name = admin.escapeIdentifier(database);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${name}`);
  } finally {
    await admin.end();
  }
}
