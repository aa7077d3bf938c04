import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PreflightInput, PreflightProblem } from '../../domain/preflight';
import { PREFLIGHT } from '../activity-options';

const { preflight } = proxyActivities<Activities>(PREFLIGHT);

/**
 * The checks of a line or change request against the PBX and the CTI, before the API accepts it
 * (domain/preflight.ts): the API has no vendor clients, the worker has. One activity; the API
 * starts this with a short execution timeout and waits for the problems it answers.
 */
export async function preflightWorkflow(input: PreflightInput): Promise<PreflightProblem[]> {
  return preflight(input);
}
