import { readdirSync, readFileSync } from 'node:fs';
import { cpuComponents } from '../line-provisioning/cpu';
import type { InspectionStack } from './stack';

export { cpuByComponent } from '../line-provisioning/cpu';

export const WORKER = 'worker (workflows, activities, CTI emulator, telemetry simulator)';
export const CHROMIUM = 'Chromium (report PDFs)';

/**
 * The processes whose CPU a run reports: those of bench/line-provisioning/cpu.ts
 * less the API (not started here), plus the worker's Chromium, which the report
 * renderer launches on first use: call this after the warm-up, or it is
 * counted in the worker.
 */
export function inspectionCpuComponents(stack: InspectionStack): Map<number, string> {
  const roots = cpuComponents({ workerPid: stack.workerPid, apiPid: -1, kamailioPid: stack.kamailioPid });
  roots.delete(-1);
  roots.set(stack.workerPid, WORKER);
  const chromium = childrenOf(stack.workerPid).find((p) => /chrom|headless/i.test(p.comm));
  if (chromium) roots.set(chromium.pid, CHROMIUM);
  return roots;
}

function childrenOf(parent: number): Array<{ pid: number; comm: string }> {
  const out: Array<{ pid: number; comm: string }> = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push({ pid: Number(entry), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Core-seconds per component between two readings (USER_HZ = 100 ticks a second), the largest first. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after.entries()].map(([name, ticks]): [string, number] => [name, Math.max(0, ticks - (before.get(name) ?? 0)) / 100]).sort((a, b) => b[1] - a[1]);
}
