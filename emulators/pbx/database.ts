import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareKamailioDatabase } from '../../adapters/pbx/kamailio/database';
import { seedTestLine } from '../../adapters/pbx/kamailio/test-line';

/**
 * The PBX SIMULATOR's database: made exactly as the embedded Kamailio's is
 * (adapters/pbx/kamailio/database.ts: a role owning a database of its name,
 * Kamailio's tables and version rows, Butler's side tables), but from the
 * copies of Kamailio's schema files in ./schema, since a machine without
 * Kamailio has no /usr/share/kamailio/postgres.
 */

export const SIMULATOR_SCHEMA_DIR = path.join(__dirname, 'schema');

/**
 * Where the simulated test line's trunk points. A `.invalid` host (RFC 6761)
 * can never be a real answering point, so trunkStatus shows it for what it is.
 */
export const SIMULATED_ANSWERING_POINT = 'answering-point.pbx-simulator.invalid:5060';

export interface SimulatorDatabaseInput {
  /** Admin URL of the PostgreSQL server. */
  adminUrl: string;
  database: string;
  /** The database password is kept in `<stateDir>/db-password`. */
  stateDir: string;
  domain: string;
  testLine?: { number: string; callerDn?: string };
}

/** Returns the URL the simulator and the Kamailio adapter connect with. */
export async function prepareSimulatorDatabase(input: SimulatorDatabaseInput): Promise<string> {
  const url = await prepareKamailioDatabase({
    adminUrl: input.adminUrl,
    database: input.database,
    password: databasePassword(input.stateDir),
    schemaDir: SIMULATOR_SCHEMA_DIR,
  });
  if (input.testLine) {
    await seedTestLine(url, input.domain, { ...input.testLine, answeringPoint: SIMULATED_ANSWERING_POINT });
  }
  return url;
}

/** Generated once per state folder, readable by its owner only (as the embedded Kamailio does). */
function databasePassword(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'db-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('hex');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
