import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { migrate } from '../db/migrate';
import { assertLeastPrivilege, grantApplicationRole, roleOf } from '../db/roles';
import { vetOutboundUrl } from '../system/outbound-url';
import { createPool } from '../system/postgres';
import { seedDefaults, seedDemoDevices } from '../db/seed';
import type { Config } from './config';
import { EMBEDDED_APP_PASSWORD, startEmbeddedPostgres } from './embedded-postgres';
import { startEmbeddedTemporal } from './embedded-temporal';
import type { Logger } from '../system/logger';
import { temporalConnectionOptions } from './temporal-connection';
import { ensureDevTokens } from './dev-tokens';
import { startVendors } from './vendors';
import { createWorker } from './worker';
import { findChromium, REPORT_PACKAGES } from '../reports/browser-pool';
import { ensureAptPackages } from '../system/system-packages';
import { ensureSchedules, SCHEDULE_IDS } from './schedules';
import { createHistoryArchiver } from './history-archiver';
import { auditSignerFor, refuseNewKeyForSealedChain } from './audit-signer';
import { startMonitoringForStack } from './stack-monitoring';
import { freePort } from '../system/ports';
import { startTemporalCluster, type TemporalTopology } from './temporal-cluster';
import { startTemporalUi } from './temporal-ui';
import { startExtraWorkers } from './extra-workers';

export interface StackOptions {
  api: boolean;
  worker: boolean;
  /**
   * The Temporal started when TEMPORAL_ADDRESS is not set: the dev server (`npm start`), or the
   * production topology's cluster of the real server on Butler's PostgreSQL (`npm run cluster`).
   */
  temporal?: TemporalTopology;
  /** Worker processes beside this process's worker (`npm run cluster` runs one more: two in all). */
  extraWorkers?: number;
}

