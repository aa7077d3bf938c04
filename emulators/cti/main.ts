import { createLogger } from '../../system/logger';
import { DEFAULT_EMULATOR_CLIENT, startCtiEmulator } from './emulator';

/**
 * Runs the CTI EMULATOR on its own: `tsx emulators/cti/main.ts`.
 * CTI_EMULATOR_PORT (default 8090), CTI_EMULATOR_HOST (default 127.0.0.1),
 * CTI_EMULATOR_CLIENT_ID / CTI_EMULATOR_CLIENT_SECRET for the OAuth client.
 */
async function main(): Promise<void> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'info', 'cti-emulator');
  const emulator = await startCtiEmulator({
    port: Number(process.env.CTI_EMULATOR_PORT ?? 8090),
    host: process.env.CTI_EMULATOR_HOST ?? '127.0.0.1',
    clients: [
      {
        clientId: process.env.CTI_EMULATOR_CLIENT_ID ?? DEFAULT_EMULATOR_CLIENT.clientId,
        clientSecret: process.env.CTI_EMULATOR_CLIENT_SECRET ?? DEFAULT_EMULATOR_CLIENT.clientSecret,
      },
    ],
    log,
  });
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error('CTI EMULATOR failed to start', err);
  process.exit(1);
});
