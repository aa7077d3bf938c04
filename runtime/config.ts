import path from 'node:path';
import { z } from 'zod';
import type { OutboundPolicy } from '../system/outbound-url';
import { Role, type TokenGrant } from '../domain/actor';
import type { ChangeTiming } from '../domain/change/contracts';
import { DN_PATTERN, type LineTiming } from '../domain/line/contracts';
import { SEOUL_TIME_ZONE } from '../domain/calendar/seoul';
import { SIMULATED_VENDOR_KINDS, type SimulatedVendorKind } from '../domain/data-source';

/**
 * Every setting Butler reads from the environment, validated once. Anything
 * else in the code takes a `Config` (or a part of it) as an argument.
 */

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** `role:token` or `role:token:name`, comma-separated. */
const tokens = z
  .string()
  .optional()
  .transform((raw, ctx): TokenGrant[] => {
    if (!raw || raw.trim() === '') return [];
    const grants: TokenGrant[] = [];
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [role, token, name] = entry.split(':');
      const parsedRole = Role.safeParse(role);
      if (!parsedRole.success || !token || token.length < 8) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `entry "${role}:…" must be role:token[:name] with role one of ${Role.options.join('|')} and a token of 8+ characters`,
        });
        return z.NEVER;
      }
      grants.push({ token, role: parsedRole.data, subject: name || `${role}-${token.slice(0, 4)}` });
    }
    return grants;
  });

/** The vendor stand-ins an operator can ask for by name (`BUTLER_SIMULATORS`). */
export const SIMULATOR_NAMES = SIMULATED_VENDOR_KINDS;
export type SimulatorName = SimulatedVendorKind;

/** `embedded`: Butler's own Kamailio (installed when missing); `simulator`: the PBX simulator. */
export const PBX_MODES = ['embedded', 'simulator'] as const;
export type PbxMode = (typeof PBX_MODES)[number];

const simulatorList = z
  .string()
  .optional()
  .transform((raw, ctx): SimulatorName[] => {
    const names = (raw ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const unknown = names.filter((n) => !(SIMULATOR_NAMES as readonly string[]).includes(n));
    if (unknown.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `unknown simulator ${unknown.map((n) => `"${n}"`).join(', ')}; the simulators are ${SIMULATOR_NAMES.join(', ')} (comma-separated, any subset)`,
      });
      return z.NEVER;
    }
    return SIMULATOR_NAMES.filter((n) => names.includes(n));
  });

/** `npm run cluster`'s readiness probes every history shard; past this many that stops being cheap, and one machine gains nothing from more. */
export const MAX_CLUSTER_SHARDS = 128;

const EnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: port.default(3000),
  BUTLER_DATA_DIR: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('butler'),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  // How long a workflow task waits on a worker's sticky queue before any worker may take it: the failover
  // time of a SIGKILLed worker's cached workflows (the SDK's default is 10 s).
  TEMPORAL_STICKY_TIMEOUT_SECONDS: z.coerce.number().positive().default(5),
  // Workflows a worker keeps cached (unset: the SDK's default, from the heap size: about 2,300 here).
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  // npm run cluster: the history shards of a new cluster (fixed for its life: the first start decides).
  TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).max(MAX_CLUSTER_SHARDS).default(4),

  // Hosts webhooks may go to, comma-separated; unset: any host whose addresses are all public (system/outbound-url.ts).
  // http for webhooks: by default only in the embedded default; a local test rig (the chaos suite) says so outright.
  NOTIFY_ALLOW_HTTP: z.enum(['true', 'false']).optional(),
  NOTIFY_ALLOWED_HOSTS: optionalString.transform((v) =>
    v === undefined
      ? null
      : v
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean),
  ),
  DATABASE_URL: optionalString.pipe(z.string().url().optional()),
  // The owner that runs the migrations; DATABASE_URL is then the application role (db/roles.ts).
  DATABASE_OWNER_URL: optionalString.pipe(z.string().url().optional()),
  EMBEDDED_PG_PORT: port.default(5433),
  // The embedded default's Prometheus and Alertmanager (Debian packages, installed like Chromium); `off` starts neither.
  BUTLER_MONITORING: z.enum(['auto', 'off']).default('auto'),
  EMBEDDED_PROMETHEUS_PORT: port.default(9090),
  EMBEDDED_ALERTMANAGER_PORT: port.default(9093),

  // The audit key (Ed25519, PEM or a file's path): seals each audit entry and signs the anchors. Not in the database, by design.
  BUTLER_AUDIT_SIGNING_KEY: optionalString,
  BUTLER_TOKENS: tokens,
  // Requests per minute one token may make (0: no limit, e.g. for a benchmark).
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  // host:port where the worker serves its Temporal SDK metrics (task latencies, slots, sticky cache) for Prometheus; unset: none.
  BUTLER_WORKER_METRICS_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464')
      .optional(),
  ),

  SMTP_URL: optionalString.pipe(z.string().url().optional()),
  MAIL_FROM: z.string().default('Butler <butler@localhost>'),
  NOTIFY_WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),

  // Simulators the operator opts in to outside the embedded default: a comma-separated subset of pbx,cti,telemetry.
  BUTLER_SIMULATORS: simulatorList,
  // CTI_BASE_URL / TELEMETRY_URL name a simulator another Butler process runs (npm run cluster's second worker): what is derived from it is marked simulated.
  BUTLER_SHARED_SIMULATORS: simulatorList,

  // The PBX (Kamailio): all three set → a real one; none → PBX_MODE decides (the embedded Kamailio, or the PBX simulator).
  PBX_RPC_URL: optionalString.pipe(z.string().url().optional()),
  PBX_DATABASE_URL: optionalString.pipe(z.string().url().optional()),
  PBX_SIP_ADDRESS: optionalString.pipe(
    z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'host:port')
      .optional(),
  ),
  PBX_DOMAIN: z.string().min(1).default('127.0.0.1'),
  PBX_MODE: optionalString.pipe(z.enum(PBX_MODES).optional()),
  EMBEDDED_PBX_SIP_PORT: port.default(5070),
  EMBEDDED_PBX_RPC_PORT: port.default(5071),
  EMBEDDED_PBX_ANSWERING_PORT: port.default(5072),
  ACCEPTANCE_TEST_NUMBER: z.string().regex(DN_PATTERN).default('0999'),
  ACCEPTANCE_CALLER_DN: z.string().regex(DN_PATTERN).default('0990'),
  // The CTI (Genesys Cloud API shape): a base URL → a real one; none → the embedded CTI emulator.
  CTI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  CTI_CLIENT_ID: z.string().min(1).default('butler'),
  CTI_CLIENT_SECRET: z.string().min(1).default('butler-dev-secret'),
  CTI_EMULATOR_PORT: port.default(8090),
  // Host telemetry and backups of the managed devices: a URL → a real collector endpoint; none → the embedded TELEMETRY SIMULATOR.
  TELEMETRY_URL: optionalString.pipe(z.string().url().optional()),
  TELEMETRY_SIMULATOR_PORT: port.default(8091),

  // Reports: Debian's Chromium unless a path is given; pages rendered at once; browser replaced after this many reports.
  CHROMIUM_PATH: optionalString,
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  REPORT_BROWSER_RESTART_AFTER: z.coerce.number().int().min(1).default(200),

  // Schedules (Asia/Seoul unless SCHEDULE_TIME_ZONE says otherwise), created or updated at start-up.
  SCHEDULES_ENABLED: z.enum(['true', 'false']).default('true'),
  SCHEDULE_TIME_ZONE: z.string().min(1).default(SEOUL_TIME_ZONE),
  INSPECTION_SCHEDULE_DAY: z.coerce.number().int().min(1).max(28).default(1),
  INSPECTION_SCHEDULE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('02:00'),
  QSR_SCHEDULE_DAY: z.coerce.number().int().min(1).max(28).default(5),
  QSR_SCHEDULE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('03:00'),
  // The line cost analysis of the previous month: after the carriers' bills are in (they arrive by mid-month).
  BILLING_REPORT_SCHEDULE_DAY: z.coerce.number().int().min(1).max(28).default(20),
  BILLING_REPORT_SCHEDULE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('04:00'),
  // The audit chain's daily anchor (issue 17): signed and mailed to the auditors.
  AUDIT_ANCHOR_SCHEDULE_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('00:10'),
  // Runs missed while the server was down are started late if the outage was shorter than this.
  SCHEDULE_CATCHUP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // Closed workflows' histories are copied to PostgreSQL this often (0: not at all, e.g. a second worker).
  ARCHIVE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),

  // Deadlines and reminders of the human steps, in hours.
  LINE_CONTRACT_DEADLINE_HOURS: z.coerce
    .number()
    .positive()
    .default(14 * 24),
  LINE_CONTRACT_REMINDER_HOURS: z.coerce.number().positive().default(24),
  EQUIPMENT_RETURN_DEADLINE_HOURS: z.coerce
    .number()
    .positive()
    .default(7 * 24),
  EQUIPMENT_REMINDER_HOURS: z.coerce.number().positive().default(24),
  CHANGE_APPROVAL_DEADLINE_HOURS: z.coerce.number().positive().default(72),
  CHANGE_APPROVAL_REMINDER_HOURS: z.coerce.number().positive().default(24),
  CHANGE_RETRO_APPROVAL_DEADLINE_HOURS: z.coerce.number().positive().default(24),
  CHANGE_RETRO_APPROVAL_REMINDER_HOURS: z.coerce.number().positive().default(6),
});

