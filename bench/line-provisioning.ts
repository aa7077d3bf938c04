/**
 * Line provisioning under load: N lines requested at once through the HTTP
 * API, each taken from PENDING_CONTRACT to ACTIVE against the embedded
 * Kamailio (SIPp acceptance) and the CTI emulator.
 *
 * Each line: POST /lines/provisioning (an extension; every other one with a
 * CTI agent), POST /lines/:id/contract, then GET /lines/:id until ACTIVE or
 * FAILED. Prints lines per second, p50/p99 from contract to ACTIVE, the
 * failures, and where that time went: inside the adapter activities (PBX, CTI,
 * SIPp), inside Temporal (activity dispatch, workflow tasks) or in the
 * projections to PostgreSQL, from each workflow's event history.
 *
 * As in production (and as bench/incident-api-vs-client.ts does), the worker
 * and the API run in processes of their own, on free ports and a temporary
 * data folder, so a running `npm start` is not disturbed. Everything this
 * starts is stopped at the end, on an error, and on Ctrl-C.
 *
 *   npm run bench:lines -- [--n 200] [--concurrency 200] [--poll-ms 200] [--warmup 4] [--timeout-s 600]
 *                          [--worker-log-level info|debug]
 *
 * The worker's and the API's logs are kept in /tmp/butler-bench-lines-*.log
 * (with `--worker-log-level debug`, Kamailio's own lines too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { lineWorkflowId, type LineState } from '../domain/line/contracts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../runtime/embedded-temporal';
import { freePort } from '../test/support/free-port';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get('n') ?? 200);
const CONCURRENCY = Number(args.get('concurrency') ?? 200);
const POLL_MS = Number(args.get('poll-ms') ?? 200);
const WARMUP = Number(args.get('warmup') ?? 4);
const LINE_TIMEOUT_MS = Number(args.get('timeout-s') ?? 600) * 1000;
/** `debug` also puts Kamailio's own log lines in the log file. */
const WORKER_LOG_LEVEL = args.get('worker-log-level') ?? 'info';
const TOKEN = 'bench-spm-token';

/** The activities that call the PBX, the CTI or SIPp: their run time is "in adapters". */
const ADAPTER_ACTIVITIES = [
  'installExtension',
  'installPhone',
  'installTrunk',
  'installDialplanRule',
  'createCtiAgent',
  'joinCtiTeam',
  'assignCtiSkills',
  'acceptLine',
  'removeInstalledItem',
];

const lineRequest = (i: number, dnBase: number) => ({
  center: '상담 1센터',
  dn: String(dnBase + i),
  displayName: `벤치 ${i}`,
  lineType: 'extension' as const,
  // Every other line has an agent, so half of them also go through the CTI.
  ...(i % 2 === 0 ? { agent: { loginId: `bench.${dnBase + i}@bench.example`, name: `벤치 상담원 ${i}`, team: '상담1팀', skills: [{ name: '상담', proficiency: 3 }] } } : {}),
});

const contract = (i: number) => ({
  contractNo: `BENCH-${i}`,
  carrier: 'KT',
  monthlyFee: 33_000,
  termMonths: 36,
  signedAt: new Date().toISOString().slice(0, 10),
});

// ---- the stack, and taking it down again ---------------------------------------

/** Stops run newest first, once, whichever way the benchmark ends. */
const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
/** Synchronous last resort on process exit: SIGKILL to the process groups we made. */
const groupsToKill = new Set<number>();
let stopping: Promise<void> | undefined;
/** Ctrl-C: the load stops, nothing more is reported. */
let interrupted = false;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const s of stops.splice(0).reverse()) {
      try {
        await s.stop();
      } catch (err) {
        console.error(`stopping ${s.name} failed: ${String(err)}`);
      }
    }
  })();
  return stopping;
}

