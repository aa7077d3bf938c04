import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { holdWindow, releaseWindow, saveChange } from '../db/changes.repo';
import type { ChangeState, ChangeWindow } from '../domain/change/contracts';
import { ConflictError } from '../domain/errors';

/** The change workflow's writes to PostgreSQL: its read model and the window its approval holds. */
export function createChangeRecordActivities({ pool }: { pool: Pool }) {
  return {
    async projectChange(state: ChangeState): Promise<void> {
      await saveChange(pool, state);
    },

    /** Holds the window on the target; another approved change overlapping it is a permanent Conflict. */
    async holdChangeWindow({ changeId, target, window }: { changeId: string; target: string; window: ChangeWindow }): Promise<void> {
      try {
        await holdWindow(pool, changeId, target, window);
      } catch (err) {
        if (err instanceof ConflictError) throw ApplicationFailure.create({ type: 'Conflict', message: err.message, nonRetryable: true });
        throw err;
      }
    },

    async releaseChangeWindow({ changeId }: { changeId: string }): Promise<void> {
      await releaseWindow(pool, changeId);
    },
  };
}
