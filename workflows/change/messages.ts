import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { CHANGE_ACTIONS, type ChangeAction, type ChangeActionRequest, type ChangeState } from '../../domain/change/contracts';

/** The change workflow's messages, declared once: one Update per action, and the state query. */

export const changeStateQuery = defineQuery<ChangeState>('state');

/** Sent with the start (update-with-start): returns once the change is in the read model. */
export const changeSubmittedUpdate = defineUpdate<ChangeState>('submitted');

type ChangeUpdate<A extends ChangeAction> = ReturnType<typeof defineUpdate<ChangeState, [ChangeActionRequest<A>]>>;

export const changeUpdates = Object.fromEntries(
  Object.keys(CHANGE_ACTIONS).map((action) => [action, defineUpdate<ChangeState, [ChangeActionRequest]>(action)]),
) as { [A in ChangeAction]: ChangeUpdate<A> };

export function changeWorkflowId(changeId: string): string {
  return `change-${changeId}`;
}