export interface Config {
  /** Neither DATABASE_URL nor TEMPORAL_ADDRESS is set: `npm start`'s own stack, whose stand-ins need no opt-in. */
  embedded: boolean;
  /** The simulators the operator asked for by name (BUTLER_SIMULATORS; `pbx` also by PBX_MODE=simulator). */
  simulators: SimulatorName[];
  /** Vendors whose configured URL is a simulator run by another Butler process (BUTLER_SHARED_SIMULATORS): marked simulated all the same. */
  sharedSimulators: SimulatorName[];
  port: number;
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  temporal: {
    /** Undefined: start the embedded dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    cliPath?: string;
    embeddedPort: number;
    uiPort: number;
    /** `npm run cluster`: history shards of a new cluster. */
    clusterShards: number;
    /** The worker's sticky queue schedule-to-start timeout. */
    stickyTimeoutMs: number;
    /** The worker's workflow cache; undefined: the SDK's default. */
    maxCachedWorkflows?: number;
  };
  database: {
    /** The application role's connection; undefined: start the embedded PostgreSQL. */
    url?: string;
    /** The owner's, which runs the migrations and grants the application role its privileges (db/roles.ts). */
    ownerUrl?: string;
    embeddedPort: number;
  };
  tokens: TokenGrant[];
  /**
   * BUTLER_AUDIT_SIGNING_KEY (the PEM, or a file's path); in the embedded default a file in the data
   * folder, made on first start. Undefined: not set outside the embedded default (runtime/audit-signer.ts refuses).
   */
  auditSigningKey?: string;
  rateLimitPerMinute: number;
  /** Where the worker serves the Temporal SDK's Prometheus metrics (BUTLER_WORKER_METRICS_ADDRESS). */
  workerMetricsAddress: string | undefined;
  /** The embedded default's Prometheus and Alertmanager: started when installed (`auto`), or not (`off`). */
  monitoring: { mode: 'auto' | 'off'; prometheusPort: number; alertmanagerPort: number };
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
  /** Where webhooks may go: https only outside the embedded default, NOTIFY_ALLOWED_HOSTS or any public host. */
  outbound: OutboundPolicy;
  pbx: {
    /** Undefined: `mode` says what runs instead. */
    external?: { rpcUrl: string; databaseUrl: string; sipAddress: string };
    /** Without `external`: the embedded Kamailio or the PBX simulator. */
    mode: PbxMode;
    /**
     * The embedded Kamailio was not asked for by name (the embedded default): when it
     * cannot be installed, the PBX simulator stands in and start-up says so.
     */
    simulatorFallback: boolean;
    /** Which setting asked for the PBX simulator, when one did. */
    simulatorAskedBy?: 'PBX_MODE=simulator' | 'BUTLER_SIMULATORS';
    domain: string;
    embeddedSipPort: number;
    embeddedRpcPort: number;
    /** The SIPp answering point behind the embedded test line. */
    embeddedAnsweringPort: number;
    acceptance: { testNumber: string; callerDn: string };
  };
  cti: {
    /** Undefined: start the embedded CTI emulator. */
    baseUrl?: string;
    clientId: string;
    clientSecret: string;
    emulatorPort: number;
  };
  timing: { line: LineTiming; change: ChangeTiming };
  telemetry: {
    /** Undefined: start the embedded telemetry simulator. */
    url?: string;
    simulatorPort: number;
  };
  reports: { chromiumPath?: string; concurrency: number; restartAfter: number };
  /** How often closed workflows' histories are archived; 0 turns the archiver off. */
  archiveIntervalMs: number;
  schedules: {
    enabled: boolean;
    timeZone: string;
    catchupDays: number;
    inspection: { dayOfMonth: number; hour: number; minute: number };
    /** In the first month of each quarter. */
    qsr: { dayOfMonth: number; hour: number; minute: number };
    billingReport: { dayOfMonth: number; hour: number; minute: number };
    /** Every day. */
    auditAnchor: { hour: number; minute: number };
  };
}

