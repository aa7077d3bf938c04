/**
 * What the HTTP API costs over the raw Temporal client.
 *
 * Opens N incidents and drives each through open → assign → resolve, once via
 * the API (HTTP + auth + zod + read-model lookups) and once via the raw client
 * (the same Updates, the same workflow, the same server and worker), at the
 * same concurrency. Prints throughput, p50/p99 per lifecycle and the ratio.
 * As in production, the worker and the API run in processes of their own;
 * this process only generates the load. The same run measures each Temporal
 * topology in turn on the same PostgreSQL: the dev server (SQLite, one shard)
 * and the production topology's cluster (the real server's four services on
 * PostgreSQL, `--shards` history shards).
 *
 *   npm run bench -- [--n 200] [--concurrency 16] [--topologies dev-server,cluster] [--shards 4] [--workers 1,2]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { migrate } from '../db/migrate';
import { createPool } from '../system/postgres';
import { currentSlaSnapshot } from '../db/sla.repo';
import { seedDefaults } from '../db/seed';
import type { Actor } from '../domain/actor';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import type { TemporalTopology } from '../runtime/temporal-cluster';
import type { Pool } from 'pg';
import { stopChild } from '../system/child-process';
import { freePort } from '../system/ports';
import { installTestRuntime, uniqueTaskQueue } from '../runtime/embedded-worker';
import { benchEnv, startBenchTemporal, startWorkerAndApi, startWorkerProcess } from './butler-processes';
import { incidentOpenedUpdate, incidentUpdates, incidentWorkflowId } from '../workflows/incident/messages';
import type { incidentWorkflow } from '../workflows/incident/workflow';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get('n') ?? 200);
const CONCURRENCY = Number(args.get('concurrency') ?? 16);
const TOPOLOGIES = (args.get('topologies') ?? 'dev-server,cluster').split(',') as Topology[];
// Worker processes on the task queue, each count measured in turn: `--workers 1,2` shows how throughput grows.
const WORKERS = (args.get('workers') ?? '1').split(',').map(Number);
const SHARDS = Number(args.get('shards') ?? 4);
type Topology = TemporalTopology;
const TOKEN = 'bench-spm-token';
const actor: Actor = { id: 'bench', role: 'spm' };

const request = (i: number) => ({
  title: `벤치마크 장애 ${i}: 상담 1센터 교환기`,
  description: 'PRI 트렁크 다운',
  severity: 'P2' as const,
  complexity: 'complex' as const,
  system: 'PBX' as const,
  center: '상담 1센터',
  source: 'monitoring' as const,
});

async function main(): Promise<void> {
  installTestRuntime();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-'));
  const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  const pool = createPool(db.url, 20);
  const results: Array<{ topology: string; raw: Result; api: Result }> = [];
  try {
    await migrate(db.url);
    await seedDefaults(pool);
    // Raw-path incident ids differ per topology: both write to the one read model.
    let run = 0;
    for (const topology of TOPOLOGIES) {
      for (const workers of WORKERS) {
        const label = WORKERS.length > 1 ? `${topology} ×${workers}` : topology;
        results.push({ topology: label, ...(await measure(topology, dataDir, db, pool, run++ * 10_000_000, workers)) });
      }
    }
  } finally {
    await pool.end();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  console.log(`incidents per round: ${N}, concurrency: ${CONCURRENCY}, lifecycle: open → assign → resolve (median of the rounds shown)`);
  console.log(table(results.flatMap((r) => [r.raw, r.api].map((x) => ({ ...x, name: `${r.topology} ${x.name}` })))));
  for (const r of results) {
    console.log(
      `${r.topology}: API over raw client p50 ${fmtPct((r.api.p50 / r.raw.p50 - 1) * 100)}, p99 ${fmtPct((r.api.p99 / r.raw.p99 - 1) * 100)}, throughput ratio ${(r.api.perSecond / r.raw.perSecond).toFixed(3)}`,
    );
  }
  const [a, b] = results;
  if (a && b) {
    console.log(
      `${b.topology} / ${a.topology}: throughput via API ${(b.api.perSecond / a.api.perSecond).toFixed(2)}×, raw ${(b.raw.perSecond / a.raw.perSecond).toFixed(2)}×; p50 via API ${(b.api.p50 / a.api.p50).toFixed(2)}×, p99 ${(b.api.p99 / a.api.p99).toFixed(2)}×`,
    );
  }
}

/** One topology: its Temporal, a worker and an API on it, rounds of both paths, everything stopped again. */
async function measure(
  topology: Topology,
  dataDir: string,
  db: EmbeddedDatabase,
  pool: Pool,
  ids: number,
  workers: number,
): Promise<{ raw: Result; api: Result }> {
  const temporal = await startBenchTemporal(topology, { dataDir, postgresUrl: db.url, shards: SHARDS });
  const apiPort = await freePort();
  const taskQueue = uniqueTaskQueue('bench');
  const children: ChildProcess[] = [];
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const env = await benchEnv(temporal.address, db, dataDir, taskQueue);
    const { baseUrl: base } = await startWorkerAndApi({ env, apiPort, token: TOKEN, children });
    for (let w = 1; w < workers; w++) children.push(await startWorkerProcess(env));
    const client = new Client({ connection });

    const viaApi = async (i: number) => {
      const post = async (p: string, body: unknown) => {
        const res = await fetch(`${base}${p}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${p} → ${res.status} ${await res.text()}`);
        return (await res.json()) as { id: string };
      };
      const { id } = await post('/api/v1/incidents', request(i));
      await post(`/api/v1/incidents/${id}/assign`, { assignee: 'lee' });
      await post(`/api/v1/incidents/${id}/resolve`, { resolution: 'restored' });
    };

    // The raw path snapshots the same policy, once: the API's per-request lookups are part of its cost.
    const sla = (await currentSlaSnapshot(pool, 'P2', 'complex'))!;
    const viaClient = async (i: number) => {
      const id = `INC-RAW${String(i).padStart(6, '0')}`;
      const workflowId = incidentWorkflowId(id);
      await client.workflow.executeUpdateWithStart(incidentOpenedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
          workflowId,
          taskQueue,
          args: [{ ...request(i), id, openedBy: actor, openedAt: new Date().toISOString(), sla }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      const handle = client.workflow.getHandle(workflowId);
      await handle.executeUpdate(incidentUpdates.assign, { args: [{ action: 'assign', body: { assignee: 'lee' }, actor }] });
      await handle.executeUpdate(incidentUpdates.resolve, { args: [{ action: 'resolve', body: { resolution: 'restored' }, actor }] });
    };

    // Warm-up: bundle caches, connection pools, JIT.
    await run('warm-up', Math.min(20, N), viaClient, ids + 1_000_000);
    await run('warm-up', Math.min(20, N), viaApi, 0);

    // Alternate the two paths so neither gains from running on a fresher server or database.
    const rounds = Number(args.get('rounds') ?? 3);
    const raws: Result[] = [];
    const apis: Result[] = [];
    for (let r = 0; r < rounds; r++) {
      raws.push(await run('raw client', N, viaClient, ids + 2_000_000 + r * N));
      apis.push(await run('HTTP API', N, viaApi, 0));
    }
    return { raw: median(raws), api: median(apis) };
  } finally {
    await Promise.all(children.map(stopChild));
    await connection.close();
    await temporal.stop();
  }
}

interface Result {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  wallMs: number;
}

async function run(name: string, n: number, lifecycle: (i: number) => Promise<void>, offset: number): Promise<Result> {
  process.stderr.write(`  ${name}: ${n} lifecycles\n`);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
      while (next < n) {
        const i = offset + next++;
        const t0 = performance.now();
        await lifecycle(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { name, perSecond: (n / wallMs) * 1000, p50: pct(50), p99: pct(99), wallMs };
}

/** The round with the median throughput. */
function median(results: Result[]): Result {
  return [...results].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(results.length / 2)];
}

function table(rows: Result[]): string {
  const head = 'path                     lifecycles/s   p50 ms   p99 ms   wall s';
  return [
    head,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(24)} ${r.perSecond.toFixed(1).padStart(12)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${(r.wallMs / 1000).toFixed(1).padStart(8)}`,
    ),
  ].join('\n');
}

function fmtPct(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
