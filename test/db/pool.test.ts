import { withKeyLock } from '../../db/notifications.repo';
import { freshDatabase } from '../support/db';

/**
 * PostgreSQL restarting while a connection is checked out and held (a notification's key lock
 * is held across its SMTP and webhook sends) must fail that work, not end the process: the
 * chaos suite's worker died of exactly this, an 'error' event nobody listened to.
 */

let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase({ migrated: false });
});
afterAll(() => db.drop());

test('a held connection that the server ends fails its work; the process and the pool carry on', async () => {
  const crashes: unknown[] = [];
  const onUncaught = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    const outcome = withKeyLock(db.pool, 'notify:INC-000001:opened', async (held) => {
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // What a fast shutdown does to every session: the held one included.
      await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await new Promise((r) => setTimeout(r, 300));
      return held.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow(/terminat|Connection/i);
    expect(crashes).toEqual([]);
    const { rows } = await db.pool.query<{ ok: number }>('SELECT 1 AS ok');
    expect(rows[0]!.ok).toBe(1);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});
