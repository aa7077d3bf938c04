import { Connection } from '@temporalio/client';
import { freshDatabase } from '../support/db';

test('the run has a real PostgreSQL and a real Temporal server', async () => {
  const db = await freshDatabase();
  const { rows } = await db.pool.query('SELECT version() AS v, count(*)::int AS n FROM sla_policies');
  expect(rows[0].v).toMatch(/^PostgreSQL \d+/);
  await db.drop();
  const connection = await Connection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS });
  const health = await connection.healthService.check({});
  expect(health.status).toBe(1); // SERVING
  await connection.close();
});
