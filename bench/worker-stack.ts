import { auditKeyEnv } from '../runtime/audit-signer';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { butlerDatabaseEnv, startEmbeddedPostgres } from '../runtime/embedded-postgres';
import { startEmbeddedTemporal } from '../runtime/embedded-temporal';
import { freePort, freeUdpPair } from '../system/ports';
import { onStop } from './line-provisioning/cleanup';
import { pidFromFile } from './line-provisioning/kamailio';
import { killGroup } from '../system/child-process';
import { forgetGroups, trackGroup } from './line-provisioning/process-groups';
import { startProcess, stopProcess } from './line-provisioning/processes';

export interface WorkerStack {
  dataDir: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** The environment the worker runs with; another Butler process (the API) takes the same. */
  env: NodeJS.ProcessEnv;
  log: WriteStream;
  logFile: string;
  warnings: string[];
  /** What the worker said it runs as the PBX. */
  pbx: string;
  workerPid: number;
  /** Kamailio's pid while it runs (read from its pid file); undefined with the PBX simulator or once it is gone. */
  kamailioPid(): number | undefined;
}

/**
 * What every benchmark runs on: PostgreSQL, Temporal and the worker (which
 * brings up the CTI emulator, the telemetry simulator and Kamailio + the SIPp
 * answering point, or the PBX simulator), on free ports and a temporary data
 * folder. Each part registers its stop with onStop() as soon as it runs.
 */
export async function startWorkerStack(opts: {
  name: string;
  workerLogLevel: string;
  /** How the benchmark names a real Kamailio in its figures. */
  realPbxNote: string;
  env?: NodeJS.ProcessEnv;
}): Promise<WorkerStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `butler-bench-${opts.name}-`));
  const logFile = `${dataDir}.log`;
  onStop('data folder', async () => rmSync(dataDir, { recursive: true, force: true }));
  const [pgPort, temporalPort, rpcPort, ctiPort, telemetryPort, sipPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freeUdpPair(),
  ]);
  const { databaseEnv, temporalAddress } = await startServers(dataDir, pgPort, temporalPort);

  const log = createWriteStream(logFile);
  onStop('log file', () => new Promise((r) => log.end(r)));
  const warnings: string[] = [];
  const taskQueue = `bench-${opts.name}-${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BUTLER_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...databaseEnv,
    EMBEDDED_PBX_SIP_PORT: String(sipPort),
    EMBEDDED_PBX_RPC_PORT: String(rpcPort),
    EMBEDDED_PBX_ANSWERING_PORT: String(sipPort + 2),
    CTI_EMULATOR_PORT: String(ctiPort),
    TELEMETRY_SIMULATOR_PORT: String(telemetryPort),
    // External PostgreSQL and Temporal: the vendors are named explicitly, the embedded Kamailio and the two stand-ins.
    PBX_MODE: 'embedded',
    BUTLER_SIMULATORS: 'cti,telemetry',
    ...opts.env,
  };

  const kamailioPid = () => pidFromFile(path.join(dataDir, 'kamailio', 'kamailio.pid'), 'kamailio');
  let pbx = 'unknown (the worker did not say)';
  const worker = startProcess('worker', 'worker-main.ts', { ...env, LOG_LEVEL: opts.workerLogLevel }, log, warnings, (msg) => {
    if (msg.startsWith('PBX: ')) pbx = `${msg.slice(5)} — ${opts.realPbxNote}`;
    if (msg.includes('PBX SIMULATOR')) pbx = msg;
    return msg.startsWith('worker polling task queue');
  });
  onStop('worker', async () => {
    // The worker stops Kamailio itself; if it had to be killed, Kamailio (its own process group) is killed here.
    await stopProcess(worker.child, 30_000);
    const kamailio = kamailioPid();
    if (kamailio) killGroup(kamailio, 'SIGKILL');
    forgetGroups();
  });
  await worker.ready;
  const kamailio = kamailioPid();
  if (kamailio) trackGroup(kamailio);
  return {
    dataDir,
    databaseUrl: databaseEnv.DATABASE_URL,
    temporalAddress,
    taskQueue,
    env,
    log,
    logFile,
    warnings,
    pbx,
    workerPid: worker.child.pid!,
    kamailioPid,
  };
}

/** PostgreSQL and Temporal side by side; whichever started is stopped again even if the other failed. */
async function startServers(dataDir: string, pgPort: number, temporalPort: number): Promise<{ databaseEnv: Record<string, string>; temporalAddress: string }> {
  const [db, temporal] = await Promise.allSettled([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedTemporal({ dataDir, port: temporalPort, headless: true }),
  ]);
  if (db.status === 'fulfilled') onStop('PostgreSQL', () => db.value.stop());
  if (temporal.status === 'fulfilled') onStop('Temporal', () => temporal.value.stop());
  if (db.status === 'rejected') throw db.reason;
  if (temporal.status === 'rejected') throw temporal.reason;
  return { databaseEnv: { ...(await butlerDatabaseEnv(db.value)), ...auditKeyEnv(dataDir) }, temporalAddress: temporal.value.address };
}
