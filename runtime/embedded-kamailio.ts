import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killGroup, stopGroup } from '../system/child-process';
import { prepareKamailioDatabase } from '../adapters/pbx/kamailio/database';
import { kamailioConfig } from '../adapters/pbx/kamailio/kamailio.cfg';
import { seedTestLine, type TestLine } from '../adapters/pbx/kamailio/test-line';

export interface EmbeddedKamailio {
  /** host:port of the SIP (UDP) listener. */
  sipAddress: string;
  /** JSON-RPC endpoint (HTTP POST). */
  rpcUrl: string;
  /** The URL Kamailio itself uses: what the PBX adapter writes to. */
  databaseUrl: string;
  /** SIP domain of the subscribers (the listen address). */
  domain: string;
  stop(): Promise<void>;
}

export interface EmbeddedKamailioOptions {
  /** Config, pid file and the database password live in `<dataDir>/kamailio`. */
  dataDir: string;
  /** Admin URL of a PostgreSQL server; Kamailio gets its own role and database there. */
  databaseUrl: string;
  /** Name of that database and role; `kamailio` by default. */
  database?: string;
  sipPort: number;
  /** TCP port for JSON-RPC; sipPort + 1 by default. */
  rpcPort?: number;
  /** A number answered by a SIPp answering point behind a trunk (see test-line.ts). */
  testLine?: TestLine;
  /** Seconds between two RPC reloads of a table (dialplan, dispatcher, permissions); 0 by default. */
  reloadDeltaSeconds?: number;
  kamailioPath?: string;
  modulesDir?: string;
  schemaDir?: string;
  onLog?: (line: string) => void;
  /** Told when Kamailio exits on its own after start-up (it is restarted, up to 3 times a minute). */
  onExit?: (message: string) => void;
  startTimeoutMs?: number;
}

const LISTEN_IP = '127.0.0.1';
export const DEFAULT_KAMAILIO_PATH = '/usr/sbin/kamailio';
export const DEFAULT_KAMAILIO_MODULES_DIR = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

/** Kamailio and its PostgreSQL driver are both there. */
export function kamailioInstalled(kamailioPath = DEFAULT_KAMAILIO_PATH, modulesDir = DEFAULT_KAMAILIO_MODULES_DIR): boolean {
  return existsSync(kamailioPath) && existsSync(path.join(modulesDir, 'db_postgres.so'));
}

/**
 * Runs Kamailio in the foreground as Butler's PBX, bound to loopback only,
 * with its state in PostgreSQL. Resolves once its JSON-RPC answers.
 */
