import type { Pool } from 'pg';
import { holdWindow, releaseWindow, saveChange } from '../db/changes.repo';
import { recordLineChange } from '../db/lines.repo';
import type { ChangeContext, LineFollowResult } from '../domain/line/follow-change';
import type { TeamChangeSnapshot } from './changes/cti-team';
import type { ChangeRequest, ChangeState, ChangeWindow } from '../domain/change/contracts';
import { conflictsAreFinal } from './conflicts-are-final';

/** The change workflow's writes to PostgreSQL: its read model and the window its approval holds. */
export function createChangeRecordActivities({ pool }: { pool: Pool }) {
  return {
    async projectChange(state: ChangeState): Promise<void> {
      await saveChange(pool, state);
    },

    /** Holds the window on the target; another approved change overlapping it is a permanent Conflict. */
    async holdChangeWindow({ changeId, target, window }: { changeId: string; target: string; window: ChangeWindow }): Promise<void> {
      await conflictsAreFinal(() => holdWindow(pool, changeId, target, window));
    },

    /** The inventory follows a completed change: the line it altered takes the new fields and a history entry naming it (once, however often retried). */
    async recordLineChange({ changeId, change, snapshot }: { changeId: string; change: ChangeRequest; snapshot?: unknown }): Promise<LineFollowResult> {
      return recordLineChange(pool, changeId, change, new Date().toISOString(), contextOf(change, snapshot));
    },

    async releaseChangeWindow({ changeId }: { changeId: string }): Promise<void> {
      await releaseWindow(pool, changeId);
    },
  };
}

/** A team change's snapshot names the team's id, which the line's membership item keeps. */
function contextOf(change: ChangeRequest, snapshot: unknown): ChangeContext {
  if (change.type !== 'cti-team-add' && change.type !== 'cti-team-remove') return {};
  const { team, agents } = (snapshot ?? {}) as Partial<TeamChangeSnapshot>;
  return { ...(team ? { team } : {}), ...(agents ? { agents } : {}) };
}
