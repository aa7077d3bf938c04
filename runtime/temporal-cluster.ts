import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { stopChild } from '../system/child-process';
import { freeLowPort } from '../system/ports';
import { temporalServerTools, type TemporalServerTools } from '../system/temporal-server-tools';

/**
 * Butler's production topology on this machine: a real Temporal cluster, its four services
 * (frontend, history, matching, the internal worker) as four processes of the server built from
 * `go.temporal.io/server`, persisting to PostgreSQL (the `temporal` and `temporal_visibility`
 * databases, their schemas applied by the server's own SQL tool). The configuration written here
 * is the one docker-compose's `temporal` service runs from, one service per process.
 */

export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface TemporalClusterOptions {
  dataDir: string;
  /** A PostgreSQL role that may create databases (Butler's owner URL): the cluster's databases go on the same server. */
  postgresUrl: string;
  /** History shards: fixed for the cluster's life (the first start decides). */
  shards?: number;
  frontendPort?: number;
  namespace?: string;
  onLog?: (line: string) => void;
  /** How long start-up may take before giving up (the first start applies the schemas). */
  startTimeoutMs?: number;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  shards: number;
  tools: TemporalServerTools;
  /** Each service's process id, for a fault test (SIGKILL the history service). */
  pid(service: ClusterService): number | undefined;
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

  // The membership table keeps ports as smallint: every port of the cluster is below 32768.
  const port = async () => freeLowPort();
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
  const startService = (service: ClusterService) => {
    const child = spawn(tools.server, ['--root', root, '--config', 'config', '--env', service, '--allow-no-auth', 'start', '--service', service], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const say = (b: Buffer) => log(`[temporal ${service}] ${b.toString().trimEnd()}`);
    child.stdout?.on('data', say);
    child.stderr?.on('data', say);
    children.set(service, child);
  };
  // If this process dies without an orderly stop, the services must not outlive it.
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    process.removeListener('exit', killAll);
    // The frontend first (no new work), the history service last (it owns the shards).
    for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
      const child = children.get(service);
      if (child) await stopChild(child, 15_000);
    }
  };
  try {
    for (const service of CLUSTER_SERVICES) startService(service);
    await registerNamespace(address, namespace, opts.startTimeoutMs ?? 120_000, () => exitedService(children));
    await historyServesEveryShard(address, namespace, 60_000, () => exitedService(children));
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
    restart: async (service) => {
      const child = children.get(service);
      if (child) await stopChild(child, 5_000);
      startService(service);
      if (service === 'frontend') await registerNamespace(address, namespace, 60_000, () => exitedService(children));
      if (service === 'history') await historyServesEveryShard(address, namespace, 120_000, () => exitedService(children));
    },
    stop,
  };
}

function exitedService(children: Map<ClusterService, ChildProcess>): string | undefined {
  for (const [service, child] of children) {
    if (child.exitCode !== null) return `the ${service} service exited (${child.exitCode})`;
  }
  return undefined;
}

interface Db {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Creates both databases (once) and brings their schemas to the server's version (idempotent). */
function applySchemas(tools: TemporalServerTools, db: Db, log: (line: string) => void): void {
  for (const [kind, database] of Object.entries(DATABASES)) {
    const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--pw', db.password, '--db', database];
    const run = (args: string[], tolerate?: RegExp) => {
      const r = spawnSync(tools.sqlTool, [...base, ...args], { encoding: 'utf8' });
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0 && !(tolerate && tolerate.test(out))) {
        throw new TemporalClusterError(`temporal-sql-tool ${args[0]} on ${database} failed: ${out.trim().slice(-1500)}`);
      }
    };
    run(['create-database'], /already exists/);
    // A fresh database gets the base schema; one that has it says so, and only the updates apply.
    run(['setup-schema', '-v', '0.0'], /already exists|schema_version/);
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
            // 6: ALREADY_EXISTS (a restart, or a second call).
            if (err.code !== 6) throw err;
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
 * Whether the history service owns and serves its shards again: workflow ids spread over every
 * shard (64 random ids miss one of 4 shards with odds of 4·(3/4)^64, about 1e-8) are described,
 * and each must answer NOT_FOUND, which only the shard's owner can say, rather than time out.
 */
async function historyServesEveryShard(address: string, namespace: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    while (Date.now() < deadline) {
      const gone = exited();
      if (gone) throw new TemporalClusterError(`${gone} while the history service was taking its shards`);
      const answers = await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          connection
            .withDeadline(Date.now() + 2_000, () =>
              connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: `butler-shard-probe-${Date.now()}-${i}` } }),
            )
            .then(
              () => 5,
              (err: { code?: number }) => err.code ?? -1,
            ),
        ),
      );
      // 5: NOT_FOUND.
      const off = answers.filter((code) => code !== 5);
      if (!off.length) return;
      last = `${off.length} of 64 probes answered ${[...new Set(off)].join(', ')}`;
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
