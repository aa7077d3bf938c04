import { testAuditSigner } from '../../runtime/embedded-worker';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { appendAudit } from '../../db/audit.repo';
import { migrate } from '../../db/migrate';
import { assertLeastPrivilege, DatabaseRoleError, EVIDENCE_TABLES, excessPrivileges, grantApplicationRole } from '../../db/roles';
import { freshDatabase } from '../support/db';

/**
 * Least privilege (issue 17): connected as the application role, as the API and the worker are,
 * every way to change the evidence is refused by PostgreSQL itself; the work the application does
 * still goes through. And Butler refuses to start on a role that could rewrite the evidence.
 */

let db: Awaited<ReturnType<typeof freshDatabase>>;
let app: Client;

beforeAll(async () => {
  db = await freshDatabase();
  app = new Client({ connectionString: db.url });
  await app.connect();
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

test('the application role adds to the evidence and reads it, and does its everyday work', async () => {
  const link = await appendAudit(db.pool, testAuditSigner(), {
    actor: 'spm.kim',
    actorRole: 'spm',
    action: 'test',
    subject: 'x',
    requestId: null,
    remote: null,
    details: {},
  });
  expect((await app.query('SELECT hash FROM audit_log WHERE seq = $1', [link.seq])).rows).toEqual([{ hash: link.hash }]);
  await app.query(`INSERT INTO settings (key, value) VALUES ('least-privilege', '{}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
  await app.query(`DELETE FROM settings WHERE key = 'least-privilege'`);
  expect(await excessPrivileges(db.url)).toEqual([]);
});

test('the evidence is every table the database itself keeps append-only', async () => {
  const { rows } = await app.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'refuse_change_of_append_only' ORDER BY 1`,
  );
  expect(rows.map((r) => r.table)).toEqual([...EVIDENCE_TABLES].sort());
});

test("the audit chain's numbering cannot be run to its end, nor any working table truncated", async () => {
  await expect(app.query(`SELECT setval(pg_get_serial_sequence('audit_log', 'seq'), 9223372036854775807)`)).rejects.toThrow(/permission denied for sequence/);
  await expect(app.query('TRUNCATE incidents')).rejects.toThrow(/permission denied for table incidents/);
});

describe.each(EVIDENCE_TABLES)('%s, as the application role', (table) => {
  const swap = `${table}_swap_${randomBytes(3).toString('hex')}`;
  test.each([
    ['UPDATE', `UPDATE ${table} SET id = id`, /permission denied for table/],
    ['DELETE', `DELETE FROM ${table}`, /permission denied for table/],
    ['TRUNCATE', `TRUNCATE ${table}`, /permission denied for table/],
    ['DISABLE TRIGGER', `ALTER TABLE ${table} DISABLE TRIGGER ALL`, /must be owner of table/],
    ['DROP TRIGGER', `DROP TRIGGER ${table}_no_update ON ${table}`, /must be owner of (table|relation)/],
    ['CREATE TRIGGER', `CREATE TRIGGER t_${swap} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only()`, /permission denied/],
    ['ALTER (a column)', `ALTER TABLE ${table} ADD COLUMN forged text`, /must be owner of table/],
    ['DROP', `DROP TABLE ${table}`, /must be owner of table/],
    ['RENAME (the first half of a swap)', `ALTER TABLE ${table} RENAME TO ${swap}`, /must be owner of table/],
    ['a new table to swap in', `CREATE TABLE ${swap} (LIKE ${table} INCLUDING ALL)`, /permission denied for schema public/],
    ['a schema of its own ahead in the search path', `CREATE SCHEMA butler_app`, /permission denied for database/],
    ['triggers off for the session', `SET session_replication_role = replica`, /permission denied to set parameter/],
    [
      'a replaced trigger function',
      `CREATE OR REPLACE FUNCTION refuse_change_of_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`,
      /must be owner of function|permission denied/,
    ],
  ])('%s is refused', async (_what, statement, refusal) => {
    // `id` is not every table's column: a refusal for privilege comes before the column is looked at, or PostgreSQL says which.
    const sql = statement.replace('SET id = id', `SET ${await firstColumn(table)} = ${await firstColumn(table)}`);
    await expect(app.query(sql)).rejects.toThrow(refusal);
  });
});

test('Butler refuses a role that may create a schema of its own, or become a superuser through a membership', async () => {
  const name = `lp_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: db.ownerUrl });
  await admin.connect();
  const url = new URL(db.url);
  [url.username, url.password] = [name, 'role-secret'];
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'role-secret'`);
    await grantApplicationRole(db.ownerUrl, name);
    expect(await excessPrivileges(url.toString())).toEqual([]);
    // A schema named after the role comes first in the default search path: its own audit_log would stand in for the real one.
    await admin.query(`CREATE SCHEMA ${name} AUTHORIZATION ${name}`);
    expect(await excessPrivileges(url.toString())).toEqual([`${name} may create tables in schema ${name}`]);
    await admin.query(`DROP SCHEMA ${name}`);
    await admin.query(`GRANT ${new URL(db.ownerUrl).username} TO ${name}`);
    expect(await excessPrivileges(url.toString())).toEqual(expect.arrayContaining([`${name} is a superuser (or may become one)`]));
  } finally {
    await admin.query(`DROP OWNED BY ${name}`);
    await admin.query(`DROP ROLE ${name}`);
    await admin.end();
  }
});

