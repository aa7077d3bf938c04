import type { Logger } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/**
 * The workflow code exactly as Butler runs it. The production worker, the tests'
 * workers and the replayer (runtime/replay.ts) all run this one bundle, so a history
 * that replays here replays in production. A workflow interceptor module or an
 * ignored module, if one is ever needed, is added here and nowhere else.
 */
export function bundleWorkflows(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger });
}
