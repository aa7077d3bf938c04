import { loadConfig } from '../../runtime/config';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { seedDefaults } from '../../db/seed';
import { freshDatabase } from '../support/db';
import { installTestRuntime, startTestWorker, uniqueTaskQueue } from '../support/worker';
import { incidentBody, registerNamespace } from './harness';

/**
 * No worker is polling: the caller still gets an answer in bounded time (503,
 * not a hung request), and a retry with the same Idempotency-Key once a worker
 * is back returns the incident the first request started.
 */
test('a stuck workflow answers 503 in time, and the same Idempotency-Key finds the incident later', async () => {
  installTestRuntime();
  const db = await freshDatabase();
  await seedDefaults(db.pool);
  const address = process.env.BUTLER_TEST_TEMPORAL_ADDRESS!;
  const connection = await Connection.connect({ address });
  const namespace = await registerNamespace(connection);
  const client = new Client({ connection, namespace });
  const taskQueue = uniqueTaskQueue('no-worker');
  const token = `spm-${randomBytes(8).toString('hex')}`;
  const logged: unknown[] = [];
  const app = createApp({
    pool: db.pool,
    client,
    taskQueue,
    tokens: [{ role: 'spm', token, subject: 'spm-kim' }],
    log: { error: (e) => logged.push(e) },
    requestDeadlineMs: 1500,
    timing: loadConfig({}).timing,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/incidents`;
  const post = () =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'retry-me-1' },
      body: JSON.stringify(incidentBody()),
    });
  const native = await NativeConnection.connect({ address });
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  try {
    const first = await post();
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({
      error: { code: 'UNAVAILABLE', message: 'the incident was not confirmed in time; retry with the same Idempotency-Key', details: null },
    });
    expect(logged).toHaveLength(1);

    worker = await startTestWorker({ connection: native, namespace, taskQueue, pool: db.pool });
    const retry = await post();
    expect(retry.status).toBe(201);
    const body = await retry.json();
    expect(body).toMatchObject({ id: 'INC-000001', status: 'OPEN' });
    const { rows } = await db.pool.query('SELECT id FROM incidents');
    expect(rows).toEqual([{ id: 'INC-000001' }]);
  } finally {
    await worker?.stop();
    await native.close();
    server.close();
    await connection.close();
    await db.drop();
  }
});
