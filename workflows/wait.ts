import { allHandlersFinished, condition } from '@temporalio/workflow';

/**
 * `condition`, then wait for running Update handlers to finish before going on.
 *
 * Handlers write the read model with a local activity. If the main path went on
 * at once and started a local activity of its own, both could be resolved in one
 * activation on replay though they were resolved in two when recorded, and the
 * commands would come out in another order: a non-determinism error. Letting the
 * handler finish first keeps the order the same every time.
 */
export async function waitFor(fn: () => boolean, timeout?: number): Promise<boolean> {
  const met = timeout === undefined ? (await condition(fn), true) : await condition(fn, timeout);
  await condition(allHandlersFinished);
  return met || fn();
}
