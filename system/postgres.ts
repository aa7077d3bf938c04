import { Pool, type PoolClient, type PoolConfig } from 'pg';

/** PostgreSQL connections as every part of Butler opens them: Butler's own database (db/) and the PBX's (adapters/pbx). */

/**
 * One pool per process and database; every repository takes Butler's as an argument.
 *
 * A connection that breaks (PostgreSQL restarted, the network dropped it) emits 'error' on its
 * client. The pool listens only while the client is idle; a client checked out and held across
 * other work (an advisory lock around a notification's sends, a transaction) has no listener,
 * and Node ends the process for an unheard 'error'. So every client gets one for its lifetime:
 * the query in flight fails by itself, and the pool discards the broken client on release.
 */
export function createPool(url: string, max = 10, options: Omit<PoolConfig, 'connectionString' | 'max'> = {}): Pool {
  const pool = new Pool({ connectionString: url, max, ...options });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
