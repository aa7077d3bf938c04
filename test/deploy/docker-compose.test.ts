import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, MissingVendorSettingsError } from '../../runtime/config';

/**
 * The production topology in docker-compose.yml, checked twice when possible:
 * as `docker compose config` renders it (needs only the docker client with
 * its compose plugin, no engine), and as the YAML itself, resolved the way
 * compose would, so a machine without docker still checks the real file.
 */

const root = path.resolve(__dirname, '../..');
const composeFile = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  container_name?: string;
  environment: Record<string, string>;
  depends_on: Record<string, { condition: string }>;
  ports: { published?: string; target: number }[];
  binds: { source: string; target: string }[];
  healthcheck?: unknown;
}
type Topology = Record<string, Service>;
/** The variables the file requires; everything else keeps the file's defaults. */
// The audit key's file: this repository's own compose file stands in (compose only needs it to exist).
const REQUIRED_VARS = { BUTLER_TOKENS: 'admin:compose-test-token:ops', BUTLER_AUDIT_SIGNING_KEY_FILE: composeFile };

const hasCompose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
if (!hasCompose) {
  console.warn('docker compose is not available: docker-compose.yml is checked from its YAML only');
}

const sources: [string, (vars: Record<string, string>) => Topology][] = [
  ['the YAML resolved as compose would', fromYaml],
  ['`docker compose config`', fromDockerCompose],
];

describe.each(sources)('docker-compose.yml as %s', (source, load) => {
  const maybe = source.includes('docker') && !hasCompose ? test.skip : test;
  let services: Topology;
  beforeAll(() => {
    if (maybe === test) services = load(REQUIRED_VARS);
  });

  maybe('will not render without BUTLER_TOKENS: production has no development tokens', () => {
    expect(() => load({ BUTLER_AUDIT_SIGNING_KEY_FILE: composeFile })).toThrow(/BUTLER_TOKENS/);
  });

  maybe('will not render without the audit key file; the API and the worker read the key as a secret', () => {
    expect(() => load({ BUTLER_TOKENS: REQUIRED_VARS.BUTLER_TOKENS })).toThrow(/BUTLER_AUDIT_SIGNING_KEY_FILE/);
    for (const name of ['api', 'worker']) expect(loadConfig(services[name].environment).auditSigningKey).toBe('/run/secrets/audit_signing_key');
  });

  maybe('has Temporal on PostgreSQL, its UI, the app database, the API and the worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['temporal', 'temporal-db', 'temporal-ui', 'db', 'api', 'worker']));
    expect(services.temporal.image).toMatch(/^temporalio\/(server|auto-setup):\d/);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d/);
    expect(services['temporal-db'].image).toMatch(/^postgres:\d/);
    expect(services.db.image).toMatch(/^postgres:\d/);
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'temporal-db' });
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  maybe('builds the API and the worker from the one top-level Dockerfile, each with its npm script', () => {
    const { api, worker } = services;
    expect(api.build).toEqual({ context: root, dockerfile: 'Dockerfile' });
    expect(worker.build).toEqual(api.build);
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-slim$/m);
    expect(api.command).toEqual(['npm', 'run', 'api']);
    expect(worker.command).toEqual(['npm', 'run', 'worker']);
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts).toHaveProperty('api');
    expect(scripts).toHaveProperty('worker');
  });

  maybe('publishes the API on 3000 and lets the worker scale (no container name, no host port)', () => {
    expect(services.api.ports).toContainEqual({ published: '3000', target: 3000 });
    expect(services.worker.container_name).toBeUndefined();
    expect(services.worker.ports).toEqual([]);
  });

  maybe('wires both Butler processes to the services by hostname, in a form the config accepts', () => {
    const db = services.db.environment;
    for (const name of ['api', 'worker']) {
      const config = loadConfig(services[name].environment);
      expect(config.temporal.address).toBe('temporal:7233');
      // The owner migrates; the application role the init script creates is what they work as (db/roles.ts).
      const endpoint = (text = '') => {
        const u = new URL(text);
        return { host: u.hostname, port: u.port, user: u.username, password: u.password, database: u.pathname.slice(1) };
      };
      const inDb = { host: 'db', port: '5432', database: db.POSTGRES_DB };
      expect(endpoint(config.database.ownerUrl)).toEqual({ ...inDb, user: db.POSTGRES_USER, password: db.POSTGRES_PASSWORD });
      expect(endpoint(config.database.url)).toEqual({ ...inDb, user: db.BUTLER_APP_DB_ROLE, password: db.BUTLER_APP_DB_PASSWORD });
      expect(db.BUTLER_APP_DB_ROLE).not.toBe(db.POSTGRES_USER);
    }
    expect(loadConfig(services.api.environment).tokens).toEqual([{ role: 'admin', token: 'compose-test-token', subject: 'ops' }]);
    expect(Object.keys(services.worker.environment)).toEqual(expect.arrayContaining(['SMTP_URL', 'NOTIFY_WEBHOOK_URL']));
  });

  maybe('has no silent simulators: the worker refuses to start without its vendors, naming each variable', () => {
    const refused = () => loadConfig(services.worker.environment, root, { vendors: true });
    expect(refused).toThrow(MissingVendorSettingsError);
    expect(refused).toThrow(/PBX_RPC_URL, PBX_DATABASE_URL, PBX_SIP_ADDRESS \(the PBX\); CTI_BASE_URL \(the CTI\); TELEMETRY_URL \(telemetry\) not set/);
    // The API drives no vendor: it starts all the same.
    expect(loadConfig(services.api.environment, root).simulators).toEqual([]);
  });

  maybe('a demo opts in to the simulators explicitly with BUTLER_SIMULATORS; real vendors need none', () => {
    const demo = load({ ...REQUIRED_VARS, BUTLER_SIMULATORS: 'pbx,cti,telemetry' });
    for (const name of ['api', 'worker']) expect(demo[name].environment.BUTLER_SIMULATORS).toBe('pbx,cti,telemetry');
    expect(loadConfig(demo.worker.environment, root, { vendors: true }).simulators).toEqual(['pbx', 'cti', 'telemetry']);
    const real = load({
      ...REQUIRED_VARS,
      PBX_RPC_URL: 'http://kamailio.customer:5071/RPC',
      PBX_DATABASE_URL: 'postgres://kamailio:secret@kamailio-db.customer:5432/kamailio',
      PBX_SIP_ADDRESS: 'kamailio.customer:5060',
      CTI_BASE_URL: 'https://api.mypurecloud.example',
      TELEMETRY_URL: 'https://telemetry.customer',
    });
    const config = loadConfig(real.worker.environment, root, { vendors: true });
    expect(config.simulators).toEqual([]);
    expect(config.pbx.external?.sipAddress).toBe('kamailio.customer:5060');
  });

  maybe('starts each service only once what it needs is healthy', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toMatchObject({
        db: { condition: 'service_healthy' },
        temporal: { condition: 'service_healthy' },
      });
    }
    expect(services.temporal.depends_on).toMatchObject({ 'temporal-db': { condition: 'service_healthy' } });
    expect(services['temporal-ui'].depends_on).toMatchObject({ temporal: { condition: 'service_healthy' } });
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on)) {
        expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
        if (condition === 'service_healthy') expect({ dep, healthcheck: !!services[dep].healthcheck }).toEqual({ dep, healthcheck: true });
      }
    }
    expect(services.api.healthcheck).toBeDefined();
  });

  maybe('mounts only files that exist in the repository', () => {
    const binds = Object.values(services).flatMap((s) => s.binds);
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect({ source: bind.source, exists: existsSync(bind.source) }).toEqual({ source: bind.source, exists: true });
  });
});

