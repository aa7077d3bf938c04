import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/**
 * The workflow code exactly as Butler runs it. The production worker, the tests'
 * workers and the replayer (runtime/replay.ts) all run this one bundle, so a history
 * that replays here replays in production. A workflow interceptor module or an
 * ignored module, if one is ever needed, is added here and nowhere else.
 */
export async function bundleWorkflows(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  const shared = sharedWorkflowModules();
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-bundle-'));
  try {
    // Last: once every shared module is loaded, their schemas' lazy caches are filled before the sandbox freezes them.
    const fill = path.join(dir, 'fill-shared-schema-caches.js');
    writeFileSync(
      fill,
      `// Written by runtime/workflow-bundle.ts for one bundling.\n` +
        `require(${JSON.stringify(require.resolve('../domain/zod-caches'))}).fillZodCaches([\n` +
        [...new Set([...shared.filter((m) => path.isAbsolute(m)), ...workflowFiles()])].map((m) => `  require(${JSON.stringify(m)}),\n`).join('') +
        `]);\n`,
    );
    return await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger, preloadModules: [...shared, fill] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The modules every workflow shares instead of evaluating its own copy: zod, the domain/ modules the
 * workflows import, and the workflows themselves (workflows/index.ts and all it imports). The SDK's
 * reusable V8 context gives each cached workflow its own module cache, so each open incident held
 * every zod schema of the contracts again (about 2 MB of heap a workflow: 2,000 open incidents took
 * 4.5 GiB), and then every workflow module of every workflow type (about 70 KB more a workflow).
 *
 * Shared is safe because none of them keeps state a workflow writes:
 * - domain/ is pure (no I/O, no clock, no randomness; its few module constants are read-only lookup
 *   sets), checked by the `domain-is-pure` import rule;
 * - workflows/ keeps a workflow's state inside the workflow function's call, never at module level:
 *   its module constants are message definitions, activity proxies (which find the running workflow
 *   at each call) and option objects, and ESLint refuses a module-level `let`, `var` or collection
 *   there (eslint.config.mjs);
 * - zod schemas do not change once their lazy caches are filled (domain/zod-caches.ts), for every
 *   module here, workflows/ included.
 * The sandbox deep-freezes what the shared modules export, so a write to an exported object fails
 * loudly rather than leak. A module's unexported constants are shared but not frozen: like the
 * exported ones they are read-only by convention (message names, option objects, label tables).
 * The replay fixtures and the workflow tests run on this bundle.
 */
export function sharedWorkflowModules(): string[] {
  const root = path.resolve(__dirname, '..');
  const seen = new Set<string>();
  const visit = (file: string) => {
    for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export) (?!type )[^;]*? from '(\.[^']+)';/gms)) {
      const target = resolveTs(path.resolve(path.dirname(file), match[1]!));
      if (target && target.startsWith(path.join(root, 'domain') + path.sep) && !seen.has(target)) {
        seen.add(target);
        visit(target);
      }
    }
  };
  workflowFiles().forEach(visit);
  return ['zod', ...[...seen].sort(), path.join(root, 'workflows', 'index.ts')];
}

/** Every module under workflows/: all of them are shared once workflows/index.ts is, and all are made freeze-ready. */
function workflowFiles(): string[] {
  const dir = path.resolve(__dirname, '..', 'workflows');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file))
    .sort();
}

function resolveTs(base: string): string | undefined {
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
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
