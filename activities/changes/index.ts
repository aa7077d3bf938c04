import type { ChangeRequest, Verification } from '../../domain/change/contracts';
import { asActivity } from '../../adapters/vendor-errors';
import { stepKeys, type ChangeHandlerDeps, type Snapshot } from './handler';
import { createChangeHandlers, handlerFor } from './handlers';

/**
 * The four steps of carrying out a change (변경 관리), one activity each, for
 * every change type: the type's handler does the work. Idempotency keys are
 * `${changeId}:apply:…` and `${changeId}:restore:…`, so a retried step repeats nothing.
 */

export type { ChangeHandlerDeps } from './handler';

type ChangeStep = { changeId: string; change: ChangeRequest };

export function createChangeActivities(deps: ChangeHandlerDeps) {
  const handlers = createChangeHandlers(deps);
  return {
    snapshotChange: ({ change }: ChangeStep): Promise<unknown> => asActivity(() => handlerFor(handlers, change).snapshot(change)),

    applyChange: ({ changeId, change, snapshot }: ChangeStep & { snapshot: unknown }): Promise<void> =>
      asActivity(() => handlerFor(handlers, change).apply(change, snapshot as Snapshot, stepKeys(changeId, 'apply'))),

    verifyChange: ({ change }: ChangeStep): Promise<Verification> => asActivity(() => handlerFor(handlers, change).verify(change)),

    restoreChange: ({ changeId, change, snapshot }: ChangeStep & { snapshot: unknown }): Promise<void> =>
      asActivity(() => handlerFor(handlers, change).restore(change, snapshot as Snapshot, stepKeys(changeId, 'restore'))),
  };
}
