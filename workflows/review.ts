import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../domain/incident/contracts';
import type { ReviewDecision, ReviewStatus } from '../domain/report/contracts';
import { decide, REVIEW_ACTIONS, REVIEWABLE_FROM, type ReviewAction } from '../domain/report/review';
import { rejectUnless } from './validators';

type ReviewUpdate<S> = UpdateDefinition<S, [{ body: unknown; actor: Actor }]>;

/**
 * The SPM's review Updates of an inspection or a QSR: approve or send back, once,
 * while the report awaits review. `settle` runs before the decision is taken (a
 * render still under way); `check` adds what else an approval needs.
 */
export function setReviewHandlers<S extends { status: ReviewStatus; review: ReviewDecision | null }>(
  state: S,
  updates: Record<ReviewAction, ReviewUpdate<S>>,
  options: { now: () => string; settle?: () => Promise<unknown>; check?: (action: ReviewAction) => void },
): void {
  for (const action of Object.keys(REVIEW_ACTIONS) as ReviewAction[]) {
    setHandler(
      updates[action],
      async ({ body, actor }) => {
        await options.settle?.();
        state.review = decide(action, body, actor, options.now());
        return state;
      },
      {
        validator: ({ body }) => {
          rejectUnless(state, action, REVIEWABLE_FROM, REVIEW_ACTIONS[action].body, body, state.review === null);
          options.check?.(action);
        },
      },
    );
  }
}
