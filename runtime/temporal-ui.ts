import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../system/child-process';
import { temporalUiServer } from '../system/temporal-server-tools';

/**
 * The Temporal Web UI for a cluster: the UI the dev CLI bundles, as the `ui-server` it is built
 * from (go.temporal.io's github.com/temporalio/ui-server, built once into .tools/), pointed at the
 * cluster's frontend. Read-only by default: the UI is for looking; Butler's API changes things.
 */

export interface TemporalUi {
  url: string;
  stop(): Promise<void>;
}

export async function startTemporalUi(opts: {
  dataDir: string;
  address: string;
  port: number;
  namespace: string;
  onLog?: (line: string) => void;
  timeoutMs?: number;
}): Promise<TemporalUi> {
  const log = opts.onLog ?? (() => undefined);
  const server = temporalUiServer(log);
  const root = path.join(opts.dataDir, 'temporal-ui');
  mkdirSync(path.join(root, 'config'), { recursive: true });
  // JSON is YAML.
  const config = {
    temporalGrpcAddress: opts.address,
    host: '127.0.0.1',
    port: opts.port,
    enableUi: true,
    defaultNamespace: opts.namespace,
    disableNewsFetch: true,
    disableWriteActions: true,
    cors: { cookieInsecure: true, allowOrigins: [`http://localhost:${opts.port}`, `http://127.0.0.1:${opts.port}`] },
  };
  writeFileSync(path.join(root, 'config', 'cluster.yaml'), JSON.stringify(config, null, 2));
  const child = spawn(server, ['--root', root, '--config', 'config', '--env', 'cluster', 'start'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  // If this process dies without stopping it, the UI must not outlive it (and keep its port).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const say = (b: Buffer) => log(`[temporal ui] ${b.toString().trimEnd()}`);
  child.stdout?.on('data', say);
  child.stderr?.on('data', say);
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (spawnError) throw new Error(`the Temporal UI server could not be started: ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Temporal UI server exited (${child.exitCode ?? child.signalCode}) on start`);
    const up = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await stopChild(child, 2_000);
      throw new Error(`the Temporal UI did not answer on ${url} in time`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => stopChild(child, 5_000) };
}
