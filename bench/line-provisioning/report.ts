import { cpus } from 'node:os';
import type { Analysis } from './breakdown';
import { f0, f1, pct } from './figures';
import type { LineRun } from './load';
import { MAX_WARNINGS } from './processes';
import { reportActivities, reportTimeSplit } from './report-breakdown';

/** Prints a row of p50, p99 and max. */
const row = (name: string, v: number[]) =>
  console.log(`${name.padEnd(45)} ${f0(pct(v, 50)).padStart(8)} ${f0(pct(v, 99)).padStart(8)} ${f0(pct(v, 100)).padStart(8)}`);

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** The run: throughput, latencies as the client saw them and as the histories say, the failures. */
export function report(runs: LineRun[], analyses: Map<number, Analysis>, wallStart: number, load: { concurrency: number; pollMs: number }): void {
  const active = runs.filter((r) => r.final?.status === 'ACTIVE');
  const failed = runs.filter((r) => r.failure);
  const lastActive = Math.max(...active.map((r) => r.doneAt!));
  const wallS = active.length ? (lastActive - wallStart) / 1000 : NaN;

  console.log('');
  console.log(
    `lines: ${runs.length} (${runs.filter((r) => r.agent).length} with a CTI agent), concurrency ${Math.min(load.concurrency, runs.length)}, poll every ${load.pollMs} ms, machine: ${cpus().length} cores`,
  );
  console.log('');
  console.log('ACTIVE   failed   lines/s   wall s (first POST → last ACTIVE)');
  console.log(`${String(active.length).padStart(6)} ${String(failed.length).padStart(8)} ${f1(active.length / wallS).padStart(9)} ${f1(wallS).padStart(8)}`);

  const byStatus = (status: number) => runs.filter((r) => r.provisionStatus === status).length;
  const other503 = runs.reduce((n, r) => n + r.other503, 0);
  console.log(
    `provisioning POSTs answered 201 (checked, the workflow ran): ${byStatus(201)}; 202 (held by Temporal, not confirmed within the API's 5 s): ${byStatus(202)}; ` +
      `503s to contract POSTs and GETs: ${other503}`,
  );
  const retried = runs.filter((r) => r.retried503 > 0);
  if (retried.length) {
    console.log(
      `${retried.length} provisioning POSTs answered 503 and were retried with the same Idempotency-Key ` +
        `(${runs.reduce((n, r) => n + r.retried503, 0)} retries); their "POST provisioning → 201 or 202" includes the retries`,
    );
  }

  reportLatency(active, analyses);
  reportStart(runs, analyses);
  reportTimeSplit(active, analyses);
  reportActivities(analyses);
  reportFailures(failed);
}

function reportLatency(active: LineRun[], analyses: Map<number, Analysis>): void {
  const ofActive = (pick: (r: LineRun) => number | undefined, rs = active) => rs.map(pick).filter(finite);
  const window = (r: LineRun) => analyses.get(r.i)?.breakdown?.window;
  console.log('');
  console.log('latency, ms (ACTIVE lines)                       p50      p99      max');
  row(
    'POST provisioning → 201 or 202',
    ofActive((r) => r.provisionedAt! - r.postedAt),
  );
  row(
    'POST contract → 200',
    ofActive((r) => r.contractAnsweredAt! - r.contractSentAt!),
  );
  row('contract → ACTIVE (workflow history)', ofActive(window));
  row(
    '  lines without an agent (PBX only)',
    ofActive(
      window,
      active.filter((r) => !r.agent),
    ),
  );
  row(
    '  lines with an agent (PBX + CTI)',
    ofActive(
      window,
      active.filter((r) => r.agent),
    ),
  );
  row(
    'contract POST → ACTIVE seen by GET (client)',
    ofActive((r) => r.doneAt! - r.contractSentAt!),
  );
}

/** POST /lines/provisioning answers once the workflow's first task has put the line in the inventory. */
function reportStart(runs: LineRun[], analyses: Map<number, Analysis>): void {
  const started = runs.filter((r) => r.provisionedAt !== undefined && analyses.get(r.i)?.start);
  const phase = (pick: (s: NonNullable<Analysis['start']>, r: LineRun) => number | undefined) =>
    started.map((r) => pick(analyses.get(r.i)!.start!, r)).filter(finite);
  console.log('');
  console.log(`POST provisioning → 201 or 202, ms (${started.length} lines)             p50      p99      max`);
  row(
    'API, until the workflow has started',
    phase((s, r) => s.workflowStarted - r.postedAt),
  );
  row(
    'first workflow task, scheduled → started',
    phase((s) => s.firstTaskStarted! - s.firstTaskScheduled),
  );
  row(
    'first workflow task, started → completed',
    phase((s) => s.firstTaskClosed! - s.firstTaskStarted!),
  );
  row(
    'after it, until the 201 arrived',
    phase((s, r) => r.provisionedAt! - s.firstTaskClosed!),
  );
}

function reportFailures(failed: LineRun[]): void {
  if (!failed.length) return;
  console.log('');
  console.log(`failures: ${failed.length}; the most frequent causes:`);
  const causes = new Map<string, number>();
  for (const r of failed) causes.set(r.failure!, (causes.get(r.failure!) ?? 0) + 1);
  [...causes.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .forEach(([cause, count]) => console.log(`  ${count} × ${cause}`));
}

/** The worker's and the API's warnings and errors, the most frequent first. */
export function reportWarnings(warnings: string[]): void {
  if (!warnings.length) return;
  const counts = new Map<string, number>();
  for (const w of warnings) counts.set(w, (counts.get(w) ?? 0) + 1);
  console.log('');
  console.log(`worker/API warnings and errors logged: ${warnings.length}${warnings.length >= MAX_WARNINGS ? '+' : ''}; the most frequent:`);
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .forEach(([w, count]) => console.log(`  ${String(count).padStart(5)} × ${w}`));
}
