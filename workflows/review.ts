import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../domain/actor';
import type { ReviewDecision, ReviewStatus, StoredReportRef } from '../domain/report/contracts';
import { decide, REVIEW_ACTIONS, REVIEWABLE_FROM, type ReviewAction } from '../domain/report/review';
import type { createNotifier, Notice } from './notifier';
import { rejectUnless } from './validators';
import { waitFor } from './wait';

type ReviewUpdate<S> = UpdateDefinition<S, [{ body: unknown; actor: Actor }]>;

/**
 * The SPM's review Updates of an inspection or a QSR: approve or send back, once,
 * while the report awaits review. `settle` runs before the decision is recorded (a
 * render still under way); `check` adds what else an approval needs. The decision
 * is claimed before that await, so a second one arriving meanwhile (approve and send
 * back at once) is refused rather than both being told "accepted". The returned
 * `open()` says whether the run still takes review input (e.g. proposals).
 */
export function setReviewHandlers<S extends { status: ReviewStatus; review: ReviewDecision | null }>(
  state: S,
  updates: Record<ReviewAction, ReviewUpdate<S>>,
  options: { now: () => string; settle?: () => Promise<unknown>; check?: (action: ReviewAction) => void },
): { open: () => boolean } {
  let claimed = false;
  const open = () => state.review === null && !claimed;
  for (const action of Object.keys(REVIEW_ACTIONS) as ReviewAction[]) {
    setHandler(
      updates[action],
      async ({ body, actor }) => {
        claimed = true;
        await options.settle?.();
        state.review = decide(action, body, actor, options.now());
        return state;
      },
      {
        validator: ({ body }) => {
          rejectUnless(state, action, REVIEWABLE_FROM, REVIEW_ACTIONS[action].body, body, open());
          options.check?.(action);
        },
      },
    );
  }
  return { open };
}

interface Reviewed {
  status: ReviewStatus;
  review: ReviewDecision | null;
  report: StoredReportRef | null;
  deliveredAt: string | null;
}

/**
 * The end of a reviewed run: waits for the SPM's decision on the report as last rendered.
 * Approved, the report goes to the customer and the SPM as an attachment (with the SPM's
 * comments) and the run is DELIVERED; sent back, it is RETURNED.
 */
export async function deliverWhenApproved(
  state: Reviewed,
  notices: ReturnType<typeof createNotifier>,
  now: () => string,
  delivery: Pick<Notice, 'key' | 'kind' | 'subject' | 'text'> & { data: Record<string, unknown> },
): Promise<void> {
  await waitFor(() => state.review !== null);
  const { decision, comments } = state.review!;
  if (decision !== 'approved') {
    state.status = 'RETURNED';
    return;
  }
  const report = state.report!;
  notices.send({
    key: delivery.key,
    kind: delivery.kind,
    audience: ['customer', 'spm'],
    subject: delivery.subject,
    text: `${delivery.text}${comments ? `\n\n${comments}` : ''}`,
    data: { ...delivery.data, reportId: report.reportId, sha256: report.sha256 },
    attachments: [report.reportId],
  });
  Object.assign(state, { status: 'DELIVERED', deliveredAt: now() });
}
