/**
 * The monthly inspection at 100 to 500 devices: wall time, and how it grows.
 *
 * Starts the real stack once (embedded PostgreSQL, the Temporal dev server,
 * the worker in a process of its own with the CTI emulator, the telemetry
 * simulator and the embedded Kamailio or the PBX simulator). For each size
 * the asset register is replaced by `syntheticDevices(n)`, an inspection is
 * started as the schedule starts one (a unique id and period per run), and
 * timed until its read model says AWAITING_REVIEW; then it and the incidents
 * its critical findings opened are terminated. Prints, per run, where the
 * time went (from the workflow history: collectors, incidents, report), then
 * a markdown table for the README, the growth from the smallest size to the
 * largest, and the report activity step by step. Figures only: nothing is
 * asserted.
 *
 *   npm run bench:inspection -- [--sizes 100,200,300,500] [--concurrency 4] [--centers 3] [--repeat 1]
 *                               [--warmup 30] [--poll-ms 25] [--timeout-s 600] [--worker-log-level info]
 *
 * --concurrency: collectors at once (the workflow's input; absent: the workflow's default, 4).
 * --warmup: devices of a first, unreported inspection (Chromium launch, bundle, pools); 0: none.
 * The worker's log is kept in /tmp/butler-bench-inspection-*.log.
 */
import { cpus } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../../system/postgres';
import { isInterrupted, onStop, runBenchmark } from '../line-provisioning/cleanup';
import { reportWarnings } from '../line-provisioning/report';
import { sleep } from '../line-provisioning/wait';
import { cpuByComponent, cpuDelta, inspectionCpuComponents } from './cpu';
import { registerDevices } from './devices';
import { analysePhases } from './phases';
import { reportAnatomy } from './render-anatomy';
import { medianBySize, reportRun, reportTable, type Measured } from './report';
import { endInspection, runInspection, type RunOptions } from './run';
import { startStack } from './stack';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const SIZES = (args.get('sizes') ?? '100,200,300,500').split(',').map(Number);
const CONCURRENCY = args.has('concurrency') ? Number(args.get('concurrency')) : undefined;
const CENTERS = Number(args.get('centers') ?? 3);
const REPEAT = Math.max(1, Number(args.get('repeat') ?? 1));
const WARMUP = Number(args.get('warmup') ?? 30);
const POLL_MS = Number(args.get('poll-ms') ?? 25);
const TIMEOUT_MS = Number(args.get('timeout-s') ?? 600) * 1000;
const WORKER_LOG_LEVEL = args.get('worker-log-level') ?? 'info';
/** The workflow's DEFAULT_CONCURRENCY, for the lane figures when --concurrency is not given. */
const WORKFLOW_DEFAULT_CONCURRENCY = 4;

async function main(): Promise<void> {
  if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers, got ${args.get('sizes')}`);
  console.log('starting PostgreSQL, Temporal and the worker (CTI emulator, telemetry simulator, PBX)…');
  const stack = await startStack({ workerLogLevel: WORKER_LOG_LEVEL });
  console.log(`PBX: ${stack.pbx}; worker log: ${stack.logFile}`);
  const pool = createPool(stack.databaseUrl, 2);
  onStop('database pool', () => pool.end());
  const connection = await Connection.connect({ address: stack.temporalAddress });
  onStop('Temporal client', () => connection.close());
  const client = new Client({ connection });

  let runNo = 0;
  // A period of its own per run, a year apart: no run's incidents are claimed by another, nor its readings in another's trends.
  const measureOne = async (n: number, opts: RunOptions) => {
    runNo++;
    const centers = await registerDevices(pool, n, CENTERS);
    const run = await runInspection(client, pool, n, `BENCH-${n}-${runNo}`, `${2000 + runNo}-01`, { ...opts, centers });
    await endInspection(client, run);
    return run;
  };
  const opts: RunOptions = { taskQueue: stack.taskQueue, centers: [], concurrency: CONCURRENCY, pollMs: POLL_MS, timeoutMs: TIMEOUT_MS };

  if (WARMUP > 0) {
    const warm = await measureOne(WARMUP, opts);
    console.log(`warm-up: ${WARMUP} devices in ${((warm.awaitingReviewAt - warm.requestedAt) / 1000).toFixed(2)} s (not counted)`);
  }
  const components = inspectionCpuComponents(stack);
  const measured: Measured[] = [];
  for (const n of SIZES) {
    for (let r = 0; r < REPEAT && !isInterrupted(); r++) {
      await sleep(1_000); // terminated incidents and late notices settle
      const before = cpuByComponent(components);
      const run = await measureOne(n, opts);
      const m: Measured = { run, phases: analysePhases(run.history), cpu: cpuDelta(before, cpuByComponent(components)) };
      measured.push(m);
      reportRun(m, CONCURRENCY ?? WORKFLOW_DEFAULT_CONCURRENCY);
    }
  }
  if (isInterrupted() || !measured.length) return;
  const rows = medianBySize(measured);
  reportTable(rows, {
    cores: cpus().length,
    pbx: stack.pbx.replace(/,.*/, ''),
    concurrency: CONCURRENCY === undefined ? `${WORKFLOW_DEFAULT_CONCURRENCY} (the workflow's default)` : String(CONCURRENCY),
    repeat: REPEAT,
  });
  await reportAnatomy(pool, rows.length > 1 ? [rows[0]!, rows.at(-1)!] : rows);
  reportWarnings(stack.warnings);
}

runBenchmark(main);
