import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { readProcs } from '../line-provisioning/cpu';

/**
 * CPU time of this process and every process it started (Chromium, its zygotes
 * and renderers), and of the whole machine: on a shared box, what other
 * processes took says how far a run's figures can be trusted, and CPU per PDF
 * does not depend on them.
 *
 * Chromium's zygotes outlive the browser by up to a second, re-parented to
 * init, which would take their renderers' CPU out of any parent's cutime: so
 * the processes are polled while a run lasts, and each one seen under this
 * process stays counted until it is gone.
 */

/** /proc times are in clock ticks (USER_HZ, 100 on Linux). */
const TICK_MS = 10;
const POLL_MS = 500;

/** Busy ticks of all CPUs (user, nice, system, irq, softirq, steal). */
function machineTicks(): number {
  const t = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
}

export interface CpuUse {
  /** The most Chromium processes seen at once. */
  peakChromium: number;
  /** core-ms used by this process and the processes it started. */
  oursMs: number;
  /** Of which this Node process (templates, charts, puppeteer). */
  nodeMs: number;
  /** core-ms used by every other process on the machine. */
  othersMs: number;
  /** core-ms the machine had: cores × wall time. */
  availableMs: number;
}

interface Tracked {
  ppid: number;
  comm: string;
  /** Ticks when first seen (0 for a process born during the run), and when last seen. */
  base: number;
  last: number;
  /** Gone, and reaped by a tracked parent that was still there: its ticks are in that parent's. */
  reaped: boolean;
  gone: boolean;
}

export interface CpuTracker {
  /** The CPU used since the tracker started. */
  stop(): CpuUse;
  /** Chromium processes seen during the run that still exist (zygotes re-parented to init included). */
  chromiumRunning(): number;
}

/** Starts counting. */
export function trackCpu(): CpuTracker {
  const tracked = new Map<number, Tracked>();
  const started = performance.now();
  const machineStart = machineTicks();
  const nodeStart = process.cpuUsage();
  let countFromNow = true;
  let peakChromium = 0;
  // comm is cut at 15 characters: "chromium-headle", "chromium", "chrome_crashpad".
  const chromiumRunning = () => [...tracked.values()].filter((t) => !t.gone && t.comm.startsWith('chrom')).length;

  function poll(): void {
    const procs = readProcs();
    for (const [pid, p] of procs) {
      const t = tracked.get(pid);
      if (t) {
        t.last = p.ticks;
        t.ppid = p.ppid;
      } else if (pid === process.pid || tracked.has(p.ppid)) {
        tracked.set(pid, { ppid: p.ppid, comm: p.comm, base: countFromNow ? p.ticks : 0, last: p.ticks, reaped: false, gone: false });
      }
    }
    for (const [pid, t] of tracked) {
      if (t.gone || procs.has(pid)) continue;
      t.gone = true;
      t.reaped = t.ppid !== 1 && procs.has(t.ppid) && !tracked.get(t.ppid)?.gone;
    }
    countFromNow = false;
    peakChromium = Math.max(peakChromium, chromiumRunning());
  }

  // A process is tracked once its parent is: scan until nothing new turns up, all counted from now.
  for (let size = -1; size !== tracked.size;) {
    size = tracked.size;
    countFromNow = true;
    poll();
  }
  const timer = setInterval(poll, POLL_MS);
  timer.unref();

  return {
    stop(): CpuUse {
      clearInterval(timer);
      poll();
      let ticks = 0;
      // A process reaped by a tracked parent is counted in that parent's cutime (its ticks before the run too).
      for (const t of tracked.values()) ticks += t.reaped ? -t.base : t.last - t.base;
      const wallMs = performance.now() - started;
      const oursMs = ticks * TICK_MS;
      const node = process.cpuUsage(nodeStart);
      return {
        peakChromium,
        oursMs,
        nodeMs: (node.user + node.system) / 1000,
        othersMs: Math.max(0, (machineTicks() - machineStart) * TICK_MS - oursMs),
        availableMs: cpus().length * wallMs,
      };
    },
    chromiumRunning(): number {
      poll();
      return chromiumRunning();
    },
  };
}
