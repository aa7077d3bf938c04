import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

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

/** Waits until `url` answers 2xx (the API's /readyz). */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
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
  opts.children.push(await spawnUntil(path.join(runtime, 'embedded-worker-process.ts'), opts.env, 'ready'));
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
