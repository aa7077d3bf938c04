import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { seedDefaults } from '../../db/seed';
import { freshDatabase } from './db';
import { uniqueTaskQueue } from '../../runtime/embedded-worker';

/**
 * Workers in their own OS processes (runtime/embedded-worker-process.ts), so a test can SIGKILL one
 * and start a cold one: a new process with an empty workflow cache, which must
 * replay every history it picks up.
 */
export function workerProcesses(env: () => { databaseUrl: string; taskQueue: string }) {
  const children: ChildProcess[] = [];
  return {
    start(): Promise<ChildProcess> {
      const { databaseUrl, taskQueue } = env();
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'runtime', 'embedded-worker-process.ts')], {
        env: { ...process.env, TEMPORAL_ADDRESS: process.env.BUTLER_TEST_TEMPORAL_ADDRESS, DATABASE_URL: databaseUrl, TEMPORAL_TASK_QUEUE: taskQueue },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        child.stdout!.on('data', (b: Buffer) => {
          if (b.toString().includes('ready')) resolve(child);
        });
        child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
      });
    },
    kill(child: ChildProcess): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    killAll(): void {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}

/** Reads until `ok` holds or the time is up, and returns the last value read (the caller asserts on it). */
export async function readUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A test file whose incidents run on the dev server with workers in their own processes:
 * a fresh seeded database, a client, and the workers (killed when the file ends).
 */
export function useDevServerWithWorkerProcesses(prefix: string) {
  const ctx = {
    taskQueue: uniqueTaskQueue(prefix),
    db: undefined as unknown as Awaited<ReturnType<typeof freshDatabase>>,
    client: undefined as unknown as Client,
    workers: undefined as unknown as ReturnType<typeof workerProcesses>,
  };
  let connection: Connection | undefined;
  ctx.workers = workerProcesses(() => ({ databaseUrl: ctx.db.url, taskQueue: ctx.taskQueue }));
  beforeAll(async () => {
    ctx.db = await freshDatabase();
    await seedDefaults(ctx.db.pool);
    connection = await Connection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS });
    ctx.client = new Client({ connection });
  });
  afterAll(async () => {
    ctx.workers.killAll();
    await connection?.close();
    await ctx.db?.drop();
  });
  return ctx;
}
