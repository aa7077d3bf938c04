import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { stopChild } from '../system/child-process';
import { MAX_CLUSTER_SHARDS } from './config';
import { freeLowPort } from '../system/ports';
import { temporalServerTools, type TemporalServerTools } from '../system/temporal-server-tools';

/**
 * Butler's production topology on this machine: a real Temporal cluster, its four services
 * (frontend, history, matching, the internal worker) as four processes of the server built from
 * `go.temporal.io/server`, persisting to PostgreSQL (the `temporal` and `temporal_visibility`
 * databases, their schemas applied by the server's own SQL tool). The configuration written here
 * is the one docker-compose's `temporal` service runs from, one service per process.
 */

/** Which Temporal Butler runs on: the dev server (one process, SQLite), or this cluster. */
export type TemporalTopology = 'dev-server' | 'cluster';

export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface TemporalClusterOptions {
  dataDir: string;
  /** A PostgreSQL role that may create databases (Butler's owner URL): the cluster's databases go on the same server. */
  postgresUrl: string;
  /** History shards: fixed for the cluster's life (the first start decides); at most MAX_CLUSTER_SHARDS on one machine. */
  shards?: number;
  frontendPort?: number;
  namespace?: string;
  onLog?: (line: string) => void;
  /** How long start-up may take before giving up (the first start applies the schemas). */
  startTimeoutMs?: number;
  /** A service exited without being asked to (not by stop() or restart()): a finding for a fault run. */
  onUnexpectedExit?: (service: ClusterService, exit: string) => void;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  shards: number;
  tools: TemporalServerTools;
  /** Each service's process id. */
  pid(service: ClusterService): number | undefined;
  /** A fault on purpose: SIGKILL to one service, resolved once it is gone (not reported as unexpected). */
  kill(service: ClusterService): Promise<void>;
  /**
   * Starts a service again after it died or was killed; resolves once it serves again (the
   * frontend its namespace, the history service every shard), so the time it took is the outage.
   */
  restart(service: ClusterService): Promise<void>;
  stop(): Promise<void>;
}

export class TemporalClusterError extends Error {
  override name = 'TemporalClusterError';
}

const DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

