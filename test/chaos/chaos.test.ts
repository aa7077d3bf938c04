import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ChaosReport } from '../../chaos/run';
import { INVARIANTS } from '../../chaos/invariants/violation';

/**
 * The chaos suite, short: three rounds with a fixed seed against the real
 * embedded stack (worker and API as processes of their own). It passes only
 * when nothing was violated AND the run really did something: faults of
 * several kinds went in, and every invariant was checked.
 */

// Its first rounds kill the worker and the API, restart PostgreSQL, Temporal and Kamailio, and fail the CTI.
const SEED = 99;
let report: ChaosReport;
let exitCode: number | null;

beforeAll(async () => {
  const root = path.join(__dirname, '..', '..');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'chaos', 'main.ts'), '--rounds', '3', '--seed', String(SEED), '--minutes', '12', '--json'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  exitCode = await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  report = JSON.parse(out) as ChaosReport;
}, 14 * 60_000);

test('the exit code says whether anything was violated', () => {
  expect(exitCode).toBe(report.violations.length === 0 ? 0 : 1);
  expect(report.seed).toBe(SEED);
});

test('faults of several kinds were injected, and each came back', () => {
  const kinds = Object.entries(report.faults)
    .filter(([, n]) => n > 0)
    .map(([k]) => k);
  expect(kinds.length).toBeGreaterThanOrEqual(4);
  expect(report.faultLog.filter((f) => f.error)).toEqual([]);
});

test('the workload ran: incidents, a line each round, a change and an inspection, mostly acknowledged', () => {
  // The time budget may hold only two of the three rounds on a slow machine.
  expect(report.roundsRun).toBeGreaterThanOrEqual(2);
  expect(report.workload.incidents).toBe(3 * report.roundsRun);
  expect(report.workload.lines).toBe(report.roundsRun);
  expect(report.workload.inspections).toBe(1);
  expect(report.workload.changes).toBeGreaterThanOrEqual(1);
  expect(report.workload.acked).toBeGreaterThan(report.workload.requests / 2);
});

test('every invariant was actually checked', () => {
  // The and the processes staying up; one dropped from the list would go unchecked.
  expect(INVARIANTS).toHaveLength(11);
  for (const invariant of INVARIANTS) {
    expect([invariant, report.checks[invariant] ?? 0]).toEqual([invariant, expect.any(Number)]);
    expect(report.checks[invariant]).toBeGreaterThan(0);
  }
});

test('no invariant was violated', () => {
  expect(report.violations.map((v) => `[${v.invariant}] ${v.subject}: ${v.detail}`)).toEqual([]);
});
