import { killTrackedGroups } from './process-groups';

/** Stops run newest first, once, whichever way the benchmark ends. */
const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
let stopping: Promise<void> | undefined;
/** Ctrl-C: the load stops, nothing more is reported. */
let interrupted = false;

export const isInterrupted = () => interrupted;

/** Registers what stopAll() undoes, newest first. */
export function onStop(name: string, stop: () => Promise<unknown>): void {
  stops.push({ name, stop });
}

export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const s of stops.splice(0).reverse()) {
      try {
        await s.stop();
      } catch (err) {
        console.error(`stopping ${s.name} failed: ${String(err)}`);
      }
    }
  })();
  return stopping;
}

/** On exit: SIGKILL to the process groups left. On SIGINT/SIGTERM: stopAll(), then exit; a second signal exits at once. */
export function installCleanup(): void {
  process.on('exit', killTrackedGroups);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: killing what is left`);
        process.exit(130);
      }
      interrupted = true;
      console.error(`\n${signal}: stopping the worker, the API, Kamailio, SIPp, Temporal and PostgreSQL…`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** Runs a benchmark's main: Ctrl-C stops everything it started, and so does the end, whatever happened. */
export function runBenchmark(main: () => Promise<void>): void {
  installCleanup();
  main()
    .catch((err) => {
      // After Ctrl-C the stack is going away under the load: those errors say nothing.
      if (isInterrupted()) return;
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      await stopAll();
      process.exit();
    });
}
