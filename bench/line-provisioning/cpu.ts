import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Stack } from './stack';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

export interface Proc {
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in ticks: its own CPU and that of children it has reaped. */
  ticks: number;
}

/** Every process's parent, name and CPU ticks, from /proc. */
export function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(entry), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // Gone meanwhile.
    }
  }
  return procs;
}

/** The processes whose CPU is reported, each with everything below it (down to the next one listed). */
export function cpuComponents(stack: Pick<Stack, 'workerPid' | 'apiPid' | 'kamailioPid'>): Map<number, string> {
  const procs = readProcs();
  const childOf = (parent: number, comm: string) => [...procs.entries()].find(([, p]) => p.ppid === parent && p.comm === comm)?.[0];
  const roots = new Map<number, string>([
    [stack.workerPid, 'worker (workflows, activities, CTI emulator, SIPp runs)'],
    [stack.apiPid, 'API'],
    [process.pid, 'this load generator'],
  ]);
  const add = (pid: number | undefined, name: string) => pid !== undefined && roots.set(pid, name);
  add(childOf(process.pid, 'temporal'), 'Temporal server');
  add(childOf(process.pid, 'postgres'), 'PostgreSQL');
  add(stack.kamailioPid(), 'Kamailio');
  add(childOf(stack.workerPid, 'sipp'), 'SIPp answering point');
  return roots;
}

/** CPU ticks so far of each component. */
export function cpuByComponent(roots: Map<number, string>): Map<string, number> {
  const procs = readProcs();
  const out = new Map<string, number>([...roots.values()].map((name) => [name, 0]));
  for (const [pid, p] of procs) {
    // The nearest listed ancestor (or itself) owns the process's CPU.
    let at: number | undefined = pid;
    for (let hops = 0; at !== undefined && at > 1 && !roots.has(at) && hops < 50; hops++) at = procs.get(at)?.ppid;
    const name = at !== undefined ? roots.get(at) : undefined;
    if (name) out.set(name, out.get(name)! + p.ticks);
  }
  return out;
}

export function reportCpu(before: Map<string, number>, after: Map<string, number>, wallMs: number): void {
  const available = (cpus().length * wallMs) / 1000;
  console.log('');
  console.log(`CPU while the load ran (${cpus().length} cores × ${(wallMs / 1000).toFixed(1)} s = ${available.toFixed(1)} core-s)   core-s    share`);
  let used = 0;
  for (const [name, ticks] of [...after.entries()].sort((a, b) => b[1] - (before.get(b[0]) ?? 0) - (a[1] - (before.get(a[0]) ?? 0)))) {
    const seconds = Math.max(0, ticks - (before.get(name) ?? 0)) / CLK_TCK;
    used += seconds;
    console.log(`${name.padEnd(60)} ${seconds.toFixed(1).padStart(8)} ${`${((seconds / available) * 100).toFixed(1)} %`.padStart(8)}`);
  }
  const idle = Math.max(0, available - used);
  console.log(`${'idle or other processes'.padEnd(60)} ${idle.toFixed(1).padStart(8)} ${`${((idle / available) * 100).toFixed(1)} %`.padStart(8)}`);
}
