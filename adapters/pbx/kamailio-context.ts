import { createPool } from '../../system/postgres';
import type { Pool } from 'pg';
import { asVendorCall } from './kamailio-errors';
import type { KamailioRpc } from './kamailio-rpc';
import { ensureButlerPbxTables } from './kamailio-tables';

/** What every part of the Kamailio adapter shares. */
export interface KamailioContext {
  rpc: KamailioRpc;
  /** The SIP domain this PBX serves; every extension lives in it. */
  domain: string;
  /** Runs one adapter call against the database: Butler's tables exist, failures are vendor errors. */
  run<T>(work: (pool: Pool) => Promise<T>): Promise<T>;
  /** Runs a call that only asks the running Kamailio (no database). */
  live<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` while holding a PostgreSQL advisory lock named `name`: one at a time across every Butler worker. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createKamailioContext(databaseUrl: string, rpc: KamailioRpc, domain: string): KamailioContext {
  // A short connect timeout: an unreachable database is a transient error, not a hung activity.
  const pool = createPool(databaseUrl, 10, { connectionTimeoutMillis: 5_000 });
  let tables: Promise<void> | undefined;
  const ready = async (): Promise<void> => {
    tables ??= (async () => {
      const client = await pool.connect();
      try {
        await ensureButlerPbxTables(client);
      } finally {
        client.release();
      }
    })();
    // Forget a failed attempt so the next call tries again.
    await tables.catch((err: unknown) => {
      tables = undefined;
      throw err;
    });
  };
  return {
    rpc,
    domain,
    run: (work) =>
      asVendorCall(async () => {
        await ready();
        return work(pool);
      }),
    live: (work) => asVendorCall(work),
    exclusive: async (name, work) => {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`butler:${name}`]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`butler:${name}`]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