export interface RunningStack {
  apiUrl?: string;
  temporalAddress: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Brings Butler up: the embedded Temporal and PostgreSQL unless external ones
 * are configured, migrations and seeds, then the worker and/or the API.
 * `stop()` takes everything down in reverse order, children included.
 */
export async function startStack(configIn: Config, log: Logger, opts: StackOptions): Promise<RunningStack> {
  let config = configIn;
  const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s.stop();
        log.info(`stopped ${s.name}`);
      } catch (err) {
        log.error({ err }, `stopping ${s.name} failed`);
      }
    }
  };

  try {
    // The worker renders reports: Debian's Chromium and the Korean fonts are installed if missing (as root);
    // still no Chromium is a start-up error, found before anything is started.
    if (opts.worker) {
      if (!config.reports.chromiumPath) ensureAptPackages(REPORT_PACKAGES, (line) => log.info(line));
      findChromium(config.reports.chromiumPath);
    }
    // Refused here, before anything starts, when outside the embedded default nobody gave Butler its audit key.
    const keyWasThere = !config.auditSigningKey || config.auditSigningKey.includes('-----BEGIN') || existsSync(config.auditSigningKey);
    const auditSigner = auditSignerFor(config);
    let databaseUrl = config.database.url;
    // Without DATABASE_OWNER_URL the migrations run as DATABASE_URL's role, which least privilege then refuses.
    let ownerUrl = config.database.ownerUrl ?? config.database.url;
    let appRolePassword: string | undefined;
    let temporalAddress = config.temporal.address;
    // Both start in parallel; whichever came up is stopped again if the other failed.
    const [db, temporal] = await Promise.allSettled([
      databaseUrl
        ? undefined
        : startEmbeddedPostgres({
            dataDir: config.dataDir,
            port: config.database.embeddedPort,
            onLog: (line) => log.debug({ component: 'postgres' }, line),
          }),
      temporalAddress || opts.temporal === 'cluster'
        ? undefined
        : startEmbeddedTemporal({
            dataDir: config.dataDir,
            port: config.temporal.embeddedPort,
            uiPort: config.temporal.uiPort,
            cliPath: config.temporal.cliPath,
            onLog: (line) => log.debug({ component: 'temporal' }, line),
          }),
    ]);
    if (db.status === 'fulfilled' && db.value) {
      stops.push({ name: 'embedded PostgreSQL', stop: db.value.stop });
      ownerUrl = db.value.url;
      databaseUrl = db.value.appUrl;
      appRolePassword = EMBEDDED_APP_PASSWORD;
      log.info(`embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort} (data in ${config.dataDir}/postgres)`);
    }
    if (temporal.status === 'fulfilled' && temporal.value) {
      stops.push({ name: 'embedded Temporal', stop: temporal.value.stop });
      temporalAddress = temporal.value.address;
      log.info(`embedded Temporal dev server on ${temporal.value.address}, Web UI ${temporal.value.uiUrl}`);
    }
    if (db.status === 'rejected') throw db.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    const dbUrl = databaseUrl!;
    // The cluster persists to PostgreSQL: it starts once the database is up, on the owner's server.
    if (!temporalAddress) {
      const cluster = await startTemporalCluster({
        dataDir: config.dataDir,
        postgresUrl: ownerUrl!,
        frontendPort: config.temporal.embeddedPort,
        namespace: config.temporal.namespace,
        shards: config.temporal.clusterShards,
        onLog: (line) => (line.startsWith('[temporal') ? log.debug({ component: 'temporal' }, line) : log.info(line)),
      });
      stops.push({ name: 'Temporal cluster', stop: cluster.stop });
      temporalAddress = cluster.address;
      // The UI helps; Butler works without it.
      const ui = await startTemporalUi({
        dataDir: config.dataDir,
        address: cluster.address,
        port: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        onLog: (line) => log.debug({ component: 'temporal-ui' }, line),
      }).catch((err: unknown) => log.warn({ err }, `the Temporal UI did not start: ${err instanceof Error ? err.message : String(err)}`));
      if (ui) {
        stops.push({ name: 'Temporal UI', stop: ui.stop });
        log.info(`Temporal Web UI ${ui.url} (the cluster's; read-only)`);
      }
    }
    const address = temporalAddress;

    const applied = await migrate(ownerUrl!);
    if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);
    // The same role twice (one URL for everything, or two spellings of it) is not two roles: nothing is granted, and the check below refuses it.
    if (roleOf(ownerUrl!) !== roleOf(dbUrl)) await grantApplicationRole(ownerUrl!, roleOf(dbUrl), appRolePassword);
    await assertLeastPrivilege(dbUrl);
    const pool = createPool(dbUrl);
    stops.push({ name: 'database pool', stop: () => pool.end() });
    if (!keyWasThere) await refuseNewKeyForSealedChain(pool, config.auditSigningKey!);
    await seedDefaults(pool);
    // The embedded default is a demo: it gets a sample asset register to inspect, once.
    if (!config.database.url && (await seedDemoDevices(pool))) log.info('seeded the demo asset register (3 centers)');

    // The embedded default serves the worker's Temporal SDK metrics on a port of its own, for its Prometheus.
    const embeddedDefault = !config.temporal.address && !config.database.url;
    if (opts.worker && embeddedDefault && !config.workerMetricsAddress && config.monitoring.mode === 'auto') {
      config = { ...config, workerMetricsAddress: `127.0.0.1:${await freePort()}` };
    }
    let pbxMetricsTarget: string | undefined;
    if (opts.worker) {
      // The operations webhook is refused at start, not found wanting at the first incident.
      if (config.webhookUrl) {
        await vetOutboundUrl(config.webhookUrl, config.outbound).catch((e: Error) => {
          throw new Error(`NOTIFY_WEBHOOK_URL is refused: ${e.message}`, { cause: e });
        });
      }
      // Kamailio's database is set up beside Butler's by the owner.
      const vendors = await startVendors(config, log, ownerUrl!);
      pbxMetricsTarget = vendors.pbxMetricsTarget;
      stops.push({ name: 'PBX and CTI', stop: () => vendors.stop() });
      const { worker, close } = await createWorker(config, address, pool, vendors, auditSigner);
      const running = worker.run();
      stops.push({
        name: 'worker',
        stop: async () => {
          worker.shutdown();
          await running;
          await close();
        },
      });
      log.info(`worker polling task queue ${config.temporal.taskQueue}`);
      if (opts.extraWorkers) {
        const extra = await startExtraWorkers(config, { databaseUrl: dbUrl, ownerUrl: ownerUrl!, temporalAddress: address, vendors }, opts.extraWorkers, log);
        extra.forEach((w, i) => stops.push({ name: `worker ${i + 2}`, stop: w.stop }));
      }
      const connection = await Connection.connect(temporalConnectionOptions(config.temporal, address));
      stops.push({ name: 'worker-side Temporal client', stop: () => connection.close() });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      if (config.schedules.enabled) {
        for (const s of await ensureSchedules(client, config)) log.info(`schedule ${s.scheduleId} ${s.outcome}: ${s.describe}`);
      }
      if (config.archiveIntervalMs > 0) {
        const archiver = createHistoryArchiver({ pool, client, auditSigner, log });
        archiver.start(config.archiveIntervalMs);
        stops.push({ name: 'history archiver', stop: () => archiver.stop() });
        log.info(`archiving closed workflow histories every ${config.archiveIntervalMs / 1000} s`);
      }
    }

    let apiUrl: string | undefined;
    if (opts.api) {
      const connection = await Connection.connect(temporalConnectionOptions(config.temporal, address));
      stops.push({ name: 'Temporal client', stop: () => connection.close() });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const configured = config.tokens.length ? config.tokens : ensureDevTokens(config.dataDir, log);
      const withMonitoring = opts.worker && embeddedDefault && config.monitoring.mode === 'auto';
      // The embedded Prometheus and Alertmanager authenticate as automation: a token of their own when none is configured.
      const monitoringToken = withMonitoring
        ? (configured.find((t) => t.role === 'automation') ?? {
            role: 'automation' as const,
            token: randomBytes(24).toString('base64url'),
            subject: 'embedded-monitoring',
          })
        : undefined;
      const tokens = monitoringToken && !configured.includes(monitoringToken) ? [...configured, monitoringToken] : configured;
      const app = createApp({
        pool,
        auditSigner,
        client,
        taskQueue: config.temporal.taskQueue,
        tokens,
        log,
        timing: config.timing,
        rateLimitPerMinute: config.rateLimitPerMinute,
        scheduleIds: SCHEDULE_IDS,
        outbound: config.outbound,
      });
      const server = await listen(app, config.port);
      stops.push({ name: 'API', stop: () => closeServer(server) });
      apiUrl = `http://localhost:${config.port}`;
      log.info(`API on ${apiUrl} (OpenAPI document at ${apiUrl}/openapi.json)`);
      if (monitoringToken) {
        // Monitoring is not needed to work incidents: Butler starts without it rather than not at all.
        const monitoring = await startMonitoringForStack(config, log, { apiPort: config.port, token: monitoringToken.token, pbxMetricsTarget }).catch(
          (err: unknown) => {
            log.warn({ err }, `Prometheus and Alertmanager did not start: ${err instanceof Error ? err.message : String(err)}`);
            return undefined;
          },
        );
        if (monitoring) stops.push({ name: 'Prometheus and Alertmanager', stop: monitoring.stop });
      }
    }

    return { apiUrl, temporalAddress: address, databaseUrl: dbUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (err) => reject(new Error(`the API cannot listen on port ${port}: ${err.message}`, { cause: err })));
  });
}

/** How long requests under way get to finish at shutdown; then what is left (an event stream never ends by itself) is cut. */
const SHUTDOWN_GRACE_MS = 2_000;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
}
