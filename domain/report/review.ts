import type { Actor } from '../actor';
import { ApproveRequest, ReturnRequest, type ReviewDecision, type ReviewStatus } from './contracts';

/** The SPM's review of an inspection or a QSR report: approved reports are delivered, returned ones end the run. */

export const REVIEWABLE_FROM: readonly ReviewStatus[] = ['AWAITING_REVIEW'];

export const REVIEW_ACTIONS = {
  approve: { body: ApproveRequest, decision: 'approved' },
  return: { body: ReturnRequest, decision: 'returned' },
} as const;
export type ReviewAction = keyof typeof REVIEW_ACTIONS;

export function decide(action: ReviewAction, body: unknown, actor: Actor, at: string): ReviewDecision {
  const parsed = REVIEW_ACTIONS[action].body.parse(body ?? {});
  return { decision: REVIEW_ACTIONS[action].decision, by: actor, at, comments: parsed.comments ?? null };
}
