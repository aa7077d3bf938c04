import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import type { Config } from './config';
import { temporalConnectionOptions } from './temporal-connection';

/** The worker hosts every workflow type and activity on Butler's task queue. */
export async function createWorker(
  config: Config,
  temporalAddress: string,
  pool: Pool,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal, temporalAddress));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ pool, mail: config.mail, webhookUrl: config.webhookUrl }),
  });
  return { worker, connection };
}
