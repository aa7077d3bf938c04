import { f0, f1, pct } from '../line-provisioning/figures';
import type { Phases } from './phases';
import type { InspectionRun } from './run';
import { addLoad, describeActivities, emptyLoad, type WindowLoad } from './window-load';

export interface Measured {
  run: InspectionRun;
  phases: Phases;
  /** Core-seconds per component while the run went on. */
  cpu: Array<[string, number]>;
}

const s2 = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const int = (v: number) => v.toLocaleString('en-US');
const wallMs = (m: Measured) => m.run.awaitingReviewAt - m.run.requestedAt;
const readings = (m: Measured) => m.run.state.collectors.reduce((n, c) => n + c.readings, 0);
const critical = (m: Measured) => m.run.state.findings.filter((f) => f.severity === 'critical').length;
const criticalByRule = (m: Measured) => {
  const counts = new Map<string, number>();
  for (const f of m.run.state.findings.filter((x) => x.severity === 'critical')) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return (
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ') || 'none'
  );
};

/** What one run did and where its time went; printed as soon as it is measured. */
export function reportRun(m: Measured, lanes: number): void {
  const { run, phases: p } = m;
  const { state } = run;
  const failed = state.collectors.filter((c) => c.status === 'failed');
  const runs = p.collectors.map((c) => c.runMs);
  const slowest = p.collectors.reduce((a, b) => (b.runMs > a.runMs ? b : a));
  const devicesOf = (c: { center: string; system: string }) => state.collectors.find((x) => x.center === c.center && x.system === c.system)?.devices ?? 0;
  const laneUse = runs.reduce((a, b) => a + b, 0) / (p.collectorsMs * Math.min(lanes, p.collectors.length));
  const between = p.incidentsMs - p.claims.ms - p.childStarts.ms;
  console.log('');
  console.log(`${run.devices} devices — ${run.id}, period ${state.period}, ${state.centers.length} centers`);
  console.log(
    `  wall ${s2(wallMs(m))} s (start → AWAITING_REVIEW seen in the read model); history ${s2(p.totalMs)} s = plan ${s2(p.planMs)} + collectors ${s2(p.collectorsMs)}` +
      ` + incidents ${s2(p.incidentsMs)} + report ${s2(p.reportMs)} + finish ${s2(p.finishMs)}`,
  );
  console.log(
    `  collectors: ${state.collectors.length} (${failed.length} failed${failed.length ? `: ${failed.map((c) => `${c.center}/${c.system} ${c.error}`).join('; ')}` : ''}), ` +
      `readings ${int(readings(m))}; activity run p50 ${f0(pct(runs, 50))} ms, max ${f0(slowest.runMs)} ms (${slowest.center}/${slowest.system}, ${devicesOf(slowest)} devices); ` +
      `${lanes} lanes busy ${f0(laneUse * 100)} % of the phase${p.collectors.some((c) => c.attempt > 1) ? `; ${p.collectors.filter((c) => c.attempt > 1).length} retried` : ''}`,
  );
  console.log(
    `  findings ${int(state.findings.length)} (${critical(m)} critical: ${criticalByRule(m)}); incidents opened ${state.incidents.length}: ` +
      `claims ${p.claims.n} × ${f0(p.claims.ms / Math.max(1, p.claims.n))} ms = ${s2(p.claims.ms)} s, child starts ${p.childStarts.n} × ${f0(p.childStarts.ms / Math.max(1, p.childStarts.n))} ms = ${s2(p.childStarts.ms)} s, ` +
      `workflow tasks between ${s2(between)} s; ${f0((p.incidentsMs / p.totalMs) * 100)} % of the inspection`,
  );
  console.log(
    `  report: ${state.report?.pages ?? '?'} pages, ${f0((state.report?.bytes ?? NaN) / 1024)} KB; activity ran ${s2(p.report.runMs)} s (queued ${f0(p.report.queueMs)} ms` +
      `${p.report.attempt > 1 ? `, attempt ${p.report.attempt}` : ''}); history ${p.events} events, ${p.workflowTasks} workflow tasks, ` +
      `payloads ${f0(p.payloads.bytes / 1024)} KB (largest ${f0(p.payloads.largest / 1024)} KB, ${p.payloads.largestEvent})`,
  );
  reportWindow('incidents', m, p.marks.collectorsEnd, p.marks.reportScheduled);
  reportWindow('report', m, p.marks.reportScheduled, p.marks.reportClosed);
  console.log(
    `  CPU core-s meanwhile: ${m.cpu
      .filter(([, v]) => v >= 0.05)
      .map(([name, v]) => `${name.replace(/ \(.*\)$/, '')} ${f1(v)}`)
      .join(', ')}`,
  );
}

/**
 * What the worker had to do in one phase's window besides the phase itself: the
 * inspection's own workflow tasks (waiting for and running on the worker), and
 * the tasks and activities of the incident workflows it had opened so far.
 */
