import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { seedDefaults } from '../../db/seed';
import { loadConfig } from '../../runtime/config';
import { freshDatabase } from '../support/db';
import { installTestRuntime, startTestWorker, uniqueTaskQueue, testAuditSigner } from '../../runtime/embedded-worker';
import { incidentBody, registerNamespace } from './harness';
import { startTestVendors } from '../support/vendors';

/**
 * No worker is polling: the caller still gets an answer in bounded time (503,
 * not a hung request), and a retry with the same Idempotency-Key once a worker
 * is back returns what the first request started.
 */

async function withoutWorker(
  run: (ctx: {
    post(path: string, body: unknown, key?: string): Promise<Response>;
    logged: unknown[];
    pool: Awaited<ReturnType<typeof freshDatabase>>['pool'];
    startWorker(): Promise<void>;
  }) => Promise<void>,
  { vendors = false }: { vendors?: boolean } = {},
): Promise<void> {
  installTestRuntime();
  // A line request is checked against the PBX and the CTI by the worker: that one needs them.
  const testVendors = vendors ? await startTestVendors() : undefined;
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
    auditSigner: testAuditSigner(),
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
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const native = await NativeConnection.connect({ address });
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  try {
    await run({
      post: (path, body, key) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
          body: JSON.stringify(body),
        }),
      logged,
      pool: db.pool,
      startWorker: async () => {
        worker = await startTestWorker({ connection: native, namespace, taskQueue, pool: db.pool, vendors: testVendors });
      },
    });
  } finally {
    await worker?.stop();
    await native.close();
    server.close();
    await connection.close();
    await db.drop();
    await testVendors?.stop();
  }
}

test('a stuck workflow answers 503 in time, and the same Idempotency-Key finds the incident later', async () => {
  await withoutWorker(async ({ post, logged, pool, startWorker }) => {
    const first = await post('/api/v1/incidents', incidentBody(), 'retry-me-1');
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({
      error: { code: 'UNAVAILABLE', message: 'the incident was not confirmed in time; retry with the same Idempotency-Key', details: null },
    });
    expect(logged).toHaveLength(1);

    await startWorker();
    const retry = await post('/api/v1/incidents', incidentBody(), 'retry-me-1');
    expect(retry.status).toBe(201);
    expect(await retry.json()).toMatchObject({ id: 'INC-000001', status: 'OPEN' });
    const { rows } = await pool.query('SELECT id FROM incidents');
    expect(rows).toEqual([{ id: 'INC-000001' }]);
  });
});

// A line request with no worker is 202, not 503: test/api/line-accepted.test.ts.

test('a batch that cannot be checked (no worker) is 503 and reserves nothing; the retry once a worker is back is the batch', async () => {
  await withoutWorker(
    async ({ post, pool, startWorker }) => {
      const body = {
        center: '상담 1센터',
        lines: [
          { dn: '7101', displayName: '재시도 1', lineType: 'extension' },
          { dn: '7102', displayName: '재시도 2', lineType: 'extension' },
        ],
      };
      const first = await post('/api/v1/line-batches', body, 'batch-retry-1');
      expect(first.status).toBe(503);
      expect(await first.json()).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringContaining('could not be checked') } });
      expect((await pool.query('SELECT id FROM lines')).rows).toEqual([]);
      expect((await pool.query('SELECT id FROM line_batches')).rows).toEqual([]);

      await startWorker();
      const retry = await post('/api/v1/line-batches', body, 'batch-retry-1');
      expect(retry.status).toBe(201);
      const batch = (await retry.json()) as { id: string; lines: { dn: string }[] };
      expect(batch.lines.map((l) => l.dn)).toEqual(['7101', '7102']);
      expect((await pool.query('SELECT id FROM line_batches')).rows).toEqual([{ id: batch.id }]);
    },
    { vendors: true },
  );
});
