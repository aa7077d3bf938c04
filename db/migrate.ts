import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runner } from 'node-pg-migrate';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
/** How long a process waits for another one's migrations before it gives up. */
const LOCK_WAIT_MS = 120_000;

/**
 * Applies pending migrations (node-pg-migrate, SQL files in db/migrations); safe to run on every start.
 * node-pg-migrate takes an advisory lock and fails at once when another process holds it (the API
 * and the worker starting together, as docker-compose starts them): this one then waits its turn.
 */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      const applied = await runner({
        databaseUrl,
        dir: MIGRATIONS_DIR,
        direction: 'up',
        migrationsTable: 'pgmigrations',
        checkOrder: true,
        noLock: false,
        log,
        verbose: false,
      });
      return applied.map((m) => m.name);
    } catch (err) {
      const locked = err instanceof Error && err.message === 'Another migration is already running';
      if (!locked || Date.now() > deadline) throw err;
      log(`migrations: another process is applying them; trying again in ${delay} ms`);
      await sleep(delay);
    }
  }
}
