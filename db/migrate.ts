import path from 'node:path';
import { runner } from 'node-pg-migrate';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Applies pending migrations (node-pg-migrate, SQL files in db/migrations); safe to run on every start. */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // Two processes starting together (API + worker) must not race each other.
    noLock: false,
    log,
    verbose: false,
  });
  return applied.map((m) => m.name);
}