// --- loading -----------------------------------------------------------------

function fromDockerCompose(vars: Record<string, string>): Topology {
  // A clean environment, so the defaults in the file are what gets checked.
  const env: NodeJS.ProcessEnv = { ...vars };
  for (const key of ['PATH', 'HOME', 'DOCKER_CONFIG', 'DOCKER_HOST', 'DOCKER_CONTEXT']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  const result = spawnSync('docker', ['compose', '-f', composeFile, 'config', '--format', 'json'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`docker compose config failed: ${result.stderr}`);
  return normalize(JSON.parse(result.stdout));
}

function fromYaml(vars: Record<string, string>): Topology {
  const raw = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as unknown;
  return normalize(interpolate(raw, vars));
}

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}` and `$$`. */
function interpolate(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
      if (match === '$$') return '$';
      const set = vars[name];
      const usable = op?.startsWith(':') ? set !== undefined && set !== '' : set !== undefined;
      if (usable || op === undefined) return set ?? '';
      if (op.endsWith('?')) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return arg;
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  }
  return value;
}

/** Both the raw file and `docker compose config` output, in one shape. */
function normalize(doc: unknown): Topology {
  const services = (doc as { services: Record<string, Record<string, unknown>> }).services;
  return Object.fromEntries(Object.entries(services).map(([name, s]) => [name, normalizeService(s)]));
}

function normalizeService(s: Record<string, unknown>): Service {
  return {
    image: s.image as string | undefined,
    build: normalizeBuild(s.build),
    command: typeof s.command === 'string' ? s.command.split(/\s+/) : (s.command as string[] | undefined),
    container_name: s.container_name as string | undefined,
    environment: normalizeEnvironment(s.environment),
    depends_on: normalizeDependsOn(s.depends_on),
    ports: ((s.ports as unknown[] | undefined) ?? []).map(normalizePort),
    binds: ((s.volumes as unknown[] | undefined) ?? []).flatMap(normalizeBind),
    healthcheck: s.healthcheck,
  };
}

function normalizeBuild(build: unknown): Service['build'] {
  if (build === undefined) return undefined;
  const b = typeof build === 'string' ? { context: build } : (build as { context: string; dockerfile?: string });
  return { context: path.resolve(root, b.context), dockerfile: b.dockerfile ?? 'Dockerfile' };
}

function normalizeEnvironment(env: unknown): Record<string, string> {
  if (!env) return {};
  const entries = Array.isArray(env)
    ? env.map((e: string) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
    : Object.entries(env as Record<string, unknown>);
  return Object.fromEntries(entries.map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

function normalizeDependsOn(deps: unknown): Service['depends_on'] {
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d: string) => [d, { condition: 'service_started' }]));
  return Object.fromEntries(
    Object.entries(deps as Record<string, { condition?: string }>).map(([k, v]) => [k, { condition: v.condition ?? 'service_started' }]),
  );
}

function normalizePort(port: unknown): Service['ports'][number] {
  if (typeof port === 'object' && port !== null) {
    const p = port as { published?: string | number; target: number };
    return { published: p.published === undefined ? undefined : String(p.published), target: Number(p.target) };
  }
  const parts = String(port).split(':');
  const target = Number(parts[parts.length - 1].split('/')[0]);
  return { published: parts.length > 1 ? parts[parts.length - 2] : undefined, target };
}

function normalizeBind(volume: unknown): Service['binds'] {
  if (typeof volume === 'object' && volume !== null) {
    const v = volume as { type: string; source: string; target: string };
    return v.type === 'bind' ? [{ source: path.resolve(root, v.source), target: v.target }] : [];
  }
  const [source, target] = String(volume).split(':');
  return /^[./~]/.test(source) ? [{ source: path.resolve(root, source), target }] : [];
}
