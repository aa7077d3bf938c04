import { spawn, type ChildProcess } from 'node:child_process';

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