test('Butler refuses a superuser, and an owner of the evidence, as its application role', async () => {
  await expect(assertLeastPrivilege(db.ownerUrl)).rejects.toThrow(DatabaseRoleError);
  expect(await excessPrivileges(db.ownerUrl)).toEqual(expect.arrayContaining([expect.stringMatching(/is a superuser/)]));

  // One role for everything (DATABASE_URL without DATABASE_OWNER_URL): it owns what it migrated.
  const name = `lp_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: db.ownerUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD 'owner-secret'`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
    const url = new URL(db.ownerUrl);
    url.username = name;
    url.password = 'owner-secret';
    url.pathname = `/${name}`;
    await migrate(url.toString());
    const problems = await excessPrivileges(url.toString());
    expect(problems).toEqual(expect.arrayContaining(EVIDENCE_TABLES.map((t) => expect.stringContaining(`owns ${t}`))));
    await expect(assertLeastPrivilege(url.toString())).rejects.toThrow(/DATABASE_OWNER_URL/);
    // An application role that does not exist is named, not created, when no password is given.
    await expect(grantApplicationRole(url.toString(), `${name}_app`)).rejects.toThrow(/does not exist/);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${name}`);
    await admin.end();
  }
});

test("docker-compose's init script creates the application role; Butler's grants then give it least privilege", async () => {
  const role = `compose_app_${randomBytes(3).toString('hex')}`;
  const owner = new URL(db.ownerUrl);
  const run = spawnSync('/bin/sh', [path.join(__dirname, '../../deploy/postgres/create-app-role.sh')], {
    env: {
      ...process.env,
      PGHOST: owner.hostname,
      PGPORT: owner.port,
      PGPASSWORD: decodeURIComponent(owner.password),
      POSTGRES_USER: decodeURIComponent(owner.username),
      POSTGRES_DB: owner.pathname.slice(1),
      BUTLER_APP_DB_ROLE: role,
      BUTLER_APP_DB_PASSWORD: "it's-a-secret",
    },
    encoding: 'utf8',
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  const appUrl = new URL(db.ownerUrl);
  appUrl.username = role;
  appUrl.password = encodeURIComponent("it's-a-secret");
  try {
    // Before the grants it can log in and do nothing; after them, exactly what the application needs.
    await expect(excessPrivileges(appUrl.toString())).resolves.toEqual([]);
    await grantApplicationRole(db.ownerUrl, role);
    await assertLeastPrivilege(appUrl.toString());
    const client = new Client({ connectionString: appUrl.toString() });
    await client.connect();
    try {
      await client.query(`SELECT count(*) FROM audit_log`);
      await expect(client.query(`DELETE FROM audit_log`)).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  } finally {
    const admin = new Client({ connectionString: db.ownerUrl });
    await admin.connect();
    await admin.query(`DROP OWNED BY ${role}`);
    await admin.query(`DROP ROLE ${role}`);
    await admin.end();
  }
});

async function firstColumn(table: string): Promise<string> {
  const { rows } = await app.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum = 1`, [table]);
  return rows[0]!.name;
}
