import { startWorkerStack, type WorkerStack } from '../worker-stack';

export type InspectionStack = Pick<WorkerStack, 'databaseUrl' | 'temporalAddress' | 'taskQueue' | 'pbx' | 'workerPid' | 'kamailioPid' | 'logFile' | 'warnings'>;

/**
 * The benchmark stack without an API: inspections are started with a Temporal
 * client, as the schedule does. Schedules are off, so nothing else runs meanwhile.
 */
export async function startStack(opts: { workerLogLevel: string }): Promise<InspectionStack> {
  return startWorkerStack({ name: 'inspection', workerLogLevel: opts.workerLogLevel, realPbxNote: 'real Kamailio', env: { SCHEDULES_ENABLED: 'false' } });
}
