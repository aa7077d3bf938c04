import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The real Temporal server, for the production topology run on this machine (`npm run cluster`, the
 * cluster smoke test): the Go module `go.temporal.io/server` at a pinned version, built once with
 * `go install` into `.tools/` (the Go module proxy is reachable here, a release download is not).
 * Its module also carries the PostgreSQL schemas its SQL tool applies.
 */

/** v1.29.1 builds with the Go on these machines; later versions declare a newer Go. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

const projectRoot = path.resolve(__dirname, '..');

export class TemporalServerBuildError extends Error {
  override name = 'TemporalServerBuildError';
}

export interface TemporalServerTools {
  /** `server`: `--root … --config … --env … start --service=…`. */
  server: string;
  /** `temporal-sql-tool`: creates the databases and applies the schemas. */
  sqlTool: string;
  /** The module's `schema/postgresql/v12`: `temporal/versioned` and `visibility/versioned`. */
  postgresSchemaDir: string;
  version: string;
}

/** The server and its SQL tool, built on first use (a few minutes; cached by version under .tools/). */
export function temporalServerTools(log: (line: string) => void = () => undefined): TemporalServerTools {
  const bin = path.join(projectRoot, '.tools', `temporal-server-${TEMPORAL_SERVER_VERSION}`, 'bin');
  const server = path.join(bin, 'server');
  const sqlTool = path.join(bin, 'sql');
  if (!existsSync(server) || !existsSync(sqlTool)) {
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.status !== 0) throw new TemporalServerBuildError('the Temporal server is built with Go, and `go` is not on the PATH: install Go (1.23 or newer)');
    mkdirSync(bin, { recursive: true });
    log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} with ${go.stdout.trim()} (first run only; a few minutes)`);
    const built = spawnSync('go', ['install', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: bin, GOFLAGS: '-buildvcs=false' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (built.status !== 0 || !existsSync(server) || !existsSync(sqlTool)) {
      throw new TemporalServerBuildError(
        `go install of ${MODULE}@${TEMPORAL_SERVER_VERSION} failed: ${(built.stderr || built.stdout || '').trim().slice(-2000)}`,
      );
    }
  }
  const download = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], { encoding: 'utf8', cwd: projectRoot });
  const dir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new TemporalServerBuildError(`the ${MODULE}@${TEMPORAL_SERVER_VERSION} module is not in Go's module cache: ${download.stderr.trim()}`);
  return { server, sqlTool, postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'), version: TEMPORAL_SERVER_VERSION };
}
