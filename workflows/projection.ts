import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PROJECTION, READ_MODEL } from './activity-options';
import { PATCHES } from './patches';

type ReadModelActivity = 'projectIncident' | 'projectLine' | 'projectChange' | 'holdChangeWindow' | 'releaseChangeWindow';

const local = proxyLocalActivities<Pick<Activities, ReadModelActivity>>(PROJECTION);
const regular = proxyActivities<Pick<Activities, ReadModelActivity>>(READ_MODEL);

/**
 * The read-model writes of the incident, line and change workflows: regular
 * activities, whose completions history records in order; histories from before
 * that change replay the local activities they recorded.
 */
export function readModel<K extends ReadModelActivity>(name: K): Activities[K] {
  return ((...args: unknown[]) => {
    const activity = (patched(PATCHES.projectionActivity) ? regular[name] : local[name]) as (...a: unknown[]) => Promise<unknown>;
    return activity(...args);
  }) as Activities[K];
}
