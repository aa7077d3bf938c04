import { readFile, writeFile } from 'node:fs/promises';
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

/** The bundler's progress unsaid; its warnings and errors still on stderr (tests, benchmarks). */
export const QUIET_BUNDLER_LOGGER: Logger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};

/**
 * The bundle written to `file` (its source map beside it), so that processes started from the same
 * code share one bundling: the test run bundles once in its global setup, not once per test file.
 */
export async function writeWorkflowBundle(file: string, logger?: Logger): Promise<void> {
  const { code, sourceMap } = await bundleWorkflows(logger);
  await Promise.all([writeFile(file, code), writeFile(`${file}.map`, sourceMap)]);
}

export async function readWorkflowBundle(file: string): Promise<WorkflowBundleWithSourceMap> {
  const [code, sourceMap] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}.map`, 'utf8')]);
  return { code, sourceMap };
}
