/**
 * Line provisioning under load: N lines requested at once through the HTTP
 * API, each taken from PENDING_CONTRACT to ACTIVE against the embedded
 * Kamailio (SIPp acceptance) and the CTI emulator.
 *
 * Each line: POST /lines/provisioning (an extension; every other one with a
 * CTI agent), POST /lines/:id/contract, then GET /lines/:id until ACTIVE or
 * FAILED. Prints lines per second, p50/p99 from contract to ACTIVE, the
 * failures, and where that time went: inside the adapter activities (PBX, CTI,
 * SIPp), inside Temporal (activity dispatch, workflow tasks) or in the
 * projections to PostgreSQL, from each workflow's event history.
 *
 * As in production (and as bench/incident-api-vs-client.ts does), the worker
 * and the API run in processes of their own, on free ports and a temporary
 * data folder, so a running `npm start` is not disturbed. Everything this
 * starts is stopped at the end, on an error, and on Ctrl-C.
 *
 *   npm run bench:lines -- [--n 200] [--concurrency 200] [--poll-ms 200] [--warmup 4] [--timeout-s 600]
 *                          [--worker-log-level info|debug]
 *
 * The worker's and the API's logs are kept in /tmp/butler-bench-lines-*.log
 * (with `--worker-log-level debug`, Kamailio's own lines too).
 */
import { Client, Connection } from '@temporalio/client';
import { inventory } from './api-client';
import { isInterrupted, onStop, runBenchmark } from './cleanup';
import { cpuByComponent, cpuComponents, reportCpu } from './cpu';
import { fetchHistories } from './history';
import { watchKamailio } from './kamailio';
import { provisionLines } from './load';
import { report, reportWarnings } from './report';
import { startStack } from './stack';
import { sleep } from './wait';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get('n') ?? 200);
const CONCURRENCY = Number(args.get('concurrency') ?? 200);
const POLL_MS = Number(args.get('poll-ms') ?? 200);
const WARMUP = Number(args.get('warmup') ?? 4);
const LINE_TIMEOUT_MS = Number(args.get('timeout-s') ?? 600) * 1000;
/** `debug` also puts Kamailio's own log lines in the log file. */
const WORKER_LOG_LEVEL = args.get('worker-log-level') ?? 'info';

async function main(): Promise<void> {
  console.log(`starting PostgreSQL, Temporal, the worker (CTI emulator, PBX) and the API…`);
  const stack = await startStack({ workerLogLevel: WORKER_LOG_LEVEL });
  console.log(`PBX: ${stack.pbx}; CTI: the CTI emulator (worker and API logs: ${stack.logFile})`);

  const connection = await Connection.connect({ address: stack.temporalAddress });
  onStop('Temporal client', () => connection.close());
  const client = new Client({ connection });
  const load = { concurrency: CONCURRENCY, pollMs: POLL_MS, lineTimeoutMs: LINE_TIMEOUT_MS };

  if (WARMUP > 0) {
    // Bundle caches, connection pools, Kamailio's tables, the CTI token: not part of the figures.
    const warm = await provisionLines(stack, { ...load, n: WARMUP, concurrency: WARMUP, dnBase: 60_000 });
    if (isInterrupted()) return;
    const bad = warm.filter((r) => r.failure);
    console.log(`warm-up: ${warm.length - bad.length}/${warm.length} ACTIVE${bad.length ? ` (${bad[0].failure})` : ''}`);
  }

  const wallStart = Date.now();
  const kamailio = watchKamailio(stack.kamailioPid());
  const components = cpuComponents(stack);
  const cpuBefore = cpuByComponent(components);
  const runs = await provisionLines(stack, { ...load, n: N, dnBase: 70_000 });
  const cpuAfter = cpuByComponent(components);
  kamailio.stop();
  if (isInterrupted()) return;
  console.log(`load done in ${((Date.now() - wallStart) / 1000).toFixed(1)} s; reading ${runs.filter((r) => r.final).length} workflow histories…`);
  const analyses = await fetchHistories(client, runs);
  report(runs, analyses, wallStart, load);
  reportCpu(cpuBefore, cpuAfter, Date.now() - wallStart);
  // A request answered 503 may still have started its workflow: such a line shows up here, holding its DN.
  await sleep(2_000);
  console.log('');
  console.log(`inventory after the run (bench DNs and warm-up): ${await inventory(stack)}`);
  if (kamailio.diedAt !== undefined) {
    console.log('');
    console.log(
      `KAMAILIO DIED ${((kamailio.diedAt - wallStart) / 1000).toFixed(1)} s into the run (pid ${kamailio.pid}); ` +
        'run with --worker-log-level debug to get its own log lines in the log file',
    );
  }
  reportWarnings(stack.warnings);
}

runBenchmark(main);
