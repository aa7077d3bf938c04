import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import { apiRoutes, createApp, type AppDeps } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { REQUEST_DEADLINE_MS } from '../../api/temporal-calls';
import { seedDefaults } from '../../db/seed';
import { loadConfig } from '../../runtime/config';
import type { Role, TokenGrant } from '../../domain/actor';
import { freshDatabase } from '../support/db';
import { startTestVendors, type TestVendors } from '../support/vendors';
import { installTestRuntime, startTestWorker, type TestWorker, testAuditSigner } from '../../runtime/embedded-worker';
import type { Json } from '../support/json';
import { LOCAL_OUTBOUND } from '../support/outbound';

/**
 * The whole API over real parts, for one test file: a fresh migrated and seeded
 * database, the run's Temporal dev server (in a namespace of this file's own,
 * because every fresh database numbers incidents from INC-000001 and workflow
 * ids must not meet another file's), a real worker and the app on a free port.
 */

export const ROLES: readonly Role[] = ['admin', 'spm', 'engineer', 'auditor', 'automation'];

/** Who each token is: timelines must show these subjects and roles. */
export const SUBJECTS: Record<Role, string> = {
  admin: 'admin-choi',
  spm: 'spm-kim',
  engineer: 'eng-park',
  auditor: 'audit-lee',
  automation: 'monitoring-bot',
};

export interface CallOptions {
  token?: string;
  /** Sent as JSON unless it is a string or a Buffer (then sent as is: malformed bodies, uploaded files). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult<T = Json> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface Harness {
  baseUrl: string;
  pool: Awaited<ReturnType<typeof freshDatabase>>['pool'];
  /** The file's own database as the application role connects, for tools run beside the API. */
  databaseUrl: string;
  /** The same database as its owner (the run's superuser): what only an owner, or an insider with its credentials, could do. */
  ownerDatabaseUrl: string;
  client: Client;
  namespace: string;
  taskQueue: string;
  tokens: Record<Role, string>;
  /** The same route table the app mounts. */
  routes: AnyRoute[];
  /** With `vendors: true`: the worker's Kamailio, CTI emulator and telemetry simulator, whose control surfaces a test may drive. */
  vendors?: TestVendors;
  /** What the app's error handler logged (500s and UNAVAILABLE). */
  logged: unknown[];
  /**
   * Stops the worker: an Update then waits, and the API answers 503 once its deadline passes
   * (with `requestDeadlineMs`, sooner than in production). `startWorker` starts a new one on the same task queue.
   */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  stop(): Promise<void>;
}

/**
 * The tests wait for the worker's confirmation as long as a request waits for Temporal at all, so a
 * slow moment of a busy CI machine never turns an expected 201 into a 202; the 202 path has a test of
 * its own (line-accepted.test.ts), with a short wait.
 */
export const TEST_CONFIRM_WITHIN_MS = REQUEST_DEADLINE_MS;

/**
 * Registers the file's set-up and tear-down and returns the harness, filled in
 * once `beforeAll` has run. With `failOnLoggedErrors` (the default), a test that
 * makes the app log a 500 or UNAVAILABLE fails.
 */
export function useHarness({
  failOnLoggedErrors = true,
  vendors = false,
  mail,
  requestDeadlineMs,
  confirmWithinMs = TEST_CONFIRM_WITHIN_MS,
  temporalAddress,
}: {
  failOnLoggedErrors?: boolean;
  /** Another Temporal than the run's dev server (the cluster smoke test), read when `beforeAll` runs. */
  temporalAddress?: () => string;
  vendors?: boolean;
  /** How long the app waits for Temporal before a 503 (default: production's). */
  requestDeadlineMs?: number;
  /** How long a request that may be answered 202 waits for the worker (default TEST_CONFIRM_WITHIN_MS). */
  confirmWithinMs?: number;
  /** The worker's mail settings, read when `beforeAll` runs (so a file may fill in `smtpUrl` in a `beforeAll` of its own, declared first). */
  mail?: { smtpUrl?: string; from: string };
} = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness({ vendors, mail, requestDeadlineMs, confirmWithinMs, temporalAddress: temporalAddress?.() }));
  });
  afterAll(async () => {
    await h.stop?.();
  });
  if (failOnLoggedErrors) {
    afterEach(() => {
      expect(h.logged.splice(0)).toEqual([]);
    });
  }
  return h;
}

/**
 * With `vendors`, the worker drives a real Kamailio (SIPp acceptance) and the CTI emulator (lines and changes).
 * With `mail`, the worker sends its e-mail there (by default it has no SMTP server and sends none).
 */
