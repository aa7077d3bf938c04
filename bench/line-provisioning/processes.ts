import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import path from 'node:path';
import { killGroup } from '../../system/child-process';
import { trackGroup, untrackGroup } from './process-groups';
import { sdkWarningReader } from './sdk-warnings';

/** At most this many warnings are kept. */
export const MAX_WARNINGS = 5000;

/**
 * Runs a runtime entry point in its own process group (so SIPp runs it starts
 * go with it), its output to the log file. `ready` resolves when `isReady`
 * accepts a log message (at once when null).
 */
export function startProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  log: WriteStream,
  warnings: string[],
  isReady: ((msg: string) => boolean) | null,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'runtime', entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid) trackGroup(child.pid);
  child.once('exit', () => child.pid && untrackGroup(child.pid));
  const warn = (w: string) => warnings.length < MAX_WARNINGS && warnings.push(`[${name}] ${w}`);
  const sdkWarning = sdkWarningReader(warn);
  const ready = new Promise<void>((resolve, reject) => {
    if (!isReady) resolve();
    const onLine = (line: string) => {
      log.write(`[${name}] ${line}\n`);
      let entry: { level?: number; msg?: string } | undefined;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string };
      } catch {
        sdkWarning(line);
        return;
      }
      if ((entry.level ?? 0) >= 40) warn(entry.msg ?? line.slice(0, 300));
      if (isReady && entry.msg && isReady(entry.msg)) resolve();
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.on('data', (b: Buffer) => {
        const lines = (rest + b.toString()).split('\n');
        rest = lines.pop()!;
        lines.filter((l) => l.trim()).forEach(onLine);
      });
    }
    child.once('exit', (code) => reject(new Error(`the ${name} process exited (${code}) during start-up; see its log in ${log.path}`)));
  });
  return { child, ready };
}

/** SIGTERM (the process stops its own stack in order), then SIGKILL to its whole group after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid!;
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(pgid, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.error(`pid ${pgid} did not stop within ${graceMs} ms: killing its process group`);
      killGroup(pgid, 'SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Whatever it started in its group and left behind (SIPp runs) goes too.
      killGroup(pgid, 'SIGKILL');
      resolve();
    });
    child.kill('SIGTERM');
  });
}
