import { existsSync, readFileSync } from 'node:fs';

/** The pid in a pid file, if that process is still running and is `comm`. */
export function pidFromFile(file: string, comm: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Notes when Kamailio goes away while the load runs: everything PBX-side fails after that. */
export function watchKamailio(pid: number | undefined): { pid?: number; diedAt?: number; stop(): void } {
  const watch: { pid?: number; diedAt?: number; stop(): void } = { pid, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    if (pid === undefined || watch.diedAt !== undefined) return;
    let state: string | undefined;
    try {
      // /proc/<pid>/stat: "pid (comm) S …"; Z is a dead process not yet reaped.
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      state = undefined;
    }
    if (state === undefined || state === 'Z') watch.diedAt = Date.now();
  }, 250);
  return watch;
}