export async function startTemporalCluster(opts: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = opts.onLog ?? (() => undefined);
  const tools = temporalServerTools(log);
  const shards = opts.shards ?? 4;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_CLUSTER_SHARDS)
    throw new TemporalClusterError(`history shards must be 1 to ${MAX_CLUSTER_SHARDS}, not ${shards}`);
  const namespace = opts.namespace ?? 'default';
  const root = path.join(opts.dataDir, 'temporal-cluster');
  mkdirSync(path.join(root, 'config'), { recursive: true });

  const pg = new URL(opts.postgresUrl);
  const db = {
    host: pg.hostname,
    port: Number(pg.port || 5432),
    user: decodeURIComponent(pg.username),
    password: decodeURIComponent(pg.password),
  };
  applySchemas(tools, db, log);

  // The membership table keeps ports as smallint: every port of the cluster is below 32768. Each drawn once.
  const taken = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const p = await freeLowPort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  const ports = {
    frontend: { grpcPort: opts.frontendPort ?? (await port()), membershipPort: await port(), httpPort: await port(), bindOnLocalHost: true },
    history: { grpcPort: await port(), membershipPort: await port(), bindOnLocalHost: true },
    matching: { grpcPort: await port(), membershipPort: await port(), bindOnLocalHost: true },
    worker: { grpcPort: await port(), membershipPort: await port(), bindOnLocalHost: true },
  };
  const address = `127.0.0.1:${ports.frontend.grpcPort}`;
  const dynamicConfig = path.join(root, 'config', 'dynamic.yaml');
  writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
  for (const service of CLUSTER_SERVICES) {
    const config = serviceConfig({ db, shards, ports, address, dynamicConfig, metricsPort: await port(), pprofPort: await port() });
    // JSON is YAML: one file per service, named after it (`--env <service>`).
    writeFileSync(path.join(root, 'config', `${service}.yaml`), JSON.stringify(config, null, 2));
  }

  const children = new Map<ClusterService, ChildProcess>();
  let started = false;
  const spawnErrors = new Map<ClusterService, Error>();
  const expected = new WeakSet<ChildProcess>();
  const startService = (service: ClusterService) => {
    const child = spawn(tools.server, ['--root', root, '--config', 'config', '--env', service, '--allow-no-auth', 'start', '--service', service], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C reaches Butler, which stops the services in order.
      detached: true,
    });
    child.once('error', (err) => spawnErrors.set(service, err));
    const say = (b: Buffer) => log(`[temporal ${service}] ${b.toString().trimEnd()}`);
    child.stdout?.on('data', say);
    child.stderr?.on('data', say);
    child.once('exit', (code, signal) => {
      // During start-up an exit is start-up's to handle (below); afterwards it is news.
      if (started && !expected.has(child)) opts.onUnexpectedExit?.(service, String(code ?? signal));
    });
    children.set(service, child);
  };
  const ended = (child: ChildProcess, graceMs: number) => {
    expected.add(child);
    return stopChild(child, graceMs);
  };
  // If this process dies without an orderly stop, the services must not outlive it.
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    process.removeListener('exit', killAll);
    // The frontend first (no new work), the history service last (it owns the shards).
    for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
      const child = children.get(service);
      if (child) await ended(child, 15_000);
    }
  };
  try {
    for (const service of CLUSTER_SERVICES) startService(service);
    // On a new database the services race to create the system namespace, and the loser may exit
    // ("duplicate key … namespaces_pkey"): it is started again, a few times, before start-up gives up.
    let restartsLeft = 3;
    const exited = () => {
      const gone = exitedService(children, spawnErrors);
      if (!gone || spawnErrors.size || restartsLeft === 0) return gone;
      restartsLeft--;
      for (const [service, child] of children) {
        if (child.exitCode !== null || child.signalCode !== null) {
          log(`${gone} during start-up: starting it again`);
          startService(service);
        }
      }
      return undefined;
    };
    await registerNamespace(address, namespace, opts.startTimeoutMs ?? 120_000, exited);
    await historyServesEveryShard(address, namespace, shards, 60_000, exited);
    started = true;
    log(`Temporal cluster ${tools.version} on PostgreSQL ${db.host}:${db.port}: frontend ${address}, ${shards} history shards, namespace ${namespace}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    namespace,
    shards,
    tools,
    pid: (service) => children.get(service)?.pid,
    kill: async (service) => {
      const child = children.get(service);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      expected.add(child);
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    restart: async (service) => {
      const child = children.get(service);
      if (child) await ended(child, 5_000);
      spawnErrors.delete(service);
      startService(service);
      const exited = () => exitedService(children, spawnErrors);
      if (service === 'frontend') await registerNamespace(address, namespace, 60_000, exited);
      if (service === 'history') await historyServesEveryShard(address, namespace, shards, 120_000, exited);
    },
    stop,
  };
}

function exitedService(children: Map<ClusterService, ChildProcess>, spawnErrors: Map<ClusterService, Error>): string | undefined {
  for (const [service, err] of spawnErrors) return `the ${service} service could not be started (${err.message})`;
  for (const [service, child] of children) {
    if (child.exitCode !== null || child.signalCode !== null) return `the ${service} service exited (${child.exitCode ?? child.signalCode})`;
  }
  return undefined;
}

/** gRPC status codes the cluster's answers are judged by. */
const GRPC = { NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;

interface Db {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Creates both databases (once) and brings their schemas to the server's version (idempotent). */
function applySchemas(tools: TemporalServerTools, db: Db, log: (line: string) => void): void {
  for (const [kind, database] of Object.entries(DATABASES)) {
    const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', database];
    const run = (args: string[], tolerate?: RegExp) => {
      // The password by environment (the tool reads SQL_PASSWORD), not on a command line `ps` shows.
      const r = spawnSync(tools.sqlTool, [...base, ...args], { encoding: 'utf8', env: { ...process.env, SQL_PASSWORD: db.password } });
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0 && !(tolerate && tolerate.test(out))) {
        throw new TemporalClusterError(`temporal-sql-tool ${args[0]} on ${database} failed: ${out.trim().slice(-1500)}`);
      }
    };
    run(['create-database'], /already exists/);
    // A fresh database gets the base schema; one that has it says its version table exists, and only the updates apply.
    run(['setup-schema', '-v', '0.0'], /already exists/);
    run(['update-schema', '-d', path.join(tools.postgresSchemaDir, kind === 'default' ? 'temporal' : 'visibility', 'versioned')]);
    log(`temporal-sql-tool: ${database} is at the schema of ${tools.version}`);
  }
}

/** Waits for the frontend, then registers the namespace (already there after a restart) and waits until it serves it. */
async function registerNamespace(address: string, namespace: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let registered = false;
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) throw new TemporalClusterError(`${gone} while the cluster was starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const service = connection.workflowService;
        if (!registered) {
          await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') }).catch((err: { code?: number }) => {
            // A restart, or a second call.
            if (err.code !== GRPC.ALREADY_EXISTS) throw err;
          });
          registered = true;
        }
        // The services cache namespaces: a list in it answers once every one of them knows it.
        await service.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new TemporalClusterError(`the Temporal cluster did not serve namespace ${namespace} at ${address} in time: ${String(last)}`);
}

