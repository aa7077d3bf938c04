import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase } from '../support/db';
import { freePort } from '../../system/ports';
import { eventually } from '../support/eventually';

/**
 * The production worker (`npm run worker`) serves the Temporal SDK's own metrics at
 * BUTLER_WORKER_METRICS_ADDRESS, for Prometheus's butler-worker job (and the
 * ButlerWorkerNotPolling alert): its pollers, slots and request latencies.
 */

let child: ChildProcess | undefined;
let dataDir: string;
let drop: (() => Promise<void>) | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve());
      child!.kill('SIGTERM');
    });
  }
  await drop?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a worker started with BUTLER_WORKER_METRICS_ADDRESS serves temporal_* metrics while it polls', async () => {
  const db = await freshDatabase();
  drop = () => db.drop();
  dataDir = mkdtempSync(path.join(tmpdir(), 'butler-worker-metrics-'));
  const address = `127.0.0.1:${await freePort()}`;
  // The stand-ins it starts listen on ports of their own, not the defaults another stack may hold.
  const ports = Object.fromEntries(
    await Promise.all(
      ['EMBEDDED_PBX_SIP_PORT', 'EMBEDDED_PBX_RPC_PORT', 'EMBEDDED_PBX_ANSWERING_PORT', 'CTI_EMULATOR_PORT', 'TELEMETRY_SIMULATOR_PORT'].map(async (name) => [
        name,
        String(await freePort()),
      ]),
    ),
  );
  const output: string[] = [];
  child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../runtime/worker-main.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.BUTLER_TEST_TEMPORAL_ADDRESS,
      DATABASE_URL: db.url,
      DATABASE_OWNER_URL: db.ownerUrl,
      TEMPORAL_TASK_QUEUE: `metrics-${Date.now()}`,
      BUTLER_DATA_DIR: dataDir,
      BUTLER_SIMULATORS: 'pbx,cti,telemetry',
      ...ports,
      BUTLER_WORKER_METRICS_ADDRESS: address,
      SCHEDULES_ENABLED: 'false',
      ARCHIVE_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const s of [child.stdout!, child.stderr!]) s.on('data', (b: Buffer) => output.push(b.toString()));
  const text = await eventually(
    () =>
      fetch(`http://${address}/metrics`)
        .then((r) => r.text())
        .catch(() => ''),
    (t) => /^temporal_num_pollers\{.*poller_type="workflow_task".*\} [1-9]/m.test(t),
    60_000,
  );
  expect({ pollers: /^temporal_num_pollers\{.*poller_type="workflow_task".*\} [1-9]/m.test(text), output: output.join('').slice(-2000) }).toMatchObject({
    pollers: true,
  });
  for (const name of ['temporal_worker_task_slots_available', 'temporal_request_latency']) expect(text).toContain(`# TYPE ${name} `);
}, 90_000);
