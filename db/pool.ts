import { Pool, type PoolConfig } from 'pg';

/**
 * One pool per process; every repository takes it as an argument.
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

export type { Pool };
