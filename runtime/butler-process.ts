import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { killGroup } from '../system/child-process';

/**
 * One of Butler's entry points (`worker-main.ts`, `api-main.ts`) as a process of its own, in its own
 * process group (the SIPp runs and Chromium it starts go with it): the second worker of
 * `npm run cluster`, the chaos suite's worker and API.
 */
export function spawnButler(
  entry: 'worker-main.ts' | 'api-main.ts',
  env: NodeJS.ProcessEnv,
  onOutput: (child: ChildProcess, text: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // If this process dies without stopping it, the child must not outlive it.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (b: Buffer) => onOutput(child, b.toString()));
  return child;
}

/** Resolves when the child logs (pino JSON on stdout) a message `ready` accepts; rejects if it exits first. */
export function waitForLog(child: ChildProcess, name: string, ready: (msg: string) => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${name} was not ready within ${timeoutMs} ms`)), timeoutMs);
    let rest = '';
    const onData = (b: Buffer) => {
      const lines = (rest + b.toString()).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        try {
          const msg = (JSON.parse(line) as { msg?: string }).msg;
          if (msg && ready(msg)) {
            clearTimeout(timer);
            child.stdout!.off('data', onData);
            resolve();
          }
        } catch {
          // not a log entry of ours
        }
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} exited (${code ?? signal}) during start-up`));
    });
  });
}

/** A worker process is ready when it polls its task queue. */
export const WORKER_READY = (msg: string) => msg.startsWith('worker polling task queue');

/** Resolves when `url` answers 2xx (an API's /readyz); rejects when time runs out, or at once when `child`, the process serving it, exits. */
export async function waitReady(url: string, timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`the process exited (${child.exitCode ?? child.signalCode}) during start-up`);
    if (
      await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}
