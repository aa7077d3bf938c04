/**
 * Many open incidents at once, on each Temporal topology in turn (the dev server, then the
 * production topology's cluster on PostgreSQL), same machine, same run:
 *
 * 1. SLA timer lateness: `--due` incidents (default 1,000) whose response deadlines fall due at the
 *    same instant (each opened with the same opening instant and one response target, 60 s or
 *    longer where opening them takes longer; their 50/75/90 % warnings fall due together too).
 *    Lateness = breach recorded − due instant, p50/p99. The first 5 % opened time the opening and
 *    keep an hour's target: the rest are measured.
 * 2. Worker memory: then `--open` incidents in all (default 10,000), every one open and cached
 *    (the sticky cache sized for them), and the worker's resident memory (VmRSS, and its peak VmHWM).
 *
 * The worker runs in a process of its own (as in production); this process opens the incidents
 * with the raw client (update-with-start, as the API does) and reads each one's state back.
 *
 *   npm run bench:open-incidents -- [--due 1000] [--open 10000] [--topologies dev-server,cluster] [--shards 4]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import type { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { currentSlaSnapshot } from '../db/sla.repo';
import { seedDefaults } from '../db/seed';
import type { Actor } from '../domain/actor';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { installTestRuntime, uniqueTaskQueue } from '../runtime/embedded-worker';
import type { TemporalTopology } from '../runtime/temporal-cluster';
import { stopChild } from '../system/child-process';
import { createPool } from '../system/postgres';
import { freePort } from '../system/ports';
import { incidentOpenedUpdate, incidentStateQuery, incidentWorkflowId } from '../workflows/incident/messages';
import type { incidentWorkflow } from '../workflows/incident/workflow';
import { benchEnv, startBenchTemporal, startWorkerProcess } from './butler-processes';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const DUE = Number(args.get('due') ?? 1_000);
const OPEN = Math.max(DUE, Number(args.get('open') ?? 10_000));
const TOPOLOGIES = (args.get('topologies') ?? 'dev-server,cluster').split(',') as Topology[];
const SHARDS = Number(args.get('shards') ?? 4);
const CONCURRENCY = 32;
const RESPONSE_TARGET_S = 60;
type Topology = TemporalTopology;
const actor: Actor = { id: 'bench', role: 'spm' };
const say = (line: string) => process.stderr.write(`[open-incidents] ${line}\n`);

interface Figures {
  topology: Topology;
  due: number;
  breached: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  open: number;
  openedPerSecond: number;
  rssMiB: number;
  peakMiB: number;
}

async function main(): Promise<void> {
  installTestRuntime();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-open-'));
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const pool = createPool(db.url, 20);
  const results: Figures[] = [];
  try {
    await migrate(db.url);
    await seedDefaults(pool);
    for (const [t, topology] of TOPOLOGIES.entries()) results.push(await measure(topology, dataDir, db, pool, `T${t}`));
  } finally {
    await pool.end();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  console.log(
    `SLA timers: ${DUE} incidents opened, the response deadlines of all but the first 5 % due at one instant (warnings at 50/75/90 % due together too); lateness = breach recorded − due`,
  );
  console.log('topology       breached   p50 ms   p99 ms   max ms');
  for (const r of results) console.log(`${r.topology.padEnd(14)} ${`${r.breached}/${r.due}`.padStart(9)} ${f(r.p50Ms)} ${f(r.p99Ms)} ${f(r.maxMs)}`);
  console.log('');
  console.log(`Worker memory: ${OPEN} open incidents, all cached (maxCachedWorkflows ${OPEN}); one worker process`);
  console.log('topology       opened/s   RSS MiB   peak MiB');
  for (const r of results) console.log(`${r.topology.padEnd(14)} ${r.openedPerSecond.toFixed(1).padStart(8)} ${f(r.rssMiB)} ${f(r.peakMiB)}`);
}

const f = (n: number) => String(Math.round(n)).padStart(8);

async function measure(topology: Topology, dataDir: string, db: EmbeddedDatabase, pool: Pool, idPrefix: string): Promise<Figures> {
  say(`${topology}: starting`);
  const temporal = await startBenchTemporal(topology, { dataDir, postgresUrl: db.url, shards: SHARDS });
  const taskQueue = uniqueTaskQueue('bench-open');
  const children: ChildProcess[] = [];
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const worker = await startWorkerProcess({ ...(await benchEnv(temporal.address, db, dataDir, taskQueue)), TEMPORAL_MAX_CACHED_WORKFLOWS: String(OPEN) });
    children.push(worker);
    const client = new Client({ connection });
    const base = (await currentSlaSnapshot(pool, 'P2', 'complex'))!;

    // 1. Deadlines due together: one opening instant for all, and a response target that falls after
    // they are all open (at least 60 s; longer where opening is slower, judged from the first 5 %).
    const openedAt = new Date().toISOString();
    const dueIds = Array.from({ length: DUE }, (_, i) => `INC-${idPrefix}D${String(i).padStart(6, '0')}`);
    const sample = dueIds.slice(0, Math.max(CONCURRENCY, Math.ceil(DUE / 20)));
    const t0 = performance.now();
    const probe = { ...base, clock: '24x7' as const, responseTargetSeconds: 3_600 };
    await inParallel(sample, (id) => open(client, taskQueue, id, openedAt, probe));
    const projectedS = ((performance.now() - t0) / 1000) * (DUE / sample.length);
    const targetS = Math.max(RESPONSE_TARGET_S, Math.ceil(projectedS * 1.5) + 20);
    // The sample's incidents were opened for the calibration only: the deadlines measured are the others'.
    const measured = dueIds.slice(sample.length);
    const dueSla = { ...base, clock: '24x7' as const, responseTargetSeconds: targetS };
    await inParallel(measured, (id) => open(client, taskQueue, id, openedAt, dueSla));
    const openMs = performance.now() - t0;
    say(`${topology}: ${DUE} incidents opened in ${(openMs / 1000).toFixed(1)} s; ${measured.length} of them due together ${targetS} s after opening`);
    if (openMs > (targetS - 5) * 1000) throw new Error(`opening took ${Math.round(openMs / 1000)} s: the deadlines would not fall due together`);
    const dueAt = Date.parse(openedAt) + targetS * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now()) + 5_000));
    const lateness = await breachLateness(client, measured, Date.now() + 120_000);
    lateness.sort((a, b) => a - b);
    const q = (p: number) => lateness[Math.min(lateness.length - 1, Math.ceil(p * lateness.length) - 1)] ?? NaN;
    say(`${topology}: ${lateness.length} of ${measured.length} breaches recorded, p99 ${q(0.99)} ms late`);

    // 2. Many open at once: the rest, with the policy's own (hours-long) targets.
    const restIds = Array.from({ length: OPEN - DUE }, (_, i) => `INC-${idPrefix}O${String(i).padStart(6, '0')}`);
    const t1 = performance.now();
    await inParallel(restIds, (id) => open(client, taskQueue, id, new Date().toISOString(), base));
    const openedPerSecond = (restIds.length / (performance.now() - t1)) * 1000;
    // Each one answers a query from the worker's cache (or is replayed into it).
    let unanswered = 0;
    await inParallel([...dueIds, ...restIds], (id) =>
      client.workflow
        .getHandle(incidentWorkflowId(id))
        .query(incidentStateQuery)
        .then(
          () => undefined,
          () => void unanswered++,
        ),
    );
    if (unanswered) say(`${topology}: ${unanswered} queries went unanswered`);
    const memory = memoryOf(worker.pid!);
    say(`${topology}: ${OPEN} open, worker RSS ${Math.round(memory.rssMiB)} MiB (peak ${Math.round(memory.peakMiB)} MiB)`);
    return {
      topology,
      due: measured.length,
      breached: lateness.length,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: lateness[lateness.length - 1] ?? NaN,
      open: OPEN,
      openedPerSecond,
      ...memory,
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await connection.close();
    await temporal.stop();
  }
}

async function open(client: Client, taskQueue: string, id: string, openedAt: string, sla: object): Promise<void> {
  await client.workflow.executeUpdateWithStart(incidentOpenedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
      workflowId: incidentWorkflowId(id),
      taskQueue,
      args: [
        {
          id,
          title: `벤치마크 장애 ${id}`,
          description: '동시 만료 SLA',
          severity: 'P2',
          complexity: 'complex',
          system: 'PBX',
          center: '상담 1센터',
          source: 'monitoring',
          openedBy: actor,
          openedAt,
          sla: sla as never,
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

/** Each incident's response breach: recorded instant minus the due instant it names, once all are recorded (or time is up). */
async function breachLateness(client: Client, ids: string[], deadline: number): Promise<number[]> {
  const late = new Map<string, number>();
  while (late.size < ids.length && Date.now() < deadline) {
    await inParallel(
      ids.filter((id) => !late.has(id)),
      async (id) => {
        // A query a busy worker does not answer in time is asked again on the next pass.
        const state = await client.workflow
          .getHandle(incidentWorkflowId(id))
          .query(incidentStateQuery)
          .catch(() => undefined);
        const breach = state?.timeline.find((e) => e.type === 'sla-breached' && e.details?.clock === 'response');
        if (breach) late.set(id, Date.parse(breach.at) - Date.parse(String(breach.details!.dueAt)));
      },
    );
    if (late.size < ids.length) await new Promise((r) => setTimeout(r, 2_000));
  }
  return [...late.values()];
}

async function inParallel<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The process's resident memory now and at its peak, from /proc. */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