process.on('exit', () => groupsToKill.forEach((pgid) => killGroup(pgid, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.error(`${signal} again: killing what is left`);
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the worker, the API, Kamailio, SIPp, Temporal and PostgreSQL…`);
    void stopAll().finally(() => process.exit(130));
  });
}

interface Stack {
  baseUrl: string;
  temporalAddress: string;
  pbx: string;
  /** Kamailio's pid while it runs (read from its pid file); undefined with the PBX simulator or once it is gone. */
  kamailioPid(): number | undefined;
  workerPid: number;
  apiPid: number;
  logFile: string;
  warnings: string[];
}

async function startStack(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-bench-lines-'));
  const logFile = `${dataDir}.log`;
  stops.push({ name: 'data folder', stop: async () => rmSync(dataDir, { recursive: true, force: true }) });
  const [pgPort, temporalPort, apiPort, rpcPort, ctiPort, sipPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freeUdpPair(),
  ]);

  const [db, temporal] = await Promise.allSettled([
    startEmbeddedPostgres({ dataDir, port: pgPort }),
    startEmbeddedTemporal({ dataDir, port: temporalPort, headless: true }),
  ]);
  if (db.status === 'fulfilled') stops.push({ name: 'PostgreSQL', stop: () => db.value.stop() });
  if (temporal.status === 'fulfilled') stops.push({ name: 'Temporal', stop: () => temporal.value.stop() });
  if (db.status === 'rejected') throw db.reason;
  if (temporal.status === 'rejected') throw temporal.reason;
  const { url: databaseUrl } = db.value as EmbeddedDatabase;
  const { address: temporalAddress } = temporal.value as EmbeddedTemporal;

  const log = createWriteStream(logFile);
  stops.push({ name: 'log file', stop: () => new Promise((r) => log.end(r)) });
  const warnings: string[] = [];
  const env = {
    ...process.env,
    BUTLER_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `bench-lines-${process.pid}`,
    DATABASE_URL: databaseUrl,
    EMBEDDED_PBX_SIP_PORT: String(sipPort),
    EMBEDDED_PBX_RPC_PORT: String(rpcPort),
    EMBEDDED_PBX_ANSWERING_PORT: String(sipPort + 2),
    CTI_EMULATOR_PORT: String(ctiPort),
  };

  const kamailioPid = () => pidFromFile(path.join(dataDir, 'kamailio', 'kamailio.pid'), 'kamailio');
  // The worker brings up the CTI emulator and Kamailio + the SIPp answering point (or the PBX simulator).
  let pbx = 'unknown (the worker did not say)';
  const worker = startProcess('worker', 'worker-main.ts', { ...env, LOG_LEVEL: WORKER_LOG_LEVEL }, log, warnings, (msg) => {
    if (msg.startsWith('PBX: ')) pbx = `${msg.slice(5)} — real Kamailio, SIPp acceptance`;
    if (msg.includes('PBX SIMULATOR')) pbx = 'the PBX SIMULATOR (Kamailio is not installed)';
    return msg.startsWith('worker polling task queue');
  });
  stops.push({
    name: 'worker',
    stop: async () => {
      // The worker stops Kamailio itself; if it had to be killed, Kamailio (its own process group) is killed here.
      await stopProcess(worker.child, 30_000);
      const kamailio = kamailioPid();
      if (kamailio) killGroup(kamailio, 'SIGKILL');
      groupsToKill.clear();
    },
  });
  await worker.ready;
  const kamailio = kamailioPid();
  if (kamailio) groupsToKill.add(kamailio);

  const api = startProcess('api', 'api-main.ts', { ...env, PORT: String(apiPort), BUTLER_TOKENS: `spm:${TOKEN}:bench`, LOG_LEVEL: 'warn' }, log, warnings, null);
  stops.push({ name: 'API', stop: () => stopProcess(api.child, 10_000) });
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitReady(`${baseUrl}/readyz`);
  return { baseUrl, temporalAddress, pbx, kamailioPid, workerPid: worker.child.pid!, apiPid: api.child.pid!, logFile, warnings };
}

/**
 * Runs a runtime entry point in its own process group (so SIPp runs it starts
 * go with it), its output to the log file. `ready` resolves when `isReady`
 * accepts a log message (at once when null).
 */
function startProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  log: WriteStream,
  warnings: string[],
  isReady: ((msg: string) => boolean) | null,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'runtime', entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid) groupsToKill.add(child.pid);
  child.once('exit', () => child.pid && groupsToKill.delete(child.pid));
  const warn = (w: string) => warnings.length < 5000 && warnings.push(`[${name}] ${w}`);
  // The SDK logs in plain text, one warning over several lines: "… [WARN] Activity failed {", then its fields.
  let block: { header: string; activityType?: string } | undefined;
  const sdkWarning = (line: string) => {
    const header = /\[(WARN|ERROR)\] (.*?)\s*\{?$/.exec(line);
    if (header) {
      block = { header: header[2] };
      return;
    }
    if (!block) return;
    const type = /^\s+activityType: '([^']+)'/.exec(line);
    if (type) block.activityType = type[1];
    const error = /^\s+error: (.*)$/.exec(line);
    if (error || /^\}/.test(line)) {
      warn([block.header, block.activityType, error?.[1]].filter(Boolean).join(': ').slice(0, 300));
      block = undefined;
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    if (!isReady) resolve();
    const onLine = (line: string) => {
      log.write(`[${name}] ${line}\n`);
      let entry: { level?: number; msg?: string } | undefined;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string };
      } catch {
        sdkWarning(line);
        return;
      }
      if ((entry.level ?? 0) >= 40) warn(entry.msg ?? line.slice(0, 300));
      if (isReady && entry.msg && isReady(entry.msg)) resolve();
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.on('data', (b: Buffer) => {
        const lines = (rest + b.toString()).split('\n');
        rest = lines.pop()!;
        lines.filter((l) => l.trim()).forEach(onLine);
      });
    }
    child.once('exit', (code) => reject(new Error(`the ${name} process exited (${code}) during start-up; see its log in ${log.path}`)));
  });
  return { child, ready };
}

/** Notes when Kamailio goes away while the load runs: everything PBX-side fails after that. */
function watchKamailio(pid: number | undefined): { pid?: number; diedAt?: number; stop(): void } {
  const watch: { pid?: number; diedAt?: number; stop(): void } = { pid, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    if (pid === undefined || watch.diedAt !== undefined) return;
    let state: string | undefined;
    try {
      // /proc/<pid>/stat: "pid (comm) S …"; Z is a dead process not yet reaped.
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      state = undefined;
    }
    if (state === undefined || state === 'Z') watch.diedAt = Date.now();
  }, 250);
  return watch;
}

/** SIGTERM (the process stops its own stack in order), then SIGKILL to its whole group after `graceMs`. */
function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid!;
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(pgid, 'SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.error(`pid ${pgid} did not stop within ${graceMs} ms: killing its process group`);
      killGroup(pgid, 'SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Whatever it started in its group and left behind (SIPp runs) goes too.
      killGroup(pgid, 'SIGKILL');
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/** The pid in a pid file, if that process is still running and is `comm`. */
function pidFromFile(file: string, comm: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A UDP port p with p + 2 also free: Kamailio's SIP port and the SIPp answering point's. */
async function freeUdpPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await udpFree(p)) && (await udpFree(p + 2))) return p;
  }
  throw new Error('no free UDP port pair found');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(250);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the load -------------------------------------------------------------------

interface LineRun {
  i: number;
  agent: boolean;
  id?: string;
  /** Client wall clock (Date.now()) at each step: comparable with the Temporal event times, same machine. */
  postedAt: number;
  provisionedAt?: number;
  contractSentAt?: number;
  contractAnsweredAt?: number;
  doneAt?: number;
  final?: LineState;
  /** Why the line did not reach ACTIVE. */
  failure?: string;
}

async function provisionLines(baseUrl: string, n: number, concurrency: number, dnBase: number): Promise<LineRun[]> {
  const call = async <T>(method: 'GET' | 'POST', p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  };

  const one = async (i: number): Promise<LineRun> => {
    const request = lineRequest(i, dnBase);
    const run: LineRun = { i, agent: 'agent' in request, postedAt: Date.now() };
    try {
      const line = await call<LineState>('POST', '/api/v1/lines/provisioning', request);
      run.id = line.id;
      run.provisionedAt = Date.now();
      run.contractSentAt = Date.now();
      await call<LineState>('POST', `/api/v1/lines/${line.id}/contract`, contract(i));
      run.contractAnsweredAt = Date.now();
      const deadline = Date.now() + LINE_TIMEOUT_MS;
      for (;;) {
        const seen = await call<LineState>('GET', `/api/v1/lines/${line.id}`);
        if (interrupted) throw new Error('interrupted');
        if (seen.status === 'ACTIVE' || seen.status === 'FAILED') {
          run.doneAt = Date.now();
          run.final = seen;
          if (seen.status === 'FAILED') run.failure = `FAILED at ${seen.failure?.step}: ${seen.failure?.type}: ${seen.failure?.cause}`;
          return run;
        }
        if (Date.now() > deadline) {
          run.final = seen;
          const failed = [...seen.history].reverse().find((h) => h.type === 'step-failed')?.details;
          run.failure = `still ${seen.status} (${seen.step}) after ${LINE_TIMEOUT_MS / 1000} s${failed ? `; ${failed.step} had failed: ${String(failed.type)}: ${String(failed.cause)}` : ''}`;
          return run;
        }
        await sleep(POLL_MS);
      }
    } catch (err) {
      run.failure = err instanceof Error ? err.message : String(err);
      return run;
    }
  };

  const runs: LineRun[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n && !interrupted) runs.push(await one(next++));
    }),
  );
  return runs.sort((a, b) => a.i - b.i);
}

/** Lines per status in the inventory, as GET /lines counts them. */
async function inventory(baseUrl: string): Promise<string> {
  const counts: string[] = [];
  for (const status of ['PENDING_CONTRACT', 'INSTALLING', 'ACCEPTANCE', 'ACTIVE', 'FAILED']) {
    const res = await fetch(`${baseUrl}/api/v1/lines?status=${status}&limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { total } = (await res.json()) as { total: number };
    if (total > 0) counts.push(`${status} ${total}`);
  }
  return counts.join(', ') || 'empty';
}

// ---- where the time went, from the workflow histories ---------------------------

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Milliseconds inside [contract recorded, ACTIVE] of one line, by where they were spent. */
interface Breakdown {
  window: number;
  adapters: number;
  activityDispatch: number;
  retries: number;
  /** WorkflowTaskScheduled → Started: waiting for a workflow task slot of the worker. */
  workflowTaskQueue: number;
  /** WorkflowTaskStarted → Completed, less the projections run inside it. */
  workflowTaskRun: number;
  projections: number;
}

interface ActivityRun {
  type: string;
  /** ActivityTaskScheduled → ActivityTaskStarted (the last attempt's start). */
  queueMs: number;
  /** ActivityTaskStarted → closed (the last attempt). */
  runMs: number;
  attempt: number;
  outcome: 'completed' | 'failed' | 'timed out' | 'open';
}

interface Analysis {
  breakdown?: Breakdown;
  activities: ActivityRun[];
  /** Event times (epoch ms) of the start: what POST /lines/provisioning waited for. */
  start?: { workflowStarted: number; firstTaskScheduled: number; firstTaskStarted?: number; firstTaskClosed?: number };
}

function analyse(line: LineState, history: History): Analysis {
  const ms = (t: Parameters<typeof tsToMs>[0]) => tsToMs(t);
  const acts = new Map<string, { type: string; scheduled: number; started?: number; closed?: number; attempt: number; outcome: ActivityRun['outcome'] }>();
  const wfts = new Map<string, { scheduled: number; started?: number; closed?: number; lastLocalActivityEnd?: number }>();
  let lastCompletedWft: { started?: number; closed?: number; lastLocalActivityEnd?: number } | undefined;
  let workflowStarted: number | undefined;
  for (const e of history.events ?? []) {
    const t = ms(e.eventTime);
    const id = String(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      workflowStarted = t;
    } else if (e.activityTaskScheduledEventAttributes) {
      acts.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', scheduled: t, attempt: 1, outcome: 'open' });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = acts.get(String(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (a) Object.assign(a, { started: t, attempt: e.activityTaskStartedEventAttributes.attempt ?? 1 });
    } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes) {
      const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes!;
      const a = acts.get(String(attrs.scheduledEventId));
      if (a) Object.assign(a, { closed: t, outcome: e.activityTaskCompletedEventAttributes ? 'completed' : e.activityTaskFailedEventAttributes ? 'failed' : 'timed out' });
    } else if (e.workflowTaskScheduledEventAttributes) {
      wfts.set(id, { scheduled: t });
    } else if (e.workflowTaskStartedEventAttributes) {
      const w = wfts.get(String(e.workflowTaskStartedEventAttributes.scheduledEventId));
      if (w) w.started = t;
    } else if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) {
      const attrs = e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes!;
      const w = wfts.get(String(attrs.scheduledEventId));
      if (w) w.closed = t;
      lastCompletedWft = w;
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' && lastCompletedWft) {
      // The markers a workflow task recorded follow its WorkflowTaskCompleted event.
      const end = localActivityCompleteTime(e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data);
      if (end !== undefined) lastCompletedWft.lastLocalActivityEnd = Math.max(lastCompletedWft.lastLocalActivityEnd ?? 0, end);
    }
  }

  const activities: ActivityRun[] = [...acts.values()]
    .filter((a) => a.started !== undefined)
    .map((a) => ({ type: a.type, queueMs: a.started! - a.scheduled, runMs: (a.closed ?? a.started!) - a.started!, attempt: a.attempt, outcome: a.outcome }));

  const first = [...wfts.values()][0];
  const start = workflowStarted !== undefined && first ? { workflowStarted, firstTaskScheduled: first.scheduled, firstTaskStarted: first.started, firstTaskClosed: first.closed } : undefined;

  const at = (type: string) => line.history.find((h) => h.type === type)?.at;
  const from = at('contract-recorded');
  const to = at('status:ACTIVE');
  if (!from || !to) return { activities, start };
  const w = { start: Date.parse(from), end: Date.parse(to) };
  const clip = (a: number, b: number) => Math.max(0, Math.min(b, w.end) - Math.max(a, w.start));

  const breakdown: Breakdown = { window: w.end - w.start, adapters: 0, activityDispatch: 0, retries: 0, workflowTaskQueue: 0, workflowTaskRun: 0, projections: 0 };
  for (const a of acts.values()) {
    if (a.started === undefined) continue;
    const queue = clip(a.scheduled, a.started);
    if (a.attempt > 1) breakdown.retries += queue;
    else breakdown.activityDispatch += queue;
    // Other activities (notify) run after ACTIVE, or count as "other".
    if (ADAPTER_ACTIVITIES.includes(a.type)) breakdown.adapters += clip(a.started, a.closed ?? a.started);
  }
  for (const t of wfts.values()) {
    if (t.started === undefined) continue;
    const closed = t.closed ?? t.started;
    // Local activities (projectLine) run inside the workflow task that scheduled them, from its start.
    const localEnd = Math.min(closed, t.lastLocalActivityEnd ?? t.started);
    const projections = clip(t.started, localEnd);
    breakdown.projections += projections;
    breakdown.workflowTaskQueue += clip(t.scheduled, t.started);
    breakdown.workflowTaskRun += clip(t.started, closed) - projections;
  }
  return { breakdown, activities, start };
}

