import type { ChildProcess } from 'node:child_process';

const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL if the child lingers: never leave an orphan behind. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * A signal to a whole process group (a child spawned `detached` leads its own), so that the
 * processes it forked (Kamailio's workers, a worker's Chromium) go with it.
 */
export function killGroup(child: ChildProcess | number, signal: NodeJS.Signals): void {
  const pgid = typeof child === 'number' ? child : child.pid;
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * SIGTERM to the group's leader (it stops what it runs in order), SIGKILL to the group once it
 * has exited or after the grace period: whatever it forked and left behind goes too.
 */
export function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (gone(child)) {
    killGroup(child, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** No goodbye: SIGKILL to the whole group, resolved once the leader is gone. */
export function killGroupNow(child: ChildProcess): Promise<void> {
  if (gone(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    killGroup(child, 'SIGKILL');
  });
}
