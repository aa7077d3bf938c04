import { ADAPTER_ACTIVITIES, type ActivityRun, type Analysis } from './breakdown';
import { f0, f1, pct } from './figures';
import type { LineRun } from './load';

const KEYS = ['window', 'adapters', 'activityDispatch', 'workflowTaskQueue', 'workflowTaskRun', 'projections', 'retries'] as const;
type Key = (typeof KEYS)[number];

/** contract → ACTIVE of the ACTIVE lines, split into adapters, Temporal, projections, retries and the rest. */
export function reportTimeSplit(active: LineRun[], analyses: Map<number, Analysis>): void {
  const totals = Object.fromEntries(KEYS.map((k) => [k, 0])) as Record<Key, number>;
  const perLine = Object.fromEntries(KEYS.map((k) => [k, [] as number[]])) as Record<Key, number[]>;
  for (const r of active) {
    const b = analyses.get(r.i)?.breakdown;
    if (!b) continue;
    for (const k of KEYS) {
      totals[k] += b[k];
      perLine[k].push(b[k]);
    }
  }
  const other = KEYS.slice(1).reduce((rest, k) => rest - totals[k], totals.window);
  const share = (v: number) => `${((v / totals.window) * 100).toFixed(1)} %`;
  console.log('');
  console.log('contract → ACTIVE, summed over the ACTIVE lines             total s    share   p50/line ms');
  const split = (name: string, v: number, each: number[]) =>
    console.log(`${name.padEnd(58)} ${f1(v / 1000).padStart(8)} ${share(v).padStart(8)} ${f0(pct(each, 50)).padStart(13)}`);
  split('in adapters (PBX, CTI, SIPp activities running)', totals.adapters, perLine.adapters);
  const inTemporal = perLine.activityDispatch.map((v, i) => v + perLine.workflowTaskQueue[i] + perLine.workflowTaskRun[i]);
  split('in Temporal', totals.activityDispatch + totals.workflowTaskQueue + totals.workflowTaskRun, inTemporal);
  split('  activity tasks, scheduled → started', totals.activityDispatch, perLine.activityDispatch);
  split('  workflow tasks, scheduled → started (waiting for a poll)', totals.workflowTaskQueue, perLine.workflowTaskQueue);
  split('  workflow tasks, started → completed (less projections)', totals.workflowTaskRun, perLine.workflowTaskRun);
  split('projections to PostgreSQL (local activity projectLine)', totals.projections, perLine.projections);
  split('retries (failed attempts + backoff)', totals.retries, perLine.retries);
  split('other', other, []);
  split('total', totals.window, perLine.window);
}

/** Per activity type, over all analysed lines: run and queue times, retries, attempts not completed. */
export function reportActivities(analyses: Map<number, Analysis>): void {
  const byType = new Map<string, ActivityRun[]>();
  for (const a of [...analyses.values()].flatMap((x) => x.activities)) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  console.log('');
  console.log('activity                 count   run p50   run p99   queue p50   queue p99   retried   not completed');
  const order = (type: string) => (ADAPTER_ACTIVITIES.includes(type) ? ADAPTER_ACTIVITIES.indexOf(type) : ADAPTER_ACTIVITIES.length);
  for (const [type, list] of [...byType.entries()].sort((a, b) => order(a[0]) - order(b[0]))) {
    const run = list.map((a) => a.runMs);
    const queue = list.filter((a) => a.attempt === 1).map((a) => a.queueMs);
    console.log(
      `${type.padEnd(22)} ${String(list.length).padStart(7)} ${f0(pct(run, 50)).padStart(9)} ${f0(pct(run, 99)).padStart(9)} ${f0(pct(queue, 50)).padStart(11)} ${f0(pct(queue, 99)).padStart(11)} ${String(list.filter((a) => a.attempt > 1).length).padStart(9)} ${String(list.filter((a) => a.outcome !== 'completed').length).padStart(15)}`,
    );
  }
}
