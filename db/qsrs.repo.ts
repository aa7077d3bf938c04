import type { Pool } from 'pg';
import type { QsrState } from '../domain/qsr/contracts';
import { reviewedRuns } from './reviewed-runs.repo';
import { ID_PREFIX } from '../domain/ids';

/** The quarterly service reviews' read model, written by the QSR workflow's projection. */

const runs = reviewedRuns<QsrState>({
  table: 'qsrs',
  sequence: 'qsr_number_seq',
  prefix: ID_PREFIX.qsr,
  periodColumn: 'quarter',
  periodOf: (s) => s.quarter,
});

export const nextQsrId = runs.nextId;
export const qsrIdOfWorkflow = runs.idOfWorkflow;
export const saveQsr = runs.save;
export const findQsr = runs.find;

export async function qsrsInFlight(pool: Pool, quarter: string): Promise<string[]> {
  return (await runs.inFlight(pool, quarter)).map((r) => r.id);
}
