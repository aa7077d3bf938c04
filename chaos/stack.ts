import { auditKeyEnv } from '../runtime/audit-signer';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { startSippAnsweringPoint, type SippAnsweringPoint } from '../adapters/pbx/sipp-answering-point';
import { migrate } from '../db/migrate';
import { createPool } from '../system/postgres';
import { seedDefaults, seedDemoDevices } from '../db/seed';
import { startCtiEmulator, type CtiEmulator } from '../emulators/cti/emulator';
import { startTelemetrySimulator, type TelemetrySimulator } from '../emulators/telemetry/simulator';
import { startEmbeddedKamailio, type EmbeddedKamailio, type EmbeddedKamailioOptions } from '../runtime/embedded-kamailio';
import { butlerDatabaseEnv, startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../runtime/embedded-temporal';
import { startTemporalCluster, type ClusterService, type TemporalCluster, type TemporalTopology } from '../runtime/temporal-cluster';
import { killGroupNow, stopGroup } from '../system/child-process';
import { spawnButler, waitForLog, waitReady, WORKER_READY } from '../runtime/butler-process';
import { freePort, freeUdpPair } from '../system/ports';
import { startSmtpReceiver, startWebhookReceiver } from './receivers';

/**
 * Everything the chaos suite runs against, each part restartable on its own:
 * PostgreSQL, the Temporal dev server (file-backed), Kamailio + the SIPp answering
 * point, the CTI emulator, the telemetry simulator, the SMTP and webhook receivers
 * (all in or beside this process), and Butler's worker and API as two separate
 * processes (`runtime/worker-main.ts`, `runtime/api-main.ts`) pointed at them.
 */

/** The workers' sticky queue timeout: how long a SIGKILLed worker's cached workflows wait before the other worker may take them. */
export const STICKY_TIMEOUT_MS = 5_000;

export const TOKENS = {
  admin: 'chaos-admin-token',
  spm: 'chaos-spm-token',
  engineer: 'chaos-engineer-token',
  auditor: 'chaos-auditor-token',
} as const;
export type ChaosRole = keyof typeof TOKENS;

const CTI_CLIENT = { clientId: 'butler-chaos', clientSecret: 'butler-chaos-secret' };
const TEST_NUMBER = '0999';
const CALLER_DN = '0990';

export interface ChaosStack {
  dataDir: string;
  logFile: string;
  apiUrl: string;
  pool: Pool;
  client: Client;
  taskQueue: string;
  cti: CtiEmulator;
  ctiCredentials: { clientId: string; clientSecret: string };
  kamailioDatabaseUrl: string;
  /** DNs and ids the embedded test line owns in Kamailio (not any line's). */
  testLine: { callerDn: string; ruleId: string; trunkId: string };
  smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  /** Worker or API exits nobody asked for (each was restarted); taken, so each is reported once. */
  takeCrashes(): ProcessCrash[];
  topology: ChaosTopology;
  /** How many worker processes poll the task queue (the cluster runs two). */
  workers: number;
  /** SIGKILLs worker `index` (0-based), or the only one. */
  killWorker(index?: number): Promise<void>;
  startWorker(index?: number): Promise<void>;
  killApi(): Promise<void>;
  startApi(): Promise<void>;
  /** The dev server: stopped and started again on its store. */
  restartTemporal(downMs: number): Promise<void>;
  /** The cluster: SIGKILL to one of its services, started again after `downMs`. */
  killTemporalService(service: ClusterService, downMs: number): Promise<void>;
  restartPostgres(downMs: number): Promise<void>;
  restartKamailio(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** `dev-server`: the Temporal dev server and one worker; `cluster`: the real server's four services on PostgreSQL, and two workers. */
export type ChaosTopology = TemporalTopology;

export interface ProcessCrash {
  process: 'worker' | 'api' | `temporal ${ClusterService}`;
  pid: number | undefined;
  exit: string;
  atMs: number;
  /** Why the restart after it failed, if it did. */
  restartError?: string;
}

export async function startChaosStack(opts: { log?: (line: string) => void; topology?: ChaosTopology } = {}): Promise<ChaosStack> {
  const topology = opts.topology ?? 'dev-server';
  const say = opts.log ?? (() => undefined);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-chaos-'));
  const logFile = `${dataDir}.log`;
  const log = createWriteStream(logFile);
  const stops: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    await new Promise((r) => log.end(r));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [pgPort, temporalPort, ctiPort, apiPort, sipPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freeUdpPair()]);
    const pgLog = (line: string) => log.write(`[postgres] ${line}\n`);
    let pg: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port: pgPort, onLog: pgLog });
    stops.push(() => pg.stop());
    const temporalOpts = { dataDir, port: temporalPort, headless: true, onLog: (l: string) => log.write(`[temporal] ${l}\n`) };
    let temporal: EmbeddedTemporal | undefined;
    const clusterCrashes: ProcessCrash[] = [];
    let cluster: TemporalCluster | undefined;
    if (topology === 'cluster') {
      cluster = await startTemporalCluster({
        dataDir,
        postgresUrl: pg.url,
        shards: 4,
        onLog: (l) => log.write(`${l}\n`),
        // A service of the cluster that dies by itself is a finding, like a worker that does: recorded, restarted.
        onUnexpectedExit: (service, exit) => {
          if (stopping) return;
          const crash: ProcessCrash = { process: `temporal ${service}`, pid: undefined, exit, atMs: Date.now() };
          clusterCrashes.push(crash);
          log.write(`[chaos] the Temporal ${service} service exited by itself (${exit}): restarting it\n`);
          cluster?.restart(service).catch((err: unknown) => (crash.restartError = (err as Error).message));
        },
      });
      stops.push(() => cluster!.stop());
    } else {
      temporal = await startEmbeddedTemporal(temporalOpts);
      stops.push(() => temporal!.stop());
    }
    const temporalAddress = (cluster ?? temporal)!.address;
    say(
      `PostgreSQL on ${pgPort}, ${cluster ? `a Temporal cluster (${cluster.tools.version}, four services)` : 'the Temporal dev server'} on ${temporalAddress}`,
    );

    await migrate(pg.url);
    const pool = createPool(pg.url);
    // A restart of PostgreSQL breaks idle connections: the pool must not crash the harness for it.
    pool.on('error', () => undefined);
    stops.push(() => pool.end());
    await seedDefaults(pool);
    await seedDemoDevices(pool);

    const answering: SippAnsweringPoint = await startSippAnsweringPoint({ port: sipPort + 2 });
    stops.push(() => answering.stop());
    const kamailioOpts: EmbeddedKamailioOptions = {
      dataDir,
      databaseUrl: pg.url,
      sipPort,
      rpcPort: sipPort + 1,
      testLine: { number: TEST_NUMBER, answeringPoint: answering.address, callerDn: CALLER_DN },
      onLog: (l) => log.write(`[kamailio] ${l}\n`),
      onExit: (m) => log.write(`[kamailio] ${m}\n`),
    };
    let kamailio: EmbeddedKamailio = await startEmbeddedKamailio(kamailioOpts);
    stops.push(() => kamailio.stop());

    const cti = await startCtiEmulator({ port: ctiPort, clients: [CTI_CLIENT] });
    stops.push(() => cti.stop());
    const telemetry: TelemetrySimulator = await startTelemetrySimulator({ host: '127.0.0.1', port: 0 });
    stops.push(() => telemetry.stop());
    const smtp = await startSmtpReceiver();
    stops.push(() => smtp.close());
    const webhooks = await startWebhookReceiver();
    stops.push(() => webhooks.close());
    say(`Kamailio SIP ${kamailio.sipAddress}, CTI emulator ${cti.url}, telemetry ${telemetry.url}`);

    const taskQueue = 'butler-chaos';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BUTLER_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_STICKY_TIMEOUT_SECONDS: String(STICKY_TIMEOUT_MS / 1000),
      ...(await butlerDatabaseEnv(pg)),
      ...auditKeyEnv(dataDir),
      PBX_RPC_URL: kamailio.rpcUrl,
      PBX_DATABASE_URL: kamailio.databaseUrl,
      PBX_SIP_ADDRESS: kamailio.sipAddress,
      PBX_DOMAIN: kamailio.domain,
      ACCEPTANCE_TEST_NUMBER: TEST_NUMBER,
      ACCEPTANCE_CALLER_DN: CALLER_DN,
      CTI_BASE_URL: cti.url,
      CTI_CLIENT_ID: CTI_CLIENT.clientId,
      CTI_CLIENT_SECRET: CTI_CLIENT.clientSecret,
      TELEMETRY_URL: telemetry.url,
      BUTLER_TOKENS: Object.entries(TOKENS)
        .map(([role, token]) => `${role}:${token}:chaos-${role}`)
        .join(','),
      SMTP_URL: smtp.url,
      NOTIFY_WEBHOOK_URL: `${webhooks.baseUrl}/butler`,
      // The receiver is on this machine, over http: allowed by name, as an operator would allow it.
      NOTIFY_ALLOW_HTTP: 'true',
      NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      SCHEDULES_ENABLED: 'false',
      ARCHIVE_INTERVAL_SECONDS: '15',
      PORT: String(apiPort),
    };

    const output = (name: string) => toLog(log, name);
    const workers: Array<ChildProcess | undefined> = topology === 'cluster' ? [undefined, undefined] : [undefined];
    let api: ChildProcess | undefined;
    // A process that dies on its own (not killed by a fault, not stopped at the end) is a finding:
    // it is recorded and restarted, so the run goes on and the round's checks still mean something.
    const crashes: ProcessCrash[] = [];
    const ending = new WeakSet<ChildProcess>();
    const supervise = (child: ChildProcess, name: ProcessCrash['process'], restart: () => Promise<void>) =>
      child.once('exit', (code, signal) => {
        if (ending.has(child) || stopping) return;
        const crash: ProcessCrash = { process: name, pid: child.pid, exit: String(code ?? signal), atMs: Date.now() };
        crashes.push(crash);
        log.write(`[chaos] the ${name} (pid ${child.pid}) exited by itself (${crash.exit}): restarting it\n`);
        restart().catch((err: unknown) => (crash.restartError = (err as Error).message));
      });
    const endOf = async (child: ChildProcess | undefined, how: (c: ChildProcess) => Promise<void>) => {
      if (!child) return;
      ending.add(child);
      await how(child);
    };
    const startWorker = async (index = 0) => {
      // Schedules stay off (env); the archiver runs in the first worker only, as `npm run cluster` has it.
      const worker = spawnButler(
        'worker-main.ts',
        index === 0 ? env : { ...env, ARCHIVE_INTERVAL_SECONDS: '0' },
        output(`worker${index ? ` ${index + 1}` : ''}`),
      );
      workers[index] = worker;
      supervise(worker, 'worker', () => startWorker(index));
      await waitForLog(worker, 'worker', WORKER_READY, 120_000);
    };
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const startApi = async () => {
      api = spawnButler('api-main.ts', env, output('api'));
      supervise(api, 'api', startApi);
      await waitReady(`${apiUrl}/readyz`, 60_000, api);
    };
    stops.push(() => Promise.all(workers.map((w) => endOf(w, (c) => stopGroup(c, 15_000)))));
    stops.push(() => endOf(api, (c) => stopGroup(c, 15_000)));
    // One after the other: started together, one of them fails with node-pg-migrate's
    // "Another migration is already running" (each applies migrations on start-up).
    for (const index of workers.keys()) await startWorker(index);
    await startApi();
    say(`worker pid ${workers.map((w) => w!.pid).join(' and ')}, API ${apiUrl} (pid ${api!.pid}); log ${logFile}`);

    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    const client = new Client({ connection });

    return {
      dataDir,
      logFile,
      apiUrl,
      pool,
      client,
      taskQueue,
      cti,
      ctiCredentials: CTI_CLIENT,
      kamailioDatabaseUrl: kamailio.databaseUrl,
      testLine: { callerDn: CALLER_DN, ruleId: 'test-line', trunkId: 'test-answering-point' },
      smtp,
      webhooks,
      takeCrashes: () => [...crashes.splice(0), ...clusterCrashes.splice(0)],
      topology,
      workers: workers.length,
      killWorker: (index = 0) => endOf(workers[index], killGroupNow),
      startWorker,
      killApi: () => endOf(api, killGroupNow),
      startApi,
      restartTemporal: async (downMs) => {
        if (!temporal) throw new Error('the cluster is not restarted whole: kill one of its services');
        await temporal.stop();
        await sleep(downMs);
        temporal = await startEmbeddedTemporal(temporalOpts);
      },
      killTemporalService: async (service, downMs) => {
        if (!cluster) throw new Error('the dev server is one process: restart it');
        await cluster.kill(service);
        await sleep(downMs);
        await cluster.restart(service);
      },
      restartPostgres: async (downMs) => {
        await pg.stop();
        await sleep(downMs);
        pg = await startEmbeddedPostgres({ dataDir, port: pgPort, onLog: pgLog });
      },
      restartKamailio: async (downMs) => {
        await kamailio.stop();
        await sleep(downMs);
        kamailio = await startEmbeddedKamailio(kamailioOpts);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child's output into the log, each line marked with whose it is. */
const toLog = (log: WriteStream, name: string) => (child: ChildProcess, text: string) =>
  log.write(
    text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `[${name} ${child.pid}] ${l}\n`)
      .join(''),
  );
