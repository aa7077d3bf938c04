import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelemetrySimulatorApp } from './app';

/**
 * # TELEMETRY SIMULATOR — not a monitoring system
 *
 * Butler has no real source for host metrics (CPU, memory, disk, switch
 * ports) or backup states of the devices it inspects, so this stands in for
 * one: it speaks telemetry protocol v1 (README.md) over HTTP, answers
 * synthetic values deterministic per device and month (synthetic.ts) unless
 * a test pinned others, and injects latency, errors and hangs on request
 * (faults.ts). Every answer says `source: "telemetry-simulator"` and carries
 * `X-Butler-Simulator: telemetry`, so its numbers are never taken for real ones.
 */

export interface TelemetrySimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The simulator's clock: which month the synthetic values are of, and `collectedAt`. */
  now?: () => Date;
}

export interface TelemetrySimulator {
  url: string;
  stop(): Promise<void>;
}

export async function startTelemetrySimulator(options: TelemetrySimulatorOptions = {}): Promise<TelemetrySimulator> {
  const host = options.host ?? '127.0.0.1';
  const app = createTelemetrySimulatorApp(options.now ?? (() => new Date()));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging requests (fault kind "hang") would otherwise hold close() forever.
        server.closeAllConnections();
      }),
  };
}
