import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createKamailioPbx, type KamailioPbx } from '../../adapters/pbx/kamailio-pbx';
import { acceptancePlan } from '../../adapters/pbx/line-routing';
import { findLine } from '../../db/lines.repo';
import { seedDefaults } from '../../db/seed';
import type { PbxSimulator } from '../../emulators/pbx/simulator';
import { startEmbeddedPbxSimulator } from '../../runtime/embedded-pbx-simulator';
import { CALLER_DN, noVendors, startTestWorker, TEST_NUMBER, type TestWorker } from '../../runtime/embedded-worker';
import { freePort } from '../../system/ports';
import { freshDatabase } from '../support/db';
import { dropDatabaseAndRole } from '../support/kamailio';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { activeLine, historyTypes, type LineHarness } from './line-harness';

/**
 * A line accepted by the PBX SIMULATOR says so in its record: `acceptance.source`
 * is "simulated" (the real Kamailio's SIPp acceptance gives "vendor",
 * line-provisioning.test.ts), in the workflow's result, its history entry and
 * the read model the API serves.
 */

const adminUrl = () => process.env.BUTLER_TEST_DATABASE_URL!;
const database = `pbxsim_${randomBytes(4).toString('hex')}`;
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let simulator: PbxSimulator;
let pbx: KamailioPbx;
let worker: TestWorker;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'acceptance-source-'));
  [env, db, simulator] = await Promise.all([
    createTimeSkippingEnv(),
    freshDatabase(),
    freePort().then((rpcPort) =>
      startEmbeddedPbxSimulator({
        databaseUrl: adminUrl(),
        database,
        dataDir,
        rpcPort,
        testLine: { number: TEST_NUMBER, callerDn: CALLER_DN },
        log: () => undefined,
      }),
    ),
  ]);
  await seedDefaults(db.pool);
  pbx = createKamailioPbx({ databaseUrl: simulator.databaseUrl, rpcUrl: simulator.rpcUrl, domain: simulator.domain });
  // An extension line touches only the PBX: the CTI and telemetry are never called.
  const vendors = {
    ...noVendors(),
    pbx,
    acceptance: simulator.acceptance,
    acceptancePlan: acceptancePlan({ domain: simulator.domain, testNumber: TEST_NUMBER, callerDn: CALLER_DN }),
    simulated: { pbx: true, cti: true, telemetry: true },
  };
  worker = await startTestWorker({ connection: env.nativeConnection, pool: db.pool, vendors });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await pbx?.close();
  await simulator?.stop();
  await dropDatabaseAndRole(adminUrl(), database);
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('accepted by the PBX simulator: ACTIVE, and the acceptance record says source "simulated" wherever it is read', async () => {
  const h = { env, db, worker } as unknown as LineHarness;
  const line = await activeLine(h);
  expect(line.status).toBe('ACTIVE');
  expect(line.acceptance).toMatchObject({ calledNumber: TEST_NUMBER, source: 'simulated', register: expect.stringContaining('no SIP was sent') });
  const accepted = line.history.find((e) => e.type === 'accepted');
  expect(accepted?.details).toMatchObject({ source: 'simulated' });
  expect(historyTypes(line)).toContain('accepted');
  // The read model (what GET /api/v1/lines/:id answers) carries it too.
  expect((await findLine(db.pool, line.id))?.acceptance).toMatchObject({ source: 'simulated' });
});
