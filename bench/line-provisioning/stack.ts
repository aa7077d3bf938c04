import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../runtime/embedded-postgres';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../../runtime/embedded-temporal';
import { freePort } from '../../test/support/free-port';
import type { Api } from './api-client';
import { onStop } from './cleanup';
import { pidFromFile } from './kamailio';
import { forgetGroups, killGroup, trackGroup } from './process-groups';
import { startProcess, stopProcess } from './processes';
import { freeUdpPair } from './udp-ports';
import { waitReady } from './wait';

const TOKEN = 'bench-spm-token';

export interface Stack extends Api {
  temporalAddress: string;
  pbx: string;
  /** Kamailio's pid while it runs (read from its pid file); undefined with the PBX simulator or once it is gone. */
  kamailioPid(): number | undefined;
  workerPid: number;
  apiPid: number;
  logFile: string;
  warnings: string[];
}

/**
 * PostgreSQL, Temporal, the worker (which brings up the CTI emulator and
 * Kamailio + the SIPp answering point, or the PBX simulator) and the API, on
 * free ports and a temporary data folder. Each part registers its stop with
 * onStop() as soon as it runs.
 */
export async function startStack(opts: { workerLogLevel: string }): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-lines-'));
  const logFile = `${dataDir}.log`;
  onStop('data folder', async () => rmSync(dataDir, { recursive: true, force: true }));
  const [pgPort, temporalPort, apiPort, rpcPort, ctiPort, sipPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freeUdpPair(),
  ]);
  const { databaseUrl, temporalAddress } = await startServers(dataDir, pgPort, temporalPort);

  const log = createWriteStream(logFile);
  onStop('log file', () => new Promise((r) => log.end(r)));
  const warnings: string[] = [];
  const env = {
    ...process.env,
    BUTLER_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-lines-${process.pid}`,
    DATABASE_URL: databaseUrl,
    EMBEDDED_PBX_SIP_PORT: String(sipPort),
    EMBEDDED_PBX_RPC_PORT: String(rpcPort),
    EMBEDDED_PBX_ANSWERING_PORT: String(sipPort + 2),
    CTI_EMULATOR_PORT: String(ctiPort),
  };

  const kamailioPid = () => pidFromFile(path.join(dataDir, 'kamailio', 'kamailio.pid'), 'kamailio');
  let pbx = 'unknown (the worker did not say)';
  const worker = startProcess('worker', 'worker-main.ts', { ...env, LOG_LEVEL: opts.workerLogLevel }, log, warnings, (msg) => {
    if (msg.startsWith('PBX: ')) pbx = `${msg.slice(5)} — real Kamailio, SIPp acceptance`;
    if (msg.includes('PBX SIMULATOR')) pbx = 'the PBX SIMULATOR (Kamailio is not installed)';
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

  const api = startProcess('api', 'api-main.ts', { ...env, PORT: String(apiPort), BUTLER_TOKENS: `spm:${TOKEN}:bench`, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' }, log, warnings, null);
  onStop('API', () => stopProcess(api.child, 10_000));
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitReady(`${baseUrl}/readyz`);
  return { baseUrl, token: TOKEN, temporalAddress, pbx, kamailioPid, workerPid: worker.child.pid!, apiPid: api.child.pid!, logFile, warnings };
}

/** PostgreSQL and Temporal side by side; whichever started is stopped again even if the other failed. */
async function startServers(dataDir: string, pgPort: number, temporalPort: number): Promise<{ databaseUrl: string; temporalAddress: string }> {
  const [db, temporal] = await Promise.allSettled([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedTemporal({ dataDir, port: temporalPort, headless: true }),
  ]);
  if (db.status === 'fulfilled') onStop('PostgreSQL', () => db.value.stop());
  if (temporal.status === 'fulfilled') onStop('Temporal', () => temporal.value.stop());
  if (db.status === 'rejected') throw db.reason;
  if (temporal.status === 'rejected') throw temporal.reason;
  const { url: databaseUrl } = db.value as EmbeddedDatabase;
  const { address: temporalAddress } = temporal.value as EmbeddedTemporal;
  return { databaseUrl, temporalAddress };
}
