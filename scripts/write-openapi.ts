import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRoutes, type AppDeps } from '../api/app';
import { openApiDocument } from '../api/openapi';
import { loadConfig } from '../runtime/config';

/**
 * Writes the OpenAPI document the API serves at /openapi.json to a file, without starting
 * anything: the routes are data, and the document reads only their schemas. The console's
 * client is generated from it (`npm run console:api`).
 *   npx tsx scripts/write-openapi.ts console/.api/openapi.json
 */
const out = process.argv[2];
if (!out) throw new Error('usage: write-openapi.ts <file>');
// The route table needs its timing settings to be built; no handler runs, so nothing else is read.
const routes = apiRoutes({ timing: loadConfig({}).timing } as unknown as AppDeps);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(openApiDocument(routes), null, 2)}\n`);