export async function startEmbeddedKamailio(opts: EmbeddedKamailioOptions): Promise<EmbeddedKamailio> {
  const kamailioPath = opts.kamailioPath ?? DEFAULT_KAMAILIO_PATH;
  const modulesDir = opts.modulesDir ?? DEFAULT_KAMAILIO_MODULES_DIR;
  if (!kamailioInstalled(kamailioPath, modulesDir)) {
    throw new Error(
      `Kamailio is not installed (need ${kamailioPath} and ${path.join(modulesDir, 'db_postgres.so')}): ` +
        'apt-get install kamailio kamailio-postgres-modules',
    );
  }
  const dir = path.join(opts.dataDir, 'kamailio');
  mkdirSync(dir, { recursive: true });
  const rpcPort = opts.rpcPort ?? opts.sipPort + 1;
  const database = opts.database ?? 'kamailio';

  const databaseUrl = await prepareKamailioDatabase({
    adminUrl: opts.databaseUrl,
    database,
    password: databasePassword(dir),
    schemaDir: opts.schemaDir,
  });
  if (opts.testLine) await seedTestLine(databaseUrl, LISTEN_IP, opts.testLine);

  const configFile = path.join(dir, 'kamailio.cfg');
  writeFileSync(
    configFile,
    kamailioConfig({
      listenIp: LISTEN_IP,
      sipPort: opts.sipPort,
      rpcPort,
      databaseUrl: kamailioDbUrl(databaseUrl),
      modulesDir,
      reloadDeltaSeconds: opts.reloadDeltaSeconds ?? 0,
      children: 2,
    }),
    { mode: 0o600 },
  );

  const rpcUrl = `http://${LISTEN_IP}:${rpcPort}/RPC`;
  const start = async () => {
    const child = spawnKamailio(kamailioPath, configFile, dir, opts.onLog ?? (() => undefined));
    await waitForRpc(child, rpcUrl, opts.startTimeoutMs ?? 20_000);
    return child;
  };
  let current = await start();
  let stopping = false;
  const restarts: number[] = [];
  // A PBX that dies must not leave every later line failing its acceptance: start it again, within reason.
  const supervise = (child: KamailioChild) =>
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      const tail = child.recentLog.slice(-5).join(' | ');
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        killGroup(child.process, 'SIGKILL');
        opts.onExit?.(`kamailio exited (${code ?? signal}) ${restarts.length} times within a minute; not restarting it. Last log: ${tail}`);
        return;
      }
      opts.onExit?.(`kamailio exited unexpectedly (${code ?? signal}); restarting it. Last log: ${tail}`);
      // Workers left behind by a main process that died hard would hold the ports.
      killGroup(child.process, 'SIGKILL');
      start().then(
        (next) => {
          if (stopping) return stopGroup(next.process, 5_000);
          current = next;
          supervise(next);
        },
        (err: unknown) => opts.onExit?.(`kamailio could not be restarted: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
  supervise(current);
  return {
    sipAddress: `${LISTEN_IP}:${opts.sipPort}`,
    rpcUrl,
    databaseUrl,
    domain: LISTEN_IP,
    stop: () => {
      stopping = true;
      return stopGroup(current.process, 5_000);
    },
  };
}

const MAX_RESTARTS_PER_MINUTE = 3;

interface KamailioChild {
  process: ChildProcess;
  /** The last lines it logged, for a start-up error worth reading. */
  recentLog: string[];
}

function spawnKamailio(kamailioPath: string, configFile: string, dir: string, log: (line: string) => void): KamailioChild {
  const args = ['-DD', '-E', '-f', configFile, '-Y', dir, '-P', path.join(dir, 'kamailio.pid'), '-m', '64', '-M', '8'];
  // Its own process group: Kamailio forks workers, and stop() must reach all of them.
  // TZ=UTC: acc writes call records' times without a zone, in the process's own (kamailio-call-records.ts reads them as UTC).
  const child = spawn(kamailioPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, TZ: 'UTC' } });
  // If Butler dies without an orderly stop, the PBX must not outlive it.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const recentLog: string[] = [];
  const onData = (b: Buffer) => {
    for (const line of b.toString().split('\n')) {
      if (!line.trim()) continue;
      recentLog.push(line);
      if (recentLog.length > 20) recentLog.shift();
      log(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Without a listener a failed spawn (EACCES…) would crash Butler; waitForRpc reports it instead.
  child.once('error', (err) => recentLog.push(`could not run ${kamailioPath}: ${err.message}`));
  return { process: child, recentLog };
}

async function waitForRpc(child: KamailioChild, rpcUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.process.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null || child.process.pid === undefined) {
      throw new Error(`kamailio exited during start-up (code ${exited}):\n${child.recentLog.join('\n')}`);
    }
    if (await answersAsItself(rpcUrl, child.process.pid)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stopGroup(child.process, 5_000);
  throw new Error(`kamailio did not answer JSON-RPC at ${rpcUrl} within ${timeoutMs} ms:\n${child.recentLog.join('\n')}`);
}

/**
 * Ready when JSON-RPC answers and the answer comes from this Kamailio: core.ps
 * lists its processes, main process first. Another instance already on the
 * port would answer too while ours fails to bind.
 */
async function answersAsItself(rpcUrl: string, pid: number | undefined): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', method: 'core.ps', id: 1 }),
      signal: AbortSignal.timeout(1_000),
    });
    const reply = (await res.json()) as { result?: unknown };
    return Array.isArray(reply.result) && reply.result[0] === pid;
  } catch {
    return false;
  }
}

/** Generated once per data folder, readable by its owner only (the PBX simulator's too). */
export function databasePassword(dir: string): string {
  const file = path.join(dir, 'db-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('hex');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Kamailio's db_url has no query string and wants postgres:// exactly. */
function kamailioDbUrl(url: string): string {
  const u = new URL(url);
  return `postgres://${u.username}:${u.password}@${u.hostname}:${u.port || '5432'}${u.pathname}`;
}