/** complete_time of a local activity marker (JSON; a timestamp as an RFC 3339 string or {seconds, nanos}). */
function localActivityCompleteTime(data: Uint8Array | null | undefined): number | undefined {
  if (!data) return undefined;
  try {
    const marker = JSON.parse(Buffer.from(data).toString('utf8')) as { complete_time?: unknown; completeTime?: unknown };
    const t = marker.complete_time ?? marker.completeTime;
    if (typeof t === 'string') return Date.parse(t);
    if (t && typeof t === 'object' && 'seconds' in t) {
      const { seconds, nanos } = t as { seconds: number | string; nanos?: number };
      return Number(seconds) * 1000 + (nanos ?? 0) / 1e6;
    }
  } catch {
    // Not JSON: no split of that workflow task.
  }
  return undefined;
}

async function fetchHistories(client: Client, runs: LineRun[]): Promise<Map<number, Analysis>> {
  const out = new Map<number, Analysis>();
  const todo = runs.filter((r) => r.id && r.final);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < todo.length) {
        const r = todo[next++];
        const history = await client.workflow.getHandle(lineWorkflowId(r.id!)).fetchHistory();
        out.set(r.i, analyse(r.final!, history));
      }
    }),
  );
  return out;
}

// ---- figures ---------------------------------------------------------------------

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

