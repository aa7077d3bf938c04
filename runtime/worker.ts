import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import { createBrowserPool } from '../reports/browser-pool';
import type { Config } from './config';
import type { AuditSigner } from '../domain/audit/seal';
import { temporalConnectionOptions } from './temporal-connection';
import type { Vendors } from './vendors';
import { bundleWorkflows } from './workflow-bundle';

/** The worker hosts every workflow type and activity on Butler's task queue. */
export async function createWorker(
  config: Config,
  temporalAddress: string,
  pool: Pool,
  vendors: Vendors,
  auditSigner: AuditSigner,
): Promise<{ worker: Worker; connection: NativeConnection; close(): Promise<void> }> {
  installRuntime(config.logLevel, config.workerMetricsAddress);
  // Fails here, at start-up, naming the package to install, when there is no Chromium.
  const browser = createBrowserPool({
    executablePath: config.reports.chromiumPath,
    maxConcurrentPages: config.reports.concurrency,
    restartAfter: config.reports.restartAfter,
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal, temporalAddress));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await bundleWorkflows(Runtime.instance().logger),
    stickyQueueScheduleToStartTimeout: config.temporal.stickyTimeoutMs,
    ...(config.temporal.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: config.temporal.maxCachedWorkflows } : {}),
    activities: createActivities({ pool, auditSigner, mail: config.mail, webhookUrl: config.webhookUrl, outbound: config.outbound, ...vendors, browser }),
  });
  return {
    worker,
    connection,
    close: async () => {
      await browser.close();
      await connection.close();
    },
  };
}

let runtimeInstalled = false;

/** Butler owns SIGINT/SIGTERM (runtime/main.ts stops everything in order), so the SDK must not act on them. */
function installRuntime(level: Config['logLevel'], metricsAddress: string | undefined): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel = level === 'debug' || level === 'trace' ? 'DEBUG' : 'WARN';
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(sdkLevel),
    // The SDK's own exporter (Rust core): temporal_* task latencies, slots, sticky cache, at /metrics on this address.
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
}
