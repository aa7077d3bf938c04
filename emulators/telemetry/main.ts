import { startTelemetrySimulator } from './simulator';

/**
 * Runs the TELEMETRY SIMULATOR on its own: `tsx emulators/telemetry/main.ts`.
 * TELEMETRY_SIMULATOR_PORT (default 8092), TELEMETRY_SIMULATOR_HOST (default 127.0.0.1).
 */
async function main(): Promise<void> {
  const simulator = await startTelemetrySimulator({
    port: Number(process.env.TELEMETRY_SIMULATOR_PORT ?? 8092),
    host: process.env.TELEMETRY_SIMULATOR_HOST ?? '127.0.0.1',
  });
  console.log(`TELEMETRY SIMULATOR listening at ${simulator.url} (synthetic values; not a monitoring system)`);
  const shutdown = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error('TELEMETRY SIMULATOR failed to start', err);
  process.exit(1);
});
