import { Pool } from 'pg';

/** One pool per process; every repository takes it as an argument. */
export function createPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

export type { Pool };
