import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { startEmbeddedTemporal } from '../../runtime/embedded-temporal';
import { temporalTestServerPath } from '../../system/temporal-tools';
import { freePort } from '../../system/ports';
import { newAuditKeyPem } from '../../system/audit-key';
import { QUIET_BUNDLER_LOGGER, writeWorkflowBundle } from '../../runtime/workflow-bundle';

/**
 * One real PostgreSQL and one real Temporal dev server for the whole run;
 * each test file takes its own database (see db.ts) and task queue.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-test-'));
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const bundleFile = path.join(dataDir, 'workflow-bundle.js');
  const [db, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedTemporal({ dataDir, port: temporalPort, headless: true }),
    // Once for the run: every file's workers read it instead of bundling again (about 5 s each, over 60 files).
    writeWorkflowBundle(bundleFile, QUIET_BUNDLER_LOGGER),
  ]);
  process.env.BUTLER_TEST_WORKFLOW_BUNDLE = bundleFile;
  // Resolve (and install if missing) before tests run, so no test pays for it under its timeout.
  process.env.BUTLER_TEST_SERVER_PATH = temporalTestServerPath(process.env.TEMPORAL_TEST_SERVER_PATH);
  process.env.BUTLER_TEST_DATABASE_URL = db.url;
  process.env.BUTLER_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.BUTLER_TEST_DATA_DIR = dataDir;
  // One audit key for the run: every test process, and the worker and API processes they start, seal with it (testAuditSigner).
  process.env.BUTLER_AUDIT_SIGNING_KEY ||= newAuditKeyPem();
  (globalThis as Record<string, unknown>).__butlerServices = { db, temporal, dataDir };
}
