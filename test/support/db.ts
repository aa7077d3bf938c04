import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../system/postgres';
import { EMBEDDED_APP_ROLE, grantApplicationRole } from '../../db/roles';
import { EMBEDDED_APP_PASSWORD, embeddedAppUrl } from '../../runtime/embedded-postgres';

/**
 * A fresh database for one test file, on the run's embedded PostgreSQL; migrated unless asked not
 * to. Migrated, `url` and `pool` are the application role's, with the grants Butler gives it
 * (db/roles.ts), as the API and the worker connect; `ownerUrl` is the owner's (the run's
 * superuser), for what only an owner may do. Not migrated, all three are the owner's.
 */
export async function freshDatabase({ migrated = true } = {}): Promise<{ url: string; ownerUrl: string; pool: Pool; drop(): Promise<void> }> {
  const base = process.env.BUTLER_TEST_DATABASE_URL;
  if (!base) throw new Error('BUTLER_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const ownerUrl = withDatabase(base, name);
  let url = ownerUrl;
  if (migrated) {
    await migrate(ownerUrl);
    await grantApplicationRole(ownerUrl, EMBEDDED_APP_ROLE, EMBEDDED_APP_PASSWORD);
    url = embeddedAppUrl(Number(new URL(ownerUrl).port), name);
  }
  const pool = createPool(url);
  return {
    url,
    ownerUrl,
    pool,
    drop: async () => {
      await pool.end();
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
