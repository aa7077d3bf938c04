import { Client, Connection } from '@temporalio/client';
import { startHoldingClaim } from '../../api/temporal-calls';
import { ConflictError, UnavailableError } from '../../domain/errors';
import { uniqueTaskQueue } from '../../runtime/embedded-worker';
import { registerNamespace } from './harness';

/**
 * The start of a workflow that holds a claim (a line's or a batch's DNs), against a real Temporal
 * server: a start not confirmed in time gives the claim back only when no workflow holds it.
 */

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.BUTLER_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: await registerNamespace(connection) });
});
afterAll(() => connection.close());

function claim(workflowId: string, start: () => Promise<string>, recorded?: string) {
  const released: string[] = [];
  return {
    released,
    run: () =>
      startHoldingClaim(
        { client, requestDeadlineMs: 1500 },
        { workflowId, start, recorded: async () => recorded, release: async () => void released.push(workflowId), failing: 'not confirmed in time' },
      ),
  };
}

test('a workflow started but not answered in time (no worker) keeps the claim: its workflow holds it, a retry finds it', async () => {
  const workflowId = `claim-slow-${uniqueTaskQueue()}`;
  const slow = claim(workflowId, () => client.workflow.execute('lineProvisioningWorkflow', { workflowId, taskQueue: uniqueTaskQueue('nobody'), args: [] }));
  await expect(slow.run()).rejects.toThrow(UnavailableError);
  expect(slow.released).toEqual([]);
  expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
  await client.workflow.getHandle(workflowId).terminate('test over');
});

test('a start that never reached Temporal gives the claim back; one the read model already shows is answered from it', async () => {
  const refused = claim(`claim-never-${uniqueTaskQueue()}`, () => Promise.reject(new Error('connection reset before the start was sent')));
  await expect(refused.run()).rejects.toMatchObject({ message: 'not confirmed in time' });
  expect(refused.released).toHaveLength(1);

  const recorded = claim(`claim-recorded-${uniqueTaskQueue()}`, () => Promise.reject(new Error('answer lost')), 'LN-000042 as stored');
  await expect(recorded.run()).resolves.toBe('LN-000042 as stored');
  expect(recorded.released).toEqual([]);
});

test('a workflow that already ended without taking up its claim (it started late and found it taken): the claim is given back, a 409 says send a new request', async () => {
  const workflowId = `claim-ended-${uniqueTaskQueue()}`;
  await client.workflow.start('lineProvisioningWorkflow', { workflowId, taskQueue: uniqueTaskQueue('nobody'), args: [] });
  await client.workflow.getHandle(workflowId).terminate('ended before it wrote anything');
  // The retry's start is refused: the ended run keeps the id (REJECT_DUPLICATE).
  const retry = claim(workflowId, () => Promise.reject(new Error('workflow execution already started')));
  const err = await retry.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConflictError);
  expect((err as Error).message).toContain('has already ended (TERMINATED)');
  expect(retry.released).toEqual([workflowId]);
});