function report(runs: LineRun[], analyses: Map<number, Analysis>, wallStart: number): void {
  const active = runs.filter((r) => r.final?.status === 'ACTIVE');
  const failed = runs.filter((r) => r.failure);
  const lastActive = Math.max(...active.map((r) => r.doneAt!));
  const wallS = active.length ? (lastActive - wallStart) / 1000 : NaN;
  const ofActive = (pick: (r: LineRun) => number | undefined, rs = active) => rs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const window = (r: LineRun) => analyses.get(r.i)?.breakdown?.window;

  console.log('');
  console.log(`lines: ${runs.length} (${runs.filter((r) => r.agent).length} with a CTI agent), concurrency ${Math.min(CONCURRENCY, runs.length)}, poll every ${POLL_MS} ms, machine: ${cpus().length} cores`);
  console.log('');
  console.log('ACTIVE   failed   lines/s   wall s (first POST → last ACTIVE)');
  console.log(`${String(active.length).padStart(6)} ${String(failed.length).padStart(8)} ${f1(active.length / wallS).padStart(9)} ${f1(wallS).padStart(8)}`);

  console.log('');
  console.log('latency, ms (ACTIVE lines)                       p50      p99      max');
  const row = (name: string, v: number[]) =>
    console.log(`${name.padEnd(45)} ${f0(pct(v, 50)).padStart(8)} ${f0(pct(v, 99)).padStart(8)} ${f0(pct(v, 100)).padStart(8)}`);
  row('POST provisioning → 201', ofActive((r) => r.provisionedAt! - r.postedAt));
  row('POST contract → 200', ofActive((r) => r.contractAnsweredAt! - r.contractSentAt!));
  row('contract → ACTIVE (workflow history)', ofActive(window));
  row('  lines without an agent (PBX only)', ofActive(window, active.filter((r) => !r.agent)));
  row('  lines with an agent (PBX + CTI)', ofActive(window, active.filter((r) => r.agent)));
  row('contract POST → ACTIVE seen by GET (client)', ofActive((r) => r.doneAt! - r.contractSentAt!));

  // POST /lines/provisioning answers once the workflow's first task has put the line in the inventory.
  const started = runs.filter((r) => r.provisionedAt !== undefined && analyses.get(r.i)?.start);
  const phase = (pick: (s: NonNullable<Analysis['start']>, r: LineRun) => number | undefined) =>
    started.map((r) => pick(analyses.get(r.i)!.start!, r)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  console.log('');
  console.log(`POST provisioning → 201, ms (${started.length} lines)             p50      p99      max`);
  row('API, until the workflow has started', phase((s, r) => s.workflowStarted - r.postedAt));
  row('first workflow task, scheduled → started', phase((s) => s.firstTaskStarted! - s.firstTaskScheduled));
  row('first workflow task, started → completed', phase((s) => s.firstTaskClosed! - s.firstTaskStarted!));
  row('after it, until the 201 arrived', phase((s, r) => r.provisionedAt! - s.firstTaskClosed!));

  const keys = ['window', 'adapters', 'activityDispatch', 'workflowTaskQueue', 'workflowTaskRun', 'projections', 'retries'] as const;
  const totals = Object.fromEntries(keys.map((k) => [k, 0])) as Record<(typeof keys)[number], number>;
  const perLine = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<(typeof keys)[number], number[]>;
  for (const r of active) {
    const b = analyses.get(r.i)?.breakdown;
    if (!b) continue;
    for (const k of keys) {
      totals[k] += b[k];
      perLine[k].push(b[k]);
    }
  }
  const other = keys.slice(1).reduce((rest, k) => rest - totals[k], totals.window);
  const share = (v: number) => `${((v / totals.window) * 100).toFixed(1)} %`;
  console.log('');
  console.log('contract → ACTIVE, summed over the ACTIVE lines             total s    share   p50/line ms');
  const split = (name: string, v: number, each: number[]) =>
    console.log(`${name.padEnd(58)} ${f1(v / 1000).padStart(8)} ${share(v).padStart(8)} ${f0(pct(each, 50)).padStart(13)}`);
  split('in adapters (PBX, CTI, SIPp activities running)', totals.adapters, perLine.adapters);
  const inTemporal = perLine.activityDispatch.map((v, i) => v + perLine.workflowTaskQueue[i] + perLine.workflowTaskRun[i]);
  split('in Temporal', totals.activityDispatch + totals.workflowTaskQueue + totals.workflowTaskRun, inTemporal);
  split('  activity tasks, scheduled → started', totals.activityDispatch, perLine.activityDispatch);
  split('  workflow tasks, scheduled → started (waiting for a poll)', totals.workflowTaskQueue, perLine.workflowTaskQueue);
  split('  workflow tasks, started → completed (less projections)', totals.workflowTaskRun, perLine.workflowTaskRun);
  split('projections to PostgreSQL (local activity projectLine)', totals.projections, perLine.projections);
  split('retries (failed attempts + backoff)', totals.retries, perLine.retries);
  split('other', other, []);
  split('total', totals.window, perLine.window);

  const byType = new Map<string, ActivityRun[]>();
  for (const a of [...analyses.values()].flatMap((x) => x.activities)) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  console.log('');
  console.log('activity                 count   run p50   run p99   queue p50   queue p99   retried   not completed');
  const order = (type: string) => (ADAPTER_ACTIVITIES.includes(type) ? ADAPTER_ACTIVITIES.indexOf(type) : ADAPTER_ACTIVITIES.length);
  for (const [type, list] of [...byType.entries()].sort((a, b) => order(a[0]) - order(b[0]))) {
    const run = list.map((a) => a.runMs);
    const queue = list.filter((a) => a.attempt === 1).map((a) => a.queueMs);
    console.log(
      `${type.padEnd(22)} ${String(list.length).padStart(7)} ${f0(pct(run, 50)).padStart(9)} ${f0(pct(run, 99)).padStart(9)} ${f0(pct(queue, 50)).padStart(11)} ${f0(pct(queue, 99)).padStart(11)} ${String(list.filter((a) => a.attempt > 1).length).padStart(9)} ${String(list.filter((a) => a.outcome !== 'completed').length).padStart(15)}`,
    );
  }

  if (failed.length) {
    console.log('');
    console.log(`failures: ${failed.length}; the most frequent causes:`);
    const causes = new Map<string, number>();
    for (const r of failed) causes.set(r.failure!, (causes.get(r.failure!) ?? 0) + 1);
    [...causes.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 8)
      .forEach(([cause, count]) => console.log(`  ${count} × ${cause}`));
  }
}

// ---- CPU per process, from /proc -----------------------------------------------

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

interface Proc {
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in ticks: its own CPU and that of children it has reaped. */
  ticks: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(entry), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // Gone meanwhile.
    }
  }
  return procs;
}

