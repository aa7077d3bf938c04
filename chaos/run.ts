import { DefaultLogger, Runtime, makeTelemetryFilterString, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { IncidentState } from '../domain/incident/contracts';
import type { LineState } from '../domain/line/contracts';
import { bundleWorkflows } from '../runtime/workflow-bundle';
import { createApiClient, type ApiClient } from './api-client';
import { FAULT_KINDS, FAULTS_OF, injectFault, planFaults, type FaultKind, type InjectedFault } from './faults';
import { checkSlaTimers } from './invariants/sla-timers';
import { incidentWorkflowId } from '../workflows/incident/messages';
import { checkDuplicates, mailDeliveries, webhookDeliveries } from './invariants/duplicates';
import { checkNoWorkflowTaskFailed, checkReplay, fetchAllHistories } from './invariants/histories';
import { checkReadModel, type Subject } from './invariants/read-model';
import { checkAckedTransitions } from './invariants/transitions';
import { compareVendorObjects, readVendorView } from './invariants/vendor-objects';
import { count, emptyResult, merge, type CheckCounts, type CheckResult, type Violation } from './invariants/violation';
import { createRng } from './rng';
import { sleep, startChaosStack, STICKY_TIMEOUT_MS, type ChaosStack, type ChaosTopology } from './stack';
import { AUTO_CLOSE_SECONDS, runRound, setUpWorkload, terminateLine, transition, type Known, type RoundLine } from './workload';

export interface ChaosOptions {
  rounds: number;
  seed: number;
  /** Wall-time budget: no new round starts once it would not fit. */
  minutes: number;
  faultsPerRound: number;
  incidentsPerRound: number;
  /** An inspection every this many rounds (the first round has one). */
  inspectionEvery: number;
  /** The dev server (default) or the production topology's cluster with two workers. */
  topology?: ChaosTopology;
  log?: (line: string) => void;
}

export interface ChaosReport {
  topology: ChaosTopology;
  seed: number;
  roundsPlanned: number;
  roundsRun: number;
  faults: Record<FaultKind, number>;
  faultLog: InjectedFault[];
  checks: CheckCounts;
  violations: Violation[];
  /** How late the SLA breaches were recorded after their due instants (each breach once, at its last check). */
  slaTimers: { fired: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null };
  workload: { incidents: number; lines: number; changes: number; inspections: number; requests: number; acked: number; refused: number; unknown: number };
  notes: string[];
  wallMs: number;
  logFile: string;
}

export const DEFAULTS: Omit<ChaosOptions, 'seed'> = { rounds: 5, minutes: 20, faultsPerRound: 2, incidentsPerRound: 3, inspectionEvery: 3 };

/** The suite: stack up, rounds of workload with faults, the invariants after each round and at the end. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.log ?? (() => undefined);
  const began = Date.now();
  const budgetMs = options.minutes * 60_000;
  installQuietRuntime();
  const rng = createRng(options.seed);
  const topology = options.topology ?? 'dev-server';
  const faultPlan = planFaults(createRng(options.seed ^ 0x5eed), options.rounds, options.faultsPerRound, FAULTS_OF[topology]);
  const faultLog: InjectedFault[] = [];
  const total = emptyResult();
  const known: Known = { incidents: new Set(), lines: new Set(), changes: new Set(), inspections: new Set(), notes: [] };
  const lateness = new Map<string, number>();

  say(`chaos: ${topology}, seed ${options.seed}, ${options.rounds} rounds, ${options.minutes} min budget`);
  const [stack, workflowBundle] = await Promise.all([startChaosStack({ log: say, topology }), bundleWorkflows()]);
  // Stopped from outside (Ctrl-C, a timeout), the run takes its stack down rather than leave it running.
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the stack`);
    void stack
      .stop()
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const api = createApiClient(stack.apiUrl);
  let roundsRun = 0;
  try {
    await setUpWorkload(api, stack.webhooks.baseUrl);
    let previousLine: RoundLine | undefined;
    let inspections = 0;
    let longestRoundMs = 0;
    for (let round = 1; round <= options.rounds; round++) {
      const elapsed = Date.now() - began;
      // Room for this round (as long as the longest so far) and the final settling.
      if (round > 1 && elapsed + longestRoundMs + 150_000 > budgetMs) {
        known.notes.push(`stopped after ${round - 1} rounds: the ${options.minutes} min budget would not hold another`);
        break;
      }
      const roundStart = Date.now();
      const inspection = (round - 1) % options.inspectionEvery === 0;
      say(`round ${round}: faults ${faultPlan[round - 1]!.join(', ')}${inspection ? ', with an inspection' : ''}`);
      const faults = runFaults(stack, rng, round, faultPlan[round - 1]!, roundStart, faultLog, say);
      const workload = runRound(
        api,
        rng,
        { round, incidents: options.incidentsPerRound, inspection, previousLine },
        String(options.seed),
        known,
        inspection ? inspections++ : 0,
      );
      const [, line] = await Promise.all([faults, workload]);
      previousLine = line;
      roundsRun = round;
      const result = await checkAll(stack, api, workflowBundle, known, { final: false, faultLog, lateness });
      for (const v of result.violations) v.round = round;
      merge(total, result);
      const roundMs = Date.now() - roundStart;
      longestRoundMs = Math.max(longestRoundMs, roundMs);
      say(`round ${round} done in ${Math.round(roundMs / 1000)} s: ${result.violations.length} violation(s)`);
      for (const v of result.violations) say(`  VIOLATION ${v.invariant} ${v.subject}: ${v.detail}`);
    }

    say('final: settling every incident, change, line and inspection');
    const settle = await settleEverything(api, known, previousLine);
    merge(total, settle);
    const final = await checkAll(stack, api, workflowBundle, known, { final: true, faultLog, lateness });
    for (const v of [...settle.violations, ...final.violations]) v.round = 0;
    merge(total, final);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stack.stop().catch(() => undefined);
  }

  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, faultLog.filter((f) => f.kind === k && !f.error).length])) as Record<FaultKind, number>;
  for (const f of faultLog.filter((f) => f.error)) {
    total.violations.push({
      invariant: 'settled',
      subject: `fault ${f.kind}`,
      detail: `round ${f.round}: the fault could not be injected or recovered from: ${f.error}`,
      round: f.round,
    });
  }
  const requests = api.ledger;
  const late = [...lateness.values()].sort((a, b) => a - b);
  const at = (q: number) => (late.length ? late[Math.min(late.length - 1, Math.ceil(q * late.length) - 1)]! : null);
  return {
    topology,
    seed: options.seed,
    roundsPlanned: options.rounds,
    roundsRun,
    faults,
    faultLog,
    checks: total.checks,
    violations: dedupe(total.violations),
    slaTimers: { fired: late.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: late.length ? late[late.length - 1]! : null },
    workload: {
      incidents: known.incidents.size,
      lines: known.lines.size,
      changes: known.changes.size,
      inspections: known.inspections.size,
      requests: requests.length,
      acked: requests.filter((r) => r.outcome === 'acked').length,
      refused: requests.filter((r) => r.outcome === 'refused').length,
      unknown: requests.filter((r) => r.outcome === 'unknown').length,
    },
    notes: known.notes,
    wallMs: Date.now() - began,
    logFile: stack.logFile,
  };
}

/** The round's faults, one after the other, each at a seeded instant within the round's busy first 30 s. */
async function runFaults(
  stack: ChaosStack,
  rng: ReturnType<typeof createRng>,
  round: number,
  kinds: FaultKind[],
  roundStart: number,
  log: InjectedFault[],
  say: (l: string) => void,
): Promise<void> {
  const instants = kinds.map(() => rng.int(1_000, 30_000)).sort((a, b) => a - b);
  for (const [i, kind] of kinds.entries()) {
    const wait = roundStart + instants[i]! - Date.now();
    if (wait > 0) await sleep(wait);
    const atMs = Date.now() - roundStart;
    const t0 = Date.now();
    try {
      const detail = await injectFault(stack, kind, rng);
      log.push({ kind, round, atMs, startedAt: t0, detail, tookMs: Date.now() - t0 });
      say(`  fault at +${(atMs / 1000).toFixed(1)} s: ${detail}`);
    } catch (err) {
      log.push({ kind, round, atMs, startedAt: t0, detail: '', tookMs: Date.now() - t0, error: (err as Error).message });
      say(`  fault ${kind} FAILED: ${(err as Error).message}`);
    }
  }
}

const actorOf = (role: string) => `chaos-${role}`;

/** Every invariant, against the stack as it stands. */
async function checkAll(
  stack: ChaosStack,
  api: ApiClient,
  bundle: WorkflowBundleWithSourceMap,
  known: Known,
  opts: { final: boolean; faultLog: readonly InjectedFault[]; lateness: Map<string, number> },
): Promise<CheckResult> {
  const result = emptyResult();
  stack.cti.faults.reset();
  const guard = async (what: string, fn: () => Promise<CheckResult>) => {
    try {
      merge(result, await fn());
    } catch (err) {
      result.violations.push({ invariant: 'settled', subject: what, detail: `the check could not run: ${(err as Error).message.slice(0, 400)}` });
    }
  };
  // First: a worker or API that died by itself was restarted, and everything below runs against the new one.
  // The workers and the API; on the cluster, its four services too.
  count(result, 'no-unexpected-exit', stack.workers + 1 + (stack.topology === 'cluster' ? 4 : 0));
  for (const crash of stack.takeCrashes()) {
    result.violations.push({
      invariant: 'no-unexpected-exit',
      subject: `${crash.process} pid ${crash.pid}`,
      detail: `exited by itself (${crash.exit}) at ${new Date(crash.atMs).toISOString()}; restarted${crash.restartError ? `, but the restart failed: ${crash.restartError}` : ''} (its last words are in the log)`,
    });
  }
  await guard('histories', async () => {
    const runs = await fetchAllHistories(stack.client);
    const evidence = `${stack.logFile.replace(/\.log$/, '')}-evidence`;
    return merge(checkNoWorkflowTaskFailed(runs, evidence), await checkReplay(runs, bundle, evidence));
  });
  const incidents = new Map<string, IncidentState>();
  const subjects: Subject[] = [
    ...[...known.incidents].map((id) => ({ kind: 'incident' as const, id })),
    ...[...known.lines].map((id) => ({ kind: 'line' as const, id })),
    ...[...known.changes].map((id) => ({ kind: 'change' as const, id })),
  ];
  await guard('read model', () => checkReadModel(api, stack.client, subjects, incidents));
  merge(result, checkAckedTransitions(api.ledger, new Map([...incidents].map(([id, state]) => [id, state.timeline])), actorOf));
  const allowanceMs = slaTimerAllowance(opts.faultLog);
  const timers = checkSlaTimers(incidents, allowanceMs);
  for (const v of timers.violations) v.detail += await timerEvidence(stack, v.subject);
  merge(result, timers);
  timers.lateness.forEach((ms, subject) => opts.lateness.set(subject, ms));
  // Deliveries still in flight finish first, so a retry racing a slow receiver is not missed.
  await sleep(opts.final ? 5_000 : 1_000);
  merge(result, checkDuplicates(mailDeliveries(stack.smtp.mails), webhookDeliveries(stack.webhooks.posts)));
  await guard('audit chain', async () => {
    const r = emptyResult();
    count(r, 'audit-chain');
    const verdict = await api.get<{ ok: boolean; checked: number } & Record<string, unknown>>('/api/v1/audit/verify', 'auditor');
    if (!verdict.ok) r.violations.push({ invariant: 'audit-chain', subject: 'audit_log', detail: JSON.stringify(verdict).slice(0, 500) });
    return r;
  });
  await guard('vendor objects', async () => {
    const lines = await Promise.all([...known.lines].map((id) => api.get<LineState>(`/api/v1/lines/${id}`)));
    // At rest: ACTIVE, FAILED, TERMINATED, CANCELLED, awaiting a contract or the equipment, scheduled, or left TERMINATION_FAILED for a person.
    const atRest = ['ACTIVE', 'FAILED', 'TERMINATED', 'CANCELLED', 'PENDING_CONTRACT', 'TERMINATION_SCHEDULED', 'TERMINATION_FAILED'];
    const moving = lines.filter((l) => !atRest.includes(l.status) && !l.step.includes('equipment'));
    // Objects of a line still being installed or removed are neither live nor orphaned yet.
    if (moving.length && !opts.final) return emptyResult();
    const view = await readVendorView(stack.kamailioDatabaseUrl, { url: stack.cti.url, ...stack.ctiCredentials });
    const r = compareVendorObjects(lines, view, {
      subscribers: [stack.testLine.callerDn],
      dialplanRules: [stack.testLine.ruleId],
      trunks: [stack.testLine.trunkId],
    });
    if (moving.length)
      r.violations.push({
        invariant: 'settled',
        subject: moving.map((l) => l.id).join(', '),
        detail: `lines still moving at the end: ${moving.map((l) => `${l.id} ${l.status} (${l.step})`).join('; ')}`,
      });
    return r;
  });
  return result;
}

/**
 * How late an SLA timer may be: the longest outage of the run, counting faults that follow one
 * another before the stack has caught up as one outage; plus the sticky timeout (a killed worker's
 * cached workflows wait that long before another worker may take them) and a few seconds of scheduling.
 */
export function slaTimerAllowance(faults: readonly Pick<InjectedFault, 'startedAt' | 'tookMs'>[]): number {
  const slackMs = STICKY_TIMEOUT_MS + 5_000;
  let longest = 0;
  let chain = 0;
  let chainEnd = -Infinity;
  for (const f of [...faults].sort((a, b) => a.startedAt - b.startedAt)) {
    chain = f.startedAt <= chainEnd + slackMs ? chain + f.tookMs : f.tookMs;
    chainEnd = f.startedAt + f.tookMs;
    longest = Math.max(longest, chain);
  }
  return longest + slackMs;
}

/** Where a late breach lost its time: when the server fired the timer, and when and where its workflow task was scheduled and started. */
async function timerEvidence(stack: ChaosStack, subject: string): Promise<string> {
  const id = subject.split(' ')[1]!;
  try {
    const history = await stack.client.workflow.getHandle(incidentWorkflowId(id)).fetchHistory();
    const events = history.events ?? [];
    const at = (e: (typeof events)[number]) => new Date(Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6)).toISOString();
    const fired = events.filter((e) => e.timerFiredEventAttributes);
    return ` (timers fired at ${fired.map(at).slice(-4).join(', ')}; workflow tasks: ${events
      .filter((e) => e.workflowTaskScheduledEventAttributes || e.workflowTaskStartedEventAttributes || e.workflowTaskTimedOutEventAttributes)
      .slice(-12)
      .map(
        (e) =>
          `${e.workflowTaskScheduledEventAttributes ? `scheduled on ${e.workflowTaskScheduledEventAttributes.taskQueue?.kind === STICKY_TASK_QUEUE_KIND ? 'sticky' : 'normal'}` : e.workflowTaskStartedEventAttributes ? 'started' : 'timed out'} ${at(e)}`,
      )
      .join(', ')})`;
  } catch (err) {
    return ` (its history could not be read: ${(err as Error).message.slice(0, 200)})`;
  }
}

/** temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY. */
const STICKY_TASK_QUEUE_KIND = 2;

const TERMINAL_INCIDENT = ['CLOSED', 'CANCELLED'];

/**
 * The end of the run: the last line is terminated, incidents still open are
 * resolved, and resolved ones whose auto-close is far off are closed by hand
 * (racing the auto-close timer on purpose); then everything must come to rest.
 */
async function settleEverything(api: ApiClient, known: Known, lastLine: RoundLine | undefined): Promise<CheckResult> {
  const result = emptyResult();
  const tasks: Array<Promise<unknown>> = [];
  if (lastLine) {
    tasks.push(terminateLine(api, lastLine, known));
  }
  for (const id of known.incidents) {
    tasks.push(
      (async () => {
        const view = await api.get<{ status: string; resolvedAt: string | null }>(`/api/v1/incidents/${id}`);
        if (['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING'].includes(view.status)) await transition(api, id, 'resolve', 'engineer');
        const now = await api.get<{ status: string; resolvedAt: string | null }>(`/api/v1/incidents/${id}`);
        if (now.status === 'RESOLVED' && now.resolvedAt && Date.parse(now.resolvedAt) + AUTO_CLOSE_SECONDS * 1000 - Date.now() > 20_000) {
          await transition(api, id, 'close', 'spm');
        }
      })(),
    );
  }
  for (const o of await Promise.allSettled(tasks)) if (o.status === 'rejected') known.notes.push(`settling: ${(o.reason as Error).message}`);

  const deadline = Date.now() + 120_000;
  const pending = async () => {
    const left: string[] = [];
    for (const id of known.incidents) {
      const s = (await api.get<{ status: string }>(`/api/v1/incidents/${id}`)).status;
      if (!TERMINAL_INCIDENT.includes(s)) left.push(`incident ${id} ${s}`);
    }
    for (const id of known.changes) {
      const s = (await api.get<{ status: string }>(`/api/v1/changes/${id}`)).status;
      if (!['COMPLETED', 'FAILED', 'ROLLED_BACK', 'REJECTED', 'EXPIRED', 'CANCELLED'].includes(s)) left.push(`change ${id} ${s}`);
    }
    for (const id of known.lines) {
      const s = (await api.get<{ status: string }>(`/api/v1/lines/${id}`)).status;
      if (!['FAILED', 'TERMINATED', 'CANCELLED', 'ACTIVE'].includes(s)) left.push(`line ${id} ${s}`);
      // A termination a fault left TERMINATION_FAILED is retried, as the SPM would once the vendor is back.
      if (s === 'TERMINATION_FAILED') await api.request('POST', `/api/v1/lines/${id}/termination/retry`, { role: 'spm', body: { note: 'chaos: faults over' } });
    }
    for (const id of known.inspections) {
      const s = (await api.get<{ status: string }>(`/api/v1/inspections/${id}`)).status;
      if (!['DELIVERED', 'RETURNED', 'FAILED'].includes(s)) left.push(`inspection ${id} ${s}`);
    }
    return left;
  };
  let left = await pending();
  while (left.length && Date.now() < deadline) {
    await sleep(2_000);
    left = await pending();
  }
  count(result, 'settled', known.incidents.size + known.changes.size + known.lines.size + known.inspections.size);
  for (const l of left)
    result.violations.push({ invariant: 'settled', subject: l.split(' ').slice(0, 2).join(' '), detail: `${l} did not come to rest within 2 min of the end` });
  return result;
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    // The same broken history is found again after every later round, running first and closed later.
    const key = `${v.invariant}|${v.subject}|${v.detail.replace(/\(temporal \w+ [A-Z_]+\)/, '').replace(/ \(history: [^)]*\)$/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let runtimeInstalled = false;
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    // The replayer's own complaints (each non-deterministic history, at WARN) are in the report already; stdout stays the report's.
    Runtime.install({
      logger: new DefaultLogger('ERROR', (entry) => process.stderr.write(`[sdk] ${entry.level} ${entry.message}\n`)),
      shutdownSignals: [],
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} } },
    });
  } catch {
    // installed already (a test process): keep it
  }
}
