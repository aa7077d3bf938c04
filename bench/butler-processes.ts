import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitReady } from '../runtime/butler-process';
import { auditKeyEnv } from '../runtime/audit-signer';
import { butlerDatabaseEnv, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { startEmbeddedTemporal } from '../runtime/embedded-temporal';
import { startTemporalCluster, type TemporalTopology } from '../runtime/temporal-cluster';
import { freePort } from '../system/ports';

/** Butler's own entry points (worker, API) run as processes of their own by the benchmarks, as in production. */

/** Runs a TypeScript entry point with tsx; resolves once it prints `readyLine` (or at once when null). */
export function spawnUntil(entry: string, env: NodeJS.ProcessEnv, readyLine: string | null): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (readyLine === null) return Promise.resolve(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes(readyLine) && resolve(child));
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code})`)));
  });
}

/** The topology's Temporal for one measure: the dev server, or the cluster (`shards` history shards) on the bench's PostgreSQL. */
export async function startBenchTemporal(
  topology: TemporalTopology,
  opts: { dataDir: string; postgresUrl: string; shards: number },
): Promise<{ address: string; stop(): Promise<void> }> {
  return topology === 'cluster'
    ? startTemporalCluster({ dataDir: opts.dataDir, postgresUrl: opts.postgresUrl, shards: opts.shards })
    : startEmbeddedTemporal({ dataDir: opts.dataDir, port: await freePort(), headless: true });
}

/** What a bench's worker and API processes are given: its Temporal, its database (both roles), the audit key, a task queue of its own. */
export async function benchEnv(temporalAddress: string, db: EmbeddedDatabase, dataDir: string, taskQueue: string): Promise<NodeJS.ProcessEnv> {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(await butlerDatabaseEnv(db)),
    ...auditKeyEnv(dataDir),
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
}

/** A worker in a process of its own (`runtime/embedded-worker-process.ts`), once it polls. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return spawnUntil(path.join(__dirname, '..', 'runtime', 'embedded-worker-process.ts'), env, 'ready');
}

/**
 * The worker and the API, each a process of its own, on the given PostgreSQL and Temporal; the API
 * takes `token` as an SPM's. Each child goes into `children` as soon as it runs (for the caller's stop).
 */
export async function startWorkerAndApi(opts: {
  env: NodeJS.ProcessEnv;
  apiPort: number;
  token: string;
  children: ChildProcess[];
}): Promise<{ baseUrl: string }> {
  const runtime = path.join(__dirname, '..', 'runtime');
  opts.children.push(await startWorkerProcess(opts.env));
  opts.children.push(
    await spawnUntil(
      path.join(runtime, 'api-main.ts'),
      { ...opts.env, PORT: String(opts.apiPort), BUTLER_TOKENS: `spm:${opts.token}:bench`, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
      null,
    ),
  );
  const baseUrl = `http://127.0.0.1:${opts.apiPort}`;
  await waitReady(`${baseUrl}/readyz`);
  return { baseUrl };
}