/** The processes whose CPU is reported, each with everything below it (down to the next one listed). */
function cpuComponents(stack: Stack): Map<number, string> {
  const procs = readProcs();
  const childOf = (parent: number, comm: string) => [...procs.entries()].find(([, p]) => p.ppid === parent && p.comm === comm)?.[0];
  const roots = new Map<number, string>([
    [stack.workerPid, 'worker (workflows, activities, CTI emulator, SIPp runs)'],
    [stack.apiPid, 'API'],
    [process.pid, 'this load generator'],
  ]);
  const add = (pid: number | undefined, name: string) => pid !== undefined && roots.set(pid, name);
  add(childOf(process.pid, 'temporal'), 'Temporal server');
  add(childOf(process.pid, 'postgres'), 'PostgreSQL');
  add(stack.kamailioPid(), 'Kamailio');
  add(childOf(stack.workerPid, 'sipp'), 'SIPp answering point');
  return roots;
}

function cpuByComponent(roots: Map<number, string>): Map<string, number> {
  const procs = readProcs();
  const out = new Map<string, number>([...roots.values()].map((name) => [name, 0]));
  for (const [pid, p] of procs) {
    // The nearest listed ancestor (or itself) owns the process's CPU.
    let at: number | undefined = pid;
    for (let hops = 0; at !== undefined && at > 1 && !roots.has(at) && hops < 50; hops++) at = procs.get(at)?.ppid;
    const name = at !== undefined ? roots.get(at) : undefined;
    if (name) out.set(name, out.get(name)! + p.ticks);
  }
  return out;
}

