import { killGroup } from '../../system/child-process';

/**
 * The process groups this benchmark made (the worker's, the API's, Kamailio's),
 * so that a last synchronous SIGKILL on exit leaves nothing behind.
 */
const groups = new Set<number>();

export const trackGroup = (pgid: number) => groups.add(pgid);
export const untrackGroup = (pgid: number) => groups.delete(pgid);
/** Once the stack has been stopped in order, nothing is left to kill. */
export const forgetGroups = () => groups.clear();
export const killTrackedGroups = () => groups.forEach((pgid) => killGroup(pgid, 'SIGKILL'));
