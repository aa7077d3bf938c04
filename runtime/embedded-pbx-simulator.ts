import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { prepareKamailioDatabase } from '../adapters/pbx/kamailio/database';
import { seedTestLine } from '../adapters/pbx/kamailio/test-line';
import { SIMULATED_ANSWERING_POINT, SIMULATOR_SCHEMA_DIR } from '../emulators/pbx/database';
import { DEFAULT_SIMULATOR_DATABASE, startPbxSimulator, type PbxSimulator } from '../emulators/pbx/simulator';
import { databasePassword } from './embedded-kamailio';

export interface EmbeddedPbxSimulatorOptions {
  /** Admin URL of a PostgreSQL server; the simulator takes its own role and database there. */
  databaseUrl: string;
  /** Name of that database and role; `pbx_simulator` by default, apart from the embedded Kamailio's. */
  database?: string;
  /** The database password is kept in `<dataDir>/pbx-simulator`. */
  dataDir: string;
  /** TCP port of JSON-RPC; 0 picks a free one. */
  rpcPort: number;
  host?: string;
  /** The number acceptance calls dial, routed to a (simulated) answering point as the embedded Kamailio's test line is. */
  testLine?: { number: string; callerDn?: string };
  /** SIP domain of the subscribers. */
  domain?: string;
  log?: (line: string) => void;
  /** Where the simulator's own "PBX SIMULATOR" line goes (start-up has already said it once). */
  announce?: (line: string) => void;
}

/**
 * The PBX SIMULATOR where the embedded Kamailio would run: its database made as the
 * embedded Kamailio's is (a role owning a database of its name, Kamailio's tables from the
 * simulator's copies of the schema files, Butler's side tables, the test line), then the
 * simulator (emulators/pbx) started over it.
 */
export async function startEmbeddedPbxSimulator(opts: EmbeddedPbxSimulatorOptions): Promise<PbxSimulator> {
  const domain = opts.domain ?? '127.0.0.1';
  const database = opts.database ?? DEFAULT_SIMULATOR_DATABASE;
  const stateDir = path.join(opts.dataDir, 'pbx-simulator');
  mkdirSync(stateDir, { recursive: true });
  const databaseUrl = await prepareKamailioDatabase({
    adminUrl: opts.databaseUrl,
    database,
    password: databasePassword(stateDir),
    schemaDir: SIMULATOR_SCHEMA_DIR,
  });
  if (opts.testLine) {
    await seedTestLine(databaseUrl, domain, { ...opts.testLine, answeringPoint: SIMULATED_ANSWERING_POINT });
  }
  return startPbxSimulator({ databaseUrl, database, rpcPort: opts.rpcPort, host: opts.host, domain, log: opts.log, announce: opts.announce });
}