export async function startHarness({
  vendors = false,
  mail,
  requestDeadlineMs,
  confirmWithinMs = TEST_CONFIRM_WITHIN_MS,
  temporalAddress,
}: {
  vendors?: boolean;
  mail?: { smtpUrl?: string; from: string };
  requestDeadlineMs?: number;
  confirmWithinMs?: number;
  temporalAddress?: string;
} = {}): Promise<Harness> {
  installTestRuntime();
  const address = temporalAddress ?? process.env.BUTLER_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('BUTLER_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');

  // Undone in reverse: HTTP server, worker, worker connection, client connection, database.
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    const failures: unknown[] = [];
    for (const s of stops.splice(0).reverse()) await s().catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
  };
  try {
    const db = await freshDatabase();
    stops.push(() => db.drop());
    await seedDefaults(db.pool);

    const connection = await Connection.connect({ address });
    stops.push(() => connection.close());
    const namespace = await registerNamespace(connection);
    const client = new Client({ connection, namespace });

    const nativeConnection = await NativeConnection.connect({ address });
    stops.push(() => nativeConnection.close());
    let testVendors: TestVendors | undefined;
    if (vendors) {
      testVendors = await startTestVendors();
      stops.push(() => testVendors!.stop());
    }
    const startWorker = (taskQueue?: string) =>
      startTestWorker({ connection: nativeConnection, namespace, taskQueue, pool: db.pool, vendors: testVendors, mail, outbound: LOCAL_OUTBOUND });
    let worker: TestWorker | undefined = await startWorker();
    const { taskQueue } = worker;
    const stopWorker = async () => {
      const stopping = worker;
      worker = undefined;
      await stopping?.stop();
    };
    stops.push(stopWorker);

    const grants: TokenGrant[] = ROLES.map((role) => ({ role, token: `${role}-${randomBytes(12).toString('hex')}`, subject: SUBJECTS[role] }));
    const tokens = Object.fromEntries(grants.map((g) => [g.role, g.token])) as Record<Role, string>;
    const logged: unknown[] = [];
    const deps: AppDeps = {
      pool: db.pool,
      auditSigner: testAuditSigner(),
      client,
      taskQueue,
      tokens: grants,
      log: { error: (obj) => logged.push(obj) },
      timing: loadConfig({}).timing,
      requestDeadlineMs,
      confirmWithinMs,
      outbound: LOCAL_OUTBOUND,
    };
    const app = createApp(deps);
    const server = await listen(app);
    stops.push(() => closeServer(server));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return {
      baseUrl,
      pool: db.pool,
      databaseUrl: db.url,
      ownerDatabaseUrl: db.ownerUrl,
      client,
      namespace,
      taskQueue,
      tokens,
      routes: apiRoutes(deps),
      vendors: testVendors,
      logged,
      stopWorker,
      startWorker: async () => {
        if (worker) throw new Error('the worker is running');
        worker = await startWorker(taskQueue);
      },
      call: (method, path, options) => call(baseUrl, method, path, options),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function call(baseUrl: string, method: string, path: string, { token, body, headers = {} }: CallOptions = {}): Promise<CallResult> {
  const init: RequestInit = { method: method.toUpperCase(), headers: { ...headers } };
  const h = init.headers as Record<string, string>;
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  // An event stream never ends: its answer is the status and headers; the stream is let go.
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, body: '', text: '', headers: res.headers };
  }
  const text = await res.text();
  // Whatever went wrong, a caller never sees a stack trace or a server path. A stored workflow
  // history (X-History-Sha256) is evidence served byte for byte: the activity failures Temporal
  // recorded in it keep their stack traces, as in the Temporal UI.
  if (!res.headers.has('x-history-sha256')) {
    expect(text).not.toMatch(/stack/i);
    expect(text).not.toContain('at /');
  }
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** A namespace of this file's own; the dev server may take a moment before it serves a new one. */
export async function registerNamespace(connection: Connection): Promise<string> {
  const namespace = `api-${randomBytes(4).toString('hex')}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      await connection.workflowService.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1 });
      return namespace;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function listen(app: ReturnType<typeof createApp>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1');
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** The body of a valid POST /api/v1/incidents, with overrides. */
export function incidentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '상담 1센터 교환기 장애',
    description: '1센터 상담원 전화 착신 불가',
    severity: 'P1',
    complexity: 'complex',
    system: 'PBX',
    center: '상담 1센터',
    source: 'monitoring',
    ...overrides,
  };
}

/** The paths named in a VALIDATION error's details, sorted. */
export function fieldPaths(body: { error?: { details?: unknown } }): string[] {
  const details = body.error?.details;
  if (!Array.isArray(details)) return [];
  return details.map((d: { path: string }) => d.path).sort();
}

/** Express path → the same path with sample values, e.g. /incidents/:id → /incidents/INC-999999. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`no sample value for :${name} in ${path}`);
    return encodeURIComponent(params[name]);
  });
}