function reportCpu(before: Map<string, number>, after: Map<string, number>, wallMs: number): void {
  const available = (cpus().length * wallMs) / 1000;
  console.log('');
  console.log(`CPU while the load ran (${cpus().length} cores × ${(wallMs / 1000).toFixed(1)} s = ${available.toFixed(1)} core-s)   core-s    share`);
  let used = 0;
  for (const [name, ticks] of [...after.entries()].sort((a, b) => b[1] - (before.get(b[0]) ?? 0) - (a[1] - (before.get(a[0]) ?? 0)))) {
    const seconds = Math.max(0, ticks - (before.get(name) ?? 0)) / CLK_TCK;
    used += seconds;
    console.log(`${name.padEnd(60)} ${seconds.toFixed(1).padStart(8)} ${`${((seconds / available) * 100).toFixed(1)} %`.padStart(8)}`);
  }
  const idle = Math.max(0, available - used);
  console.log(`${'idle or other processes'.padEnd(60)} ${idle.toFixed(1).padStart(8)} ${`${((idle / available) * 100).toFixed(1)} %`.padStart(8)}`);
}

// ---- main ------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`starting PostgreSQL, Temporal, the worker (CTI emulator, PBX) and the API…`);
  const stack = await startStack();
  console.log(`PBX: ${stack.pbx}; CTI: the CTI emulator (worker and API logs: ${stack.logFile})`);

  const connection = await Connection.connect({ address: stack.temporalAddress });
  stops.push({ name: 'Temporal client', stop: () => connection.close() });
  const client = new Client({ connection });

  if (WARMUP > 0) {
    // Bundle caches, connection pools, Kamailio's tables, the CTI token: not part of the figures.
    const warm = await provisionLines(stack.baseUrl, WARMUP, WARMUP, 60_000);
    if (interrupted) return;
    const bad = warm.filter((r) => r.failure);
    console.log(`warm-up: ${warm.length - bad.length}/${warm.length} ACTIVE${bad.length ? ` (${bad[0].failure})` : ''}`);
  }

  const wallStart = Date.now();
  const kamailio = watchKamailio(stack.kamailioPid());
  const components = cpuComponents(stack);
  const cpuBefore = cpuByComponent(components);
  const runs = await provisionLines(stack.baseUrl, N, CONCURRENCY, 70_000);
  const cpuAfter = cpuByComponent(components);
  kamailio.stop();
  if (interrupted) return;
  console.log(`load done in ${((Date.now() - wallStart) / 1000).toFixed(1)} s; reading ${runs.filter((r) => r.final).length} workflow histories…`);
  const analyses = await fetchHistories(client, runs);
  report(runs, analyses, wallStart);
  reportCpu(cpuBefore, cpuAfter, Date.now() - wallStart);
  // A request answered 503 may still have started its workflow: such a line shows up here, holding its DN.
  await sleep(2_000);
  console.log('');
  console.log(`inventory after the run (bench DNs and warm-up): ${await inventory(stack.baseUrl)}`);
  if (kamailio.diedAt !== undefined) {
    console.log('');
    console.log(
      `KAMAILIO DIED ${((kamailio.diedAt - wallStart) / 1000).toFixed(1)} s into the run (pid ${kamailio.pid}); ` +
        'run with --worker-log-level debug to get its own log lines in the log file',
    );
  }
  if (stack.warnings.length) {
    const counts = new Map<string, number>();
    for (const w of stack.warnings) counts.set(w, (counts.get(w) ?? 0) + 1);
    console.log('');
    console.log(`worker/API warnings and errors logged: ${stack.warnings.length}${stack.warnings.length >= 5000 ? '+' : ''}; the most frequent:`);
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .forEach(([w, count]) => console.log(`  ${String(count).padStart(5)} × ${w}`));
  }
}

main()
  .catch((err) => {
    // After Ctrl-C the stack is going away under the load: those errors say nothing.
    if (interrupted) return;
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    process.exit();
  });
