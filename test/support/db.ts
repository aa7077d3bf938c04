import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../system/postgres';

/** A fresh database for one test file, on the run's embedded PostgreSQL; migrated unless asked not to. */
export async function freshDatabase({ migrated = true } = {}): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const base = process.env.BUTLER_TEST_DATABASE_URL;
  if (!base) throw new Error('BUTLER_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(base, name);
  if (migrated) await migrate(url);
  const pool = createPool(url);
  return {
    url,
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
