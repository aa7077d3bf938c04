import type { ChildProcess } from 'node:child_process';
import { stopGroup } from '../system/child-process';
import type { Logger } from '../system/logger';
import { spawnButler, waitForLog, WORKER_READY } from './butler-process';
import type { Config } from './config';
import type { RunningVendors } from './vendors';

/**
 * More Butler workers beside the one in this process (`npm run cluster` runs two): each a process
 * of its own (`worker-main.ts`) on the same task queue, driving the same PBX, CTI and telemetry
 * as the first. Schedules and the history archiver stay with the first worker: one of each is enough.
 */

export class ExtraWorkerError extends Error {
  override name = 'ExtraWorkerError';
}

export interface ExtraWorker {
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface SharedStack {
  databaseUrl: string;
  ownerUrl: string;
  temporalAddress: string;
  vendors: RunningVendors;
}

/** The environment a worker process needs to join this stack. */
export function joinEnv(config: Config, shared: SharedStack): NodeJS.ProcessEnv {
  const { endpoints, simulated } = shared.vendors;
  if (!endpoints.pbx)
    throw new ExtraWorkerError('a second worker needs a PBX it can reach: the PBX simulator lives inside one process (install Kamailio, or set PBX_RPC_URL)');
  const sharedSimulators = (['cti', 'telemetry'] as const).filter((v) => simulated[v]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BUTLER_DATA_DIR: config.dataDir,
    DATABASE_URL: shared.databaseUrl,
    DATABASE_OWNER_URL: shared.ownerUrl,
    TEMPORAL_ADDRESS: shared.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    ...(config.auditSigningKey ? { BUTLER_AUDIT_SIGNING_KEY: config.auditSigningKey } : {}),
    PBX_RPC_URL: endpoints.pbx.rpcUrl,
    PBX_DATABASE_URL: endpoints.pbx.databaseUrl,
    PBX_SIP_ADDRESS: endpoints.pbx.sipAddress,
    PBX_DOMAIN: endpoints.pbx.domain,
    PBX_MODE: undefined,
    ACCEPTANCE_TEST_NUMBER: config.pbx.acceptance.testNumber,
    ACCEPTANCE_CALLER_DN: config.pbx.acceptance.callerDn,
    CTI_BASE_URL: endpoints.ctiUrl,
    CTI_CLIENT_ID: config.cti.clientId,
    CTI_CLIENT_SECRET: config.cti.clientSecret,
    TELEMETRY_URL: endpoints.telemetryUrl,
    BUTLER_SIMULATORS: undefined,
    BUTLER_SHARED_SIMULATORS: sharedSimulators.join(','),
    NOTIFY_ALLOW_HTTP: String(!config.outbound.httpsOnly),
    SCHEDULES_ENABLED: 'false',
    ARCHIVE_INTERVAL_SECONDS: '0',
    BUTLER_WORKER_METRICS_ADDRESS: undefined,
  };
  // A variable set to undefined is one this worker must not inherit.
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Starts `count` worker processes, one after the other (each applies migrations on start-up, under a lock), until each polls. */
export async function startExtraWorkers(config: Config, shared: SharedStack, count: number, log: Logger): Promise<ExtraWorker[]> {
  const env = joinEnv(config, shared);
  const started: ExtraWorker[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `worker ${i + 2}`;
      // Its log lines are JSON like this process's, each with its own pid: passed through as they are.
      const child = spawnButler('worker-main.ts', env, (_c, text) => process.stdout.write(text));
      let stopping = false;
      const worker = {
        child,
        stop: () => {
          stopping = true;
          return stopGroup(child, 15_000);
        },
      };
      started.push(worker);
      await waitForLog(child, name, WORKER_READY, 120_000);
      child.once(
        'exit',
        (code, signal) => stopping || log.warn(`${name} (pid ${child.pid}) exited by itself (${code ?? signal}); the other worker carries on`),
      );
      log.info(`${name} (pid ${child.pid}) polling task queue ${config.temporal.taskQueue}`);
    }
    return started;
  } catch (err) {
    await Promise.all(started.map((w) => w.stop()));
    throw err;
  }
}
