import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The real Temporal server and its Web UI, for the production topology run on this machine
 * (`npm run cluster`, the cluster smoke test): Go modules at pinned versions, built once with
 * `go install` into `.tools/` (the Go module proxy is reachable here, a release download is not).
 * The server's module also carries the PostgreSQL schemas its SQL tool applies; the UI server's
 * carries the built UI.
 */

/** v1.29.1 builds with the Go on these machines; later versions declare a newer Go. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';
/** The UI the dev CLI bundles (temporal 1.9.1: UI 2.54.1), as a server of its own. */
export const TEMPORAL_UI_VERSION = 'v2.54.1';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';

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
  const [server, sqlTool] = goInstalled(
    `temporal-server-${TEMPORAL_SERVER_VERSION}`,
    SERVER_MODULE,
    TEMPORAL_SERVER_VERSION,
    ['cmd/server', 'cmd/tools/sql'],
    log,
  );
  const dir = moduleDir(SERVER_MODULE, TEMPORAL_SERVER_VERSION);
  return { server, sqlTool, postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'), version: TEMPORAL_SERVER_VERSION };
}

/** The Web UI's server (`--root … --config … --env … start`), built on first use like the server. */
export function temporalUiServer(log: (line: string) => void = () => undefined): string {
  return goInstalled(`temporal-ui-${TEMPORAL_UI_VERSION}`, UI_MODULE, TEMPORAL_UI_VERSION, ['cmd/server'], log)[0];
}

/** Binaries of one module's commands under .tools/<folder>/bin, named by the last part of each command's path. */
function goInstalled(folder: string, module: string, version: string, commands: string[], log: (line: string) => void): string[] {
  const bin = path.join(projectRoot, '.tools', folder, 'bin');
  const binaries = commands.map((c) => path.join(bin, path.basename(c)));
  if (binaries.every((b) => existsSync(b))) return binaries;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) throw new TemporalServerBuildError(`${module} is built with Go, and \`go\` is not on the PATH: install Go (1.23 or newer)`);
  mkdirSync(bin, { recursive: true });
  log(`building ${module} ${version} with ${go.stdout.trim()} (first run only; a few minutes)`);
  const built = spawnSync('go', ['install', ...commands.map((c) => `${module}/${c}@${version}`)], {
    env: { ...process.env, GOBIN: bin, GOFLAGS: '-buildvcs=false' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (built.status !== 0 || !binaries.every((b) => existsSync(b))) {
    throw new TemporalServerBuildError(`go install of ${module}@${version} failed: ${(built.stderr || built.stdout || '').trim().slice(-2000)}`);
  }
  return binaries;
}

function moduleDir(module: string, version: string): string {
  const download = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', cwd: projectRoot });
  const dir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new TemporalServerBuildError(`the ${module}@${version} module is not in Go's module cache: ${download.stderr.trim()}`);
  return dir;
}
