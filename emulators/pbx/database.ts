import path from 'node:path';

/**
 * The PBX SIMULATOR's database is made exactly as the embedded Kamailio's is
 * (adapters/pbx/kamailio/database.ts: a role owning a database of its name,
 * Kamailio's tables and version rows, Butler's side tables), but from the
 * copies of Kamailio's schema files in ./schema, since a machine without
 * Kamailio has no /usr/share/kamailio/postgres. Whoever starts the simulator
 * makes it (runtime/embedded-pbx-simulator.ts): the simulator runs on the
 * tables it is given and shares no code with the adapter it stands in for.
 */

export const SIMULATOR_SCHEMA_DIR = path.join(__dirname, 'schema');

/**
 * Where the simulated test line's trunk points. A `.invalid` host (RFC 6761)
 * can never be a real answering point, so trunkStatus shows it for what it is.
 */
export const SIMULATED_ANSWERING_POINT = 'answering-point.pbx-simulator.invalid:5060';