/** The embedded default's audit key, in its data folder. */
export const EMBEDDED_AUDIT_KEY_FILE = 'audit-signing-key.pem';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A vendor the worker would drive, and the variables that name a real one. */
export interface MissingVendorSetting {
  vendor: SimulatorName;
  variables: string[];
}

/**
 * Outside the embedded default a vendor without its setting is refused, not
 * silently simulated: `missing` names each vendor and its variables.
 */
export class MissingVendorSettingsError extends ConfigError {
  override name = 'MissingVendorSettingsError';
  constructor(readonly missing: MissingVendorSetting[]) {
    super(
      `invalid configuration: ${missing.map((m) => `${m.variables.join(', ')} (${VENDOR_LABEL[m.vendor]})`).join('; ')} not set. ` +
        'DATABASE_URL or TEMPORAL_ADDRESS is set, so Butler does not fall back to simulators: set the real ' +
        `${missing.length === 1 ? "vendor's" : "vendors'"} variables, or opt in to simulators explicitly with ` +
        `BUTLER_SIMULATORS=${missing.map((m) => m.vendor).join(',')}`,
    );
  }
}

const VENDOR_LABEL: Record<SimulatorName, string> = { pbx: 'the PBX', cti: 'the CTI', telemetry: 'telemetry' };

export interface LoadConfigOptions {
  /**
   * The process drives the vendors (the worker, `npm start`): outside the embedded
   * default each of PBX, CTI and telemetry needs its setting or an opt-in to its
   * simulator (MissingVendorSettingsError). The API and the CLIs need neither.
   */
  vendors?: boolean;
}

