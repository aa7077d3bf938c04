import { Pool } from 'pg';
import type { LineAcceptance } from '../../adapters/pbx/line-acceptance';
import { createSimulatedAcceptance } from './acceptance';
import { createPbxFaults, type PbxFaultController } from './faults';
import { startSimulatorHttp } from './http-server';
import { loadTables } from './loaded-tables';
import { createRegistrationTable } from './registrations';
import { simulatedMethods } from './rpc-methods';

/**
 * # PBX SIMULATOR — not Kamailio
 *
 * Stands in for the embedded Kamailio on machines where Kamailio is not
 * installed, so that the SAME adapter (adapters/pbx/kamailio-pbx.ts) runs
 * unchanged: it gets a PostgreSQL database with Kamailio 5.6's own tables
 * (./schema) and a JSON-RPC endpoint answering the subset of Kamailio's
 * methods the adapter calls (rpc-methods.ts), computed from those tables as
 * last reloaded. There is no SIP at all: line acceptance is simulated from
 * the subscriber table, the dial plan and the dispatcher sets
 * (acceptance.ts). Faults can be injected (faults.ts). Every HTTP response
 * carries `X-Butler-Simulator: pbx`.
 */

export interface PbxSimulatorOptions {
  /**
   * The simulator's own database, made as the embedded Kamailio's is (Kamailio's tables, Butler's
   * side tables, the test line's rows): runtime/embedded-pbx-simulator.ts makes it and starts the simulator.
   */
  databaseUrl: string;
  /** That database's name, for messages. */
  database: string;
  /** TCP port of JSON-RPC; 0 picks a free one. */
  rpcPort: number;
  host?: string;
  /** SIP domain of the subscribers. */
  domain: string;
  log?: (line: string) => void;
  /** Told once it listens (default: `log`); Butler's start-up has already said in its own line why it runs. */
  announce?: (line: string) => void;
}

export interface PbxSimulator {
  /** JSON-RPC endpoint (HTTP POST), like Kamailio's. */
  rpcUrl: string;
  /** The simulator's own database: what the Kamailio adapter writes to. */
  databaseUrl: string;
  domain: string;
  /** SIMULATED line acceptance; no SIP is sent. */
  acceptance: LineAcceptance;
  faults: PbxFaultController;
  stop(): Promise<void>;
}

export const DEFAULT_SIMULATOR_DATABASE = 'pbx_simulator';

export async function startPbxSimulator(opts: PbxSimulatorOptions): Promise<PbxSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const { databaseUrl, database, domain } = opts;
  const log = opts.log ?? ((line: string) => console.warn(line));

  const db = new Pool({ connectionString: databaseUrl, max: 3, connectionTimeoutMillis: 5_000 });
  db.on('error', (err) => log(`PBX SIMULATOR: database connection lost: ${err.message}`));
  try {
    // Like Kamailio at start-up: what is in the tables now is what routes.
    const tables = await loadTables(db, log).catch((cause: unknown) => {
      throw new Error(`PBX SIMULATOR could not load its tables from database ${database}`, { cause });
    });
    const registrations = createRegistrationTable();
    const faults = createPbxFaults();
    let port = opts.rpcPort;
    const methods = simulatedMethods({ tables, registrations, listening: { host, port: () => port }, warn: log });
    const server = await startSimulatorHttp(host, opts.rpcPort, { methods, faults, warn: log });
    port = server.port;
    const rpcUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/RPC`;
    (opts.announce ?? log)(
      `PBX SIMULATOR — not Kamailio. JSON-RPC (a Kamailio 5.6 subset) at ${rpcUrl}, database ${database}; line acceptance is simulated, no SIP is sent.`,
    );
    return {
      rpcUrl,
      databaseUrl,
      domain,
      acceptance: createSimulatedAcceptance({ db, tables, registrations, faults }),
      faults,
      stop: async () => {
        await server.close();
        await db.end();
      },
    };
  } catch (err) {
    await db.end();
    throw err;
  }
}