/**
 * Whether the history service owns and serves its shards again: random workflow ids, 24 per shard,
 * are described (the odds that one shard gets none are below shards·e^-24, about 4e-11 a shard),
 * and each must answer NOT_FOUND, which only the shard's owner can say, rather than time out.
 */
async function historyServesEveryShard(address: string, namespace: string, shards: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const probes = shards * 24;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    while (Date.now() < deadline) {
      const gone = exited();
      if (gone) throw new TemporalClusterError(`${gone} while the history service was taking its shards`);
      const answers = await Promise.all(
        Array.from({ length: probes }, (_, i) =>
          connection
            .withDeadline(Date.now() + 2_000, () =>
              connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: `butler-shard-probe-${Date.now()}-${i}` } }),
            )
            .then(
              () => GRPC.NOT_FOUND as number,
              (err: { code?: number }) => err.code ?? -1,
            ),
        ),
      );
      const off = answers.filter((code) => code !== GRPC.NOT_FOUND);
      if (!off.length) return;
      last = `${off.length} of ${probes} probes answered gRPC status ${[...new Set(off)].join(', ')}`;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await connection.close();
  }
  throw new TemporalClusterError(`the history service did not serve every shard at ${address} in time: ${last}`);
}

function serviceConfig(c: {
  db: Db;
  shards: number;
  ports: Record<ClusterService, Record<string, unknown>>;
  address: string;
  dynamicConfig: string;
  metricsPort: number;
  pprofPort: number;
}) {
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${c.db.host}:${c.db.port}`,
      connectProtocol: 'tcp',
      user: c.db.user,
      password: c.db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: c.shards,
      datastores: { default: datastore(DATABASES.default, 20), visibility: datastore(DATABASES.visibility, 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      // Each process its own: two on one port fail to start.
      pprof: { port: c.pprofPort },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${c.metricsPort}` } },
    },
    services: Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, { rpc: c.ports[s] }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: c.address } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: c.dynamicConfig, pollInterval: '10s' },
  };
}

/** What Butler uses that a server may keep off by default: Updates, update-with-start, Schedules' catch-up. */
const DYNAMIC_CONFIG = `# Written by runtime/temporal-cluster.ts
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableUpdateWorkflowExecutionAsyncAccepted:
  - value: true
frontend.enableExecuteMultiOperation:
  - value: true
`;