/** Reads and validates the environment; throws one ConfigError whose message names each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), options: LoadConfigOptions = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const pbxSet = [e.PBX_RPC_URL, e.PBX_DATABASE_URL, e.PBX_SIP_ADDRESS].filter(Boolean).length;
  if (pbxSet > 0 && pbxSet < 3) {
    throw new ConfigError('invalid configuration: PBX_RPC_URL, PBX_DATABASE_URL and PBX_SIP_ADDRESS go together (set all three, or none for the embedded PBX)');
  }
  const embedded = !e.DATABASE_URL && !e.TEMPORAL_ADDRESS;
  const simulators = vendorChoices(e, pbxSet === 3);
  if (options.vendors && !embedded) {
    const missing: MissingVendorSetting[] = [];
    if (pbxSet === 0 && !e.PBX_MODE && !simulators.includes('pbx'))
      missing.push({ vendor: 'pbx', variables: ['PBX_RPC_URL', 'PBX_DATABASE_URL', 'PBX_SIP_ADDRESS'] });
    if (!e.CTI_BASE_URL && !simulators.includes('cti')) missing.push({ vendor: 'cti', variables: ['CTI_BASE_URL'] });
    if (!e.TELEMETRY_URL && !simulators.includes('telemetry')) missing.push({ vendor: 'telemetry', variables: ['TELEMETRY_URL'] });
    if (missing.length) throw new MissingVendorSettingsError(missing);
  }
  const hasTls = e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_CA_PATH;
  return {
    embedded,
    simulators,
    sharedSimulators: e.BUTLER_SHARED_SIMULATORS,
    port: e.PORT,
    dataDir: path.resolve(cwd, e.BUTLER_DATA_DIR ?? '.data'),
    logLevel: e.LOG_LEVEL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: hasTls
        ? {
            certPath: e.TEMPORAL_TLS_CERT_PATH,
            keyPath: e.TEMPORAL_TLS_KEY_PATH,
            caPath: e.TEMPORAL_TLS_CA_PATH,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      cliPath: e.TEMPORAL_CLI_PATH,
      embeddedPort: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      clusterShards: e.TEMPORAL_HISTORY_SHARDS,
      stickyTimeoutMs: e.TEMPORAL_STICKY_TIMEOUT_SECONDS * 1000,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
    },
    database: { url: e.DATABASE_URL, ownerUrl: e.DATABASE_OWNER_URL, embeddedPort: e.EMBEDDED_PG_PORT },
    tokens: e.BUTLER_TOKENS,
    auditSigningKey: e.BUTLER_AUDIT_SIGNING_KEY ?? (embedded ? path.join(path.resolve(cwd, e.BUTLER_DATA_DIR ?? '.data'), EMBEDDED_AUDIT_KEY_FILE) : undefined),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    workerMetricsAddress: e.BUTLER_WORKER_METRICS_ADDRESS,
    monitoring: { mode: e.BUTLER_MONITORING, prometheusPort: e.EMBEDDED_PROMETHEUS_PORT, alertmanagerPort: e.EMBEDDED_ALERTMANAGER_PORT },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    webhookUrl: e.NOTIFY_WEBHOOK_URL,
    // http only in the embedded default, where everything runs on this machine.
    outbound: { httpsOnly: e.NOTIFY_ALLOW_HTTP === undefined ? !embedded : e.NOTIFY_ALLOW_HTTP === 'false', allowedHosts: e.NOTIFY_ALLOWED_HOSTS },
    pbx: {
      external:
        e.PBX_RPC_URL && e.PBX_DATABASE_URL && e.PBX_SIP_ADDRESS
          ? { rpcUrl: e.PBX_RPC_URL, databaseUrl: e.PBX_DATABASE_URL, sipAddress: e.PBX_SIP_ADDRESS }
          : undefined,
      mode: simulators.includes('pbx') ? 'simulator' : 'embedded',
      simulatorFallback: embedded && !e.PBX_MODE,
      simulatorAskedBy: e.PBX_MODE === 'simulator' ? 'PBX_MODE=simulator' : e.BUTLER_SIMULATORS.includes('pbx') ? 'BUTLER_SIMULATORS' : undefined,
      domain: e.PBX_DOMAIN,
      embeddedSipPort: e.EMBEDDED_PBX_SIP_PORT,
      embeddedRpcPort: e.EMBEDDED_PBX_RPC_PORT,
      embeddedAnsweringPort: e.EMBEDDED_PBX_ANSWERING_PORT,
      acceptance: { testNumber: e.ACCEPTANCE_TEST_NUMBER, callerDn: e.ACCEPTANCE_CALLER_DN },
    },
    cti: { baseUrl: e.CTI_BASE_URL, clientId: e.CTI_CLIENT_ID, clientSecret: e.CTI_CLIENT_SECRET, emulatorPort: e.CTI_EMULATOR_PORT },
    telemetry: { url: e.TELEMETRY_URL, simulatorPort: e.TELEMETRY_SIMULATOR_PORT },
    archiveIntervalMs: e.ARCHIVE_INTERVAL_SECONDS * 1000,
    reports: { chromiumPath: e.CHROMIUM_PATH, concurrency: e.REPORT_CONCURRENCY, restartAfter: e.REPORT_BROWSER_RESTART_AFTER },
    schedules: {
      enabled: e.SCHEDULES_ENABLED === 'true',
      timeZone: e.SCHEDULE_TIME_ZONE,
      catchupDays: e.SCHEDULE_CATCHUP_DAYS,
      inspection: { dayOfMonth: e.INSPECTION_SCHEDULE_DAY, ...hourMinute(e.INSPECTION_SCHEDULE_TIME) },
      qsr: { dayOfMonth: e.QSR_SCHEDULE_DAY, ...hourMinute(e.QSR_SCHEDULE_TIME) },
      billingReport: { dayOfMonth: e.BILLING_REPORT_SCHEDULE_DAY, ...hourMinute(e.BILLING_REPORT_SCHEDULE_TIME) },
      auditAnchor: hourMinute(e.AUDIT_ANCHOR_SCHEDULE_TIME),
    },
    timing: {
      line: {
        contractDeadlineMs: hours(e.LINE_CONTRACT_DEADLINE_HOURS),
        contractReminderMs: hours(e.LINE_CONTRACT_REMINDER_HOURS),
        equipmentDeadlineMs: hours(e.EQUIPMENT_RETURN_DEADLINE_HOURS),
        equipmentReminderMs: hours(e.EQUIPMENT_REMINDER_HOURS),
      },
      change: {
        approvalDeadlineMs: hours(e.CHANGE_APPROVAL_DEADLINE_HOURS),
        approvalReminderMs: hours(e.CHANGE_APPROVAL_REMINDER_HOURS),
        retroApprovalDeadlineMs: hours(e.CHANGE_RETRO_APPROVAL_DEADLINE_HOURS),
        retroApprovalReminderMs: hours(e.CHANGE_RETRO_APPROVAL_REMINDER_HOURS),
      },
    },
  };
}

/**
 * The simulators asked for, after refusing a request that contradicts itself: a
 * simulator named for a vendor whose real one is configured, or two PBX modes.
 */
