import { migrate } from '../../db/migrate';
import { freshDatabase } from '../support/db';

/**
 * The API and the worker start together and both apply migrations (docker-compose starts them
 * at once): node-pg-migrate's lock refuses the second at once, so it must wait its turn, not fail.
 */
test('two processes migrating one database at once both succeed, and each migration runs once', async () => {
  const db = await freshDatabase({ migrated: false });
  try {
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    const applied = results.flat();
    expect(new Set(applied).size).toBe(applied.length);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pgmigrations');
    expect(rows[0]!.n).toBe(applied.length);
    expect(applied.length).toBeGreaterThan(5);
  } finally {
    await db.drop();
  }
});
