/**
 * A worker in its own OS process, so a test can SIGKILL it mid-lifecycle.
 * Reads TEMPORAL_ADDRESS, DATABASE_URL, TEMPORAL_TASK_QUEUE (and TEMPORAL_MAX_CACHED_WORKFLOWS); prints "ready" once polling.
 */
import { NativeConnection } from '@temporalio/worker';
import { createPool } from '../system/postgres';
import { installTestRuntime, startTestWorker } from './embedded-worker';

async function main(): Promise<void> {
  installTestRuntime();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const pool = createPool(process.env.DATABASE_URL!);
  const cached = process.env.TEMPORAL_MAX_CACHED_WORKFLOWS;
  await startTestWorker({ connection, pool, taskQueue: process.env.TEMPORAL_TASK_QUEUE!, ...(cached ? { maxCachedWorkflows: Number(cached) } : {}) });
  process.stdout.write('ready\n');
}

main().catch((err) => {
  process.stderr.write(`worker process failed: ${String(err)}\n`);
  process.exit(1);
});