function vendorChoices(e: z.infer<typeof EnvSchema>, externalPbx: boolean): SimulatorName[] {
  const named = e.BUTLER_SIMULATORS;
  const conflicts: string[] = [];
  if (externalPbx && e.PBX_MODE) conflicts.push(`PBX_MODE=${e.PBX_MODE} with PBX_RPC_URL, PBX_DATABASE_URL and PBX_SIP_ADDRESS (a real Kamailio)`);
  if (externalPbx && named.includes('pbx'))
    conflicts.push('BUTLER_SIMULATORS names pbx while PBX_RPC_URL, PBX_DATABASE_URL and PBX_SIP_ADDRESS name a real Kamailio');
  if (e.PBX_MODE === 'embedded' && named.includes('pbx')) conflicts.push('BUTLER_SIMULATORS names pbx while PBX_MODE=embedded asks for the embedded Kamailio');
  if (e.CTI_BASE_URL && named.includes('cti')) conflicts.push('BUTLER_SIMULATORS names cti while CTI_BASE_URL names a real CTI');
  if (e.TELEMETRY_URL && named.includes('telemetry')) conflicts.push('BUTLER_SIMULATORS names telemetry while TELEMETRY_URL names a real endpoint');
  if (conflicts.length) throw new ConfigError(`invalid configuration: ${conflicts.join('; ')}; choose one`);
  const shared = e.BUTLER_SHARED_SIMULATORS;
  const unreachable = [
    shared.includes('pbx') && 'BUTLER_SHARED_SIMULATORS names pbx: the PBX simulator lives inside one process and cannot be shared (run the embedded Kamailio)',
    shared.includes('cti') && !e.CTI_BASE_URL && 'BUTLER_SHARED_SIMULATORS names cti without CTI_BASE_URL, the shared CTI emulator',
    shared.includes('telemetry') && !e.TELEMETRY_URL && 'BUTLER_SHARED_SIMULATORS names telemetry without TELEMETRY_URL, the shared telemetry simulator',
  ].filter(Boolean);
  if (unreachable.length) throw new ConfigError(`invalid configuration: ${unreachable.join('; ')}`);
  return SIMULATOR_NAMES.filter((n) => named.includes(n) || (n === 'pbx' && e.PBX_MODE === 'simulator'));
}

const hours = (h: number) => Math.round(h * 3_600_000);
const hourMinute = (hhmm: string) => ({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) });
