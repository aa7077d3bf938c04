import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Complexity, Severity, SlaSnapshot } from '../../domain/sla/model';
import type { FaultController } from '../../emulators/cti/faults';

/** What a recorded scenario is given and returns; the scenario lists (scenarios.ts and its per-process files) import it from here. */

export interface ScenarioContext {
  client: Client;
  taskQueue: string;
  sleep(duration: string): Promise<void>;
  now(): Promise<string>;
  sla(severity: Severity, complexity: Complexity): Promise<SlaSnapshot>;
  /** The recorder's database, for scenarios that need data (an asset register to inspect). */
  pool: Pool;
  /** The CTI emulator's fault injection, for scenarios whose vendor must fail (a termination left TERMINATION_FAILED). */
  ctiFaults: FaultController;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<WorkflowHandle>;
}

/** Polls a query until the state is there (a review waits on people, not on time: no clock to skip). */
export async function until<S>(handle: WorkflowHandle, read: () => Promise<S>, done: (s: S) => boolean): Promise<S> {
  for (let i = 0; i < 600; i++) {
    const s = await read();
    if (done(s)) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${handle.workflowId} did not reach the expected state`);
}
