import { randomBytes } from 'node:crypto';
import { NativeConnection, Runtime, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from '../activities';
import { createBrowserPool, type BrowserPool } from '../reports/browser-pool';
import type { Vendors } from './vendors';
import { bundleWorkflows, QUIET_BUNDLER_LOGGER, readWorkflowBundle } from './workflow-bundle';
import { acceptancePlan } from '../adapters/pbx/line-routing';
import type { OutboundPolicy } from '../system/outbound-url';
import { createAuditSigner, type AuditSigner } from '../domain/audit/seal';
import { newAuditKeyPem, readAuditKey } from '../system/audit-key';

/** The test line of the local vendors (runtime/embedded-kamailio.ts) and the DN that calls it. */
export const TEST_NUMBER = '0999';
export const CALLER_DN = '0990';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let runtimeInstalled = false;

/** The production worker's workflow bundle, built once per test run or file (bundling costs seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  installTestRuntime();
  // The test run's global setup bundles once for every file (BUTLER_TEST_WORKFLOW_BUNDLE); alone, a file bundles itself.
  const prebuilt = process.env.BUTLER_TEST_WORKFLOW_BUNDLE;
  bundle ??= prebuilt ? readWorkflowBundle(prebuilt) : bundleWorkflows(QUIET_BUNDLER_LOGGER);
  return bundle;
}

/** Quiet SDK logs and no signal handling; must run before anything touches the Temporal runtime. */
export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // Already instantiated by an earlier call path in this file; the defaults are fine then.
  }
}

let testSigner: AuditSigner | undefined;

/**
 * The audit key of a test process: BUTLER_AUDIT_SIGNING_KEY when set, else one made for this
 * process and put there, so the worker and API processes it starts seal with the same key.
 */
export function testAuditSigner(): AuditSigner {
  process.env.BUTLER_AUDIT_SIGNING_KEY ||= newAuditKeyPem();
  testSigner ??= createAuditSigner(readAuditKey(process.env.BUTLER_AUDIT_SIGNING_KEY));
  return testSigner;
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** A real worker with the real activities, on its own task queue. */
export async function startTestWorker(opts: {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  pool: Pool;
  mail?: ActivityDeps['mail'];
  webhookUrl?: string;
  /** Where webhooks may go; the strictest if not given. */
  outbound?: OutboundPolicy;
  /** The PBX and CTI the activities drive; tests of incidents run without them. */
  vendors?: Vendors;
  /** Seals audit entries; by default the test process's (testAuditSigner). */
  auditSigner?: AuditSigner;
  /** Reports render in this browser; by default a pool of the worker's own, closed with it (Chromium starts on first use). */
  browser?: BrowserPool;
  activities?: Record<string, (...args: never[]) => unknown>;
  /** The workflow cache (a benchmark of many open workflows sizes it); by default the SDK's. */
  maxCachedWorkflows?: number;
}): Promise<TestWorker> {
  const taskQueue = opts.taskQueue ?? uniqueTaskQueue();
  const ownBrowser = opts.browser || opts.activities ? undefined : createBrowserPool();
  const browser = opts.browser ?? ownBrowser;
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    activities:
      opts.activities ??
      createActivities({
        pool: opts.pool,
        auditSigner: opts.auditSigner ?? testAuditSigner(),
        mail: opts.mail ?? { from: 'butler@test' },
        webhookUrl: opts.webhookUrl,
        outbound: opts.outbound,
        ...(opts.vendors ?? noVendors()),
        browser: browser!,
      }),
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await ownBrowser?.close();
    },
  };
}

/** For tests of workflows that never reach a PBX or CTI (incidents): any use is a test bug, said loudly. */
export function noVendors(): Vendors {
  const refuse = (what: string) =>
    new Proxy({}, { get: (_t, prop) => () => Promise.reject(new Error(`${what}.${String(prop)} called in a test without PBX/CTI`)) });
  return {
    pbx: refuse('pbx') as Vendors['pbx'],
    cti: refuse('cti') as Vendors['cti'],
    telemetry: refuse('telemetry') as Vendors['telemetry'],
    acceptance: refuse('acceptance') as Vendors['acceptance'],
    acceptancePlan: acceptancePlan({ domain: '127.0.0.1', testNumber: TEST_NUMBER, callerDn: CALLER_DN }),
    simulated: { pbx: false, cti: false, telemetry: false },
  };
}
