import { startEmbeddedPbxSimulator } from './embedded-pbx-simulator';

/**
 * Runs the PBX SIMULATOR on its own (it logs its JSON-RPC URL at start): `tsx runtime/pbx-simulator-main.ts`.
 * DATABASE_URL (required): admin URL of a PostgreSQL server; the simulator
 * takes its own role and database there (PBX_SIMULATOR_DATABASE, default
 * pbx_simulator). PBX_SIMULATOR_RPC_PORT (default 5071), PBX_SIMULATOR_HOST
 * and PBX_DOMAIN (default 127.0.0.1), PBX_SIMULATOR_DATA_DIR (default .data).
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL (admin URL of a PostgreSQL server) is required');
  const simulator = await startEmbeddedPbxSimulator({
    databaseUrl,
    database: process.env.PBX_SIMULATOR_DATABASE || undefined,
    dataDir: process.env.PBX_SIMULATOR_DATA_DIR ?? '.data',
    rpcPort: Number(process.env.PBX_SIMULATOR_RPC_PORT ?? 5071),
    host: process.env.PBX_SIMULATOR_HOST || undefined,
    domain: process.env.PBX_DOMAIN || undefined,
  });
  const shutdown = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error('PBX SIMULATOR failed to start', err);
  process.exit(1);
});