function reportWindow(name: string, m: Measured, from: number, to: number): void {
  const own = addLoad(emptyLoad(), m.run.history, from, to);
  const children = m.run.incidentHistories.reduce((load: WindowLoad, h) => addLoad(load, h, from, to), emptyLoad());
  console.log(
    `  ${name} phase ${s2(to - from)} s: the inspection's ${own.wfts} workflow tasks queued ${s2(own.wftQueueMs)} s, ran ${s2(own.wftRunMs)} s; ` +
      `its activities queued ${s2(own.activityQueueMs)} s, ran ${describeActivities(own)}. ` +
      `Meanwhile on the same worker, the incident workflows: ${children.wfts} workflow tasks (queued ${s2(children.wftQueueMs)} s, ran ${s2(children.wftRunMs)} s), ` +
      `activities ${describeActivities(children)}`,
  );
}

/** The median run (by wall time) of each size. */
export function medianBySize(all: Measured[]): Measured[] {
  const sizes = [...new Set(all.map((m) => m.run.devices))].sort((a, b) => a - b);
  return sizes.map((n) => {
    const runs = all.filter((m) => m.run.devices === n).sort((a, b) => wallMs(a) - wallMs(b));
    return runs[Math.floor((runs.length - 1) / 2)]!;
  });
}

/** The README table, then how time grows from the smallest size to the largest. */
export function reportTable(rows: Measured[], meta: { cores: number; pbx: string; concurrency: string; repeat: number }): void {
  console.log('');
  console.log(
    `Monthly inspection, ${meta.cores} cores, collector concurrency ${meta.concurrency}, PBX: ${meta.pbx}` +
      `${meta.repeat > 1 ? `; median of ${meta.repeat} runs per size` : ''}`,
  );
  console.log('');
  console.log(
    '| devices | collectors | readings | findings (critical) | incidents | report pages / KB | wall s | collectors s | incidents s | report s | µs / device |',
  );
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const m of rows) {
    const { state } = m.run;
    const p = m.phases;
    console.log(
      `| ${int(m.run.devices)} | ${state.collectors.length} | ${int(readings(m))} | ${int(state.findings.length)} (${critical(m)}) | ${state.incidents.length} ` +
        `| ${state.report?.pages ?? '?'} / ${f0((state.report?.bytes ?? NaN) / 1024)} | ${s2(wallMs(m))} | ${s2(p.collectorsMs)} | ${s2(p.incidentsMs)} | ${s2(p.reportMs)} ` +
        `| ${f0((wallMs(m) * 1000) / m.run.devices)} |`,
    );
  }
  if (rows.length < 2) return;
  const [first, last] = [rows[0]!, rows.at(-1)!];
  const dn = last.run.devices - first.run.devices;
  const ratio = (pick: (m: Measured) => number) => f1(pick(last) / pick(first));
  const marginal = (pick: (m: Measured) => number) => f0(((pick(last) - pick(first)) * 1000) / dn);
  console.log('');
  console.log(
    `growth ${first.run.devices} → ${last.run.devices} devices (×${f1(last.run.devices / first.run.devices)}): wall ×${ratio(wallMs)}; ` +
      `collectors ×${ratio((m) => m.phases.collectorsMs)}, incidents ×${ratio((m) => m.phases.incidentsMs)} ` +
      `(${first.run.state.incidents.length} → ${last.run.state.incidents.length} opened), report ×${ratio((m) => m.phases.reportMs)}`,
  );
  console.log(
    `marginal cost per added device: wall ${marginal(wallMs)} µs = collectors ${marginal((m) => m.phases.collectorsMs)} + incidents ${marginal((m) => m.phases.incidentsMs)}` +
      ` + report ${marginal((m) => m.phases.reportMs)} (+ the rest); fixed cost (wall at 0 devices, extrapolated) ${s2(wallMs(first) - ((wallMs(last) - wallMs(first)) / dn) * first.run.devices)} s`,
  );
  // Linear growth keeps the cost of an added device the same from step to step; a rising cost is superlinear.
  const steps = rows.slice(1).map((to, i) => ({ from: rows[i]!, to }));
  const step = (pick: (m: Measured) => number) =>
    steps.map(({ from, to }) => f0(((pick(to) - pick(from)) * 1000) / (to.run.devices - from.run.devices))).join(' → ');
  console.log(`µs per added device, step by step (${steps.map(({ from, to }) => `${from.run.devices}→${to.run.devices}`).join(', ')}):`);
  console.log(
    `  wall ${step(wallMs)}; collectors ${step((m) => m.phases.collectorsMs)}; incidents ${step((m) => m.phases.incidentsMs)}; report ${step((m) => m.phases.reportMs)}`,
  );
}
