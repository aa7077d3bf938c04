import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ensureButlerPbxTables } from '../kamailio-tables';

/** Kamailio's schema files, in load order; each inserts its tables' `version` rows. */
const SCHEMA_FILES = ['standard', 'auth_db', 'usrloc', 'dialplan', 'dispatcher', 'permissions', 'acc'];

export const DEFAULT_SCHEMA_DIR = '/usr/share/kamailio/postgres';

export interface KamailioDatabaseInput {
  /** Admin URL of the PostgreSQL server (may create roles and databases). */
  adminUrl: string;
  database: string;
  password: string;
  schemaDir?: string;
}

/**
 * Makes sure Kamailio's database exists with everything its modules check at
 * start-up, and returns the URL Kamailio connects with. The role has the
 * database's name and owns it: on PostgreSQL 15+ only the owner may create
 * tables in `public`. Safe to run at every start.
 */
export async function prepareKamailioDatabase(input: KamailioDatabaseInput): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(input.database)) {
    throw new Error(`kamailio database name "${input.database}" must be lower-case letters, digits and _`);
  }
  await ensureRoleAndDatabase(input);
  const url = withCredentials(input.adminUrl, input.database, input.password);
  await loadSchemas(url, input.schemaDir ?? DEFAULT_SCHEMA_DIR);
  return url;
}

async function ensureRoleAndDatabase({ adminUrl, database, password }: KamailioDatabaseInput): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = admin.escapeIdentifier(database);
    const roleFound = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [database]);
    // The password is (re)set every time, so a lost password file is healed rather than fatal.
    const verb = roleFound.rowCount === 0 ? 'CREATE' : 'ALTER';
    await admin.query(`${verb} ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
    const dbFound = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (dbFound.rowCount === 0) await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
  } finally {
    await admin.end();
  }
}

async function loadSchemas(url: string, schemaDir: string): Promise<void> {
  // Connected as the Kamailio role, so the tables are its own.
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const loaded = await loadedTables(client);
    for (const name of SCHEMA_FILES) {
      const file = path.join(schemaDir, `${name}-create.sql`);
      const sql = readFileSync(file, 'utf8');
      const tables = versionedTables(sql);
      const present = tables.filter((t) => loaded.has(t));
      if (present.length === tables.length) continue;
      if (present.length > 0) {
        throw new Error(`kamailio database: ${file} is half loaded (${present.join(', ')} present, not the rest); repair by hand`);
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('COMMIT');
      } catch (cause) {
        await client.query('ROLLBACK');
        throw new Error(`kamailio database: loading ${file} failed`, { cause });
      }
    }
    await ensureButlerPbxTables(client);
  } finally {
    await client.end();
  }
}

async function loadedTables(client: Client): Promise<Set<string>> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('version')::text AS t`);
  if (!exists.rows[0]?.t) return new Set();
  const rows = await client.query<{ table_name: string }>('SELECT table_name FROM version');
  return new Set(rows.rows.map((r) => r.table_name));
}

/** The tables a schema file registers in `version`: what the modules check. */
function versionedTables(sql: string): string[] {
  return [...sql.matchAll(/INSERT INTO version \(table_name, table_version\) values \('([^']+)'/gi)].map((m) => m[1]!);
}

function withCredentials(adminUrl: string, database: string, password: string): string {
  const u = new URL(adminUrl);
  u.username = database;
  u.password = password;
  u.pathname = `/${database}`;
  u.search = '';
  return u.toString();
}
