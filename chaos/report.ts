import type { ChaosReport } from './run';

/** The run in plain text: figures first, then each violation with its evidence. */
export function formatReport(r: ChaosReport): string {
  const lines: string[] = [];
  const faults = Object.entries(r.faults).filter(([, n]) => n > 0);
  lines.push(`chaos: ${r.topology}, seed ${r.seed}, ${r.roundsRun} of ${r.roundsPlanned} rounds, ${(r.wallMs / 60_000).toFixed(1)} min wall time`);
  lines.push(`faults injected: ${faults.reduce((s, [, n]) => s + n, 0)} (${faults.map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`);
  for (const f of r.faultLog)
    lines.push(
      `  round ${f.round} +${(f.atMs / 1000).toFixed(1)} s ${f.kind}: ${f.error ? `FAILED ${f.error}` : f.detail} (${(f.tookMs / 1000).toFixed(1)} s)`,
    );
  const w = r.workload;
  lines.push(
    `workload: ${w.incidents} incidents, ${w.lines} lines, ${w.changes} changes, ${w.inspections} inspections; ${w.requests} requests (${w.acked} acknowledged, ${w.refused} refused, ${w.unknown} without a clear answer)`,
  );
  lines.push(
    `invariants checked: ${Object.entries(r.checks)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  const t = r.slaTimers;
  lines.push(`SLA breaches recorded: ${t.fired}${t.fired ? `, late after their due instants by p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms, max ${t.maxMs} ms` : ''}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(`violations: ${r.violations.length}`);
  for (const v of r.violations) lines.push(`  [${v.invariant}] ${v.round ? `round ${v.round}` : 'final'} ${v.subject}: ${v.detail}`);
  lines.push(`log: ${r.logFile}`);
  return `${lines.join('\n')}\n`;
}
