import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createContact } from '../../db/contacts.repo';
import { seedDefaults } from '../../db/seed';
import { currentSlaSnapshot, findPolicy, savePolicy } from '../../db/sla.repo';
import type { ActionBody, IncidentAction, IncidentState, IncidentWorkflowInput, TimelineEvent, TimelineEventType } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import type { Complexity, Severity, SlaPolicy } from '../../domain/sla/model';
import { EVENT_OF_ACTION } from '../../domain/incident/lifecycle';
import { incidentStateQuery, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { startSmtpReceiver, startWebhookReceiver, type ReceivedMail } from '../activities/notifications/local-receivers';
import { freshDatabase } from '../support/db';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { installTestRuntime, startTestWorker, type TestWorker } from '../../runtime/embedded-worker';
import { LOCAL_OUTBOUND } from '../support/outbound';

/**
 * What every incident-workflow test file shares: the time-skipping server, a real worker
 * with the real activities, a fresh seeded database, a local SMTP server and webhook
 * receiver, and a roster whose every contact is on duty around the clock (so a test's
 * outcome does not depend on the wall-clock hour the time-skipping server starts at).
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const SPM_EMAIL = 'spm.kim@example.com';
export const CUSTOMER_EMAIL = 'customer.choi@customer.example';
export const ONCALL_EMAIL = 'oncall.park@example.com';

export const ENGINEER: Actor = { id: 'eng.lee', role: 'engineer' };
export const SPM: Actor = { id: 'spm.kim', role: 'spm' };
export const MONITORING: Actor = { id: 'zabbix', role: 'automation' };
export const SYSTEM: Actor = { id: 'butler', role: 'system' };

export const iso = (ms: number) => new Date(ms).toISOString();

export interface Harness {
  env: TestWorkflowEnvironment;
  db: Awaited<ReturnType<typeof freshDatabase>>;
  smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  worker: TestWorker;
  /** Incidents started by the current test; afterEach ends those still running. */
  started: IncidentHandle[];
}

export type IncidentHandle = WorkflowHandle<typeof incidentWorkflow>;

export interface OpenedIncident {
  id: string;
  handle: IncidentHandle;
  input: IncidentWorkflowInput;
  openedAtMs: number;
}

/**
 * Registers the file's beforeAll/afterEach/afterAll and returns the (lazily filled) harness.
 * `server: 'dev'` runs on the shared dev server (the real Temporal server) in real time, for
 * lifecycles whose SLA targets are seconds long; the time-skipping server is the default.
 */
export function useIncidentHarness({ server = 'time-skipping' }: { server?: 'time-skipping' | 'dev' } = {}): Harness {
  const h = { started: [] as IncidentHandle[] } as Harness;

  beforeAll(async () => {
    [h.env, h.db, h.smtp, h.hooks] = await Promise.all([
      server === 'dev' ? devServerEnv() : createTimeSkippingEnv(),
      freshDatabase(),
      startSmtpReceiver(),
      startWebhookReceiver(),
    ]);
    await seedDefaults(h.db.pool);
    await createContact(h.db.pool, { name: '김 SPM', email: SPM_EMAIL, audience: 'spm', hours: 'always' });
    await createContact(h.db.pool, { name: '최 고객 담당자', email: CUSTOMER_EMAIL, audience: 'customer', hours: 'always' });
    await createContact(h.db.pool, { name: '박 당직', email: ONCALL_EMAIL, audience: 'oncall', hours: 'always' });
    h.worker = await startTestWorker({
      connection: h.env.nativeConnection,
      pool: h.db.pool,
      mail: { smtpUrl: h.smtp.url, from: 'Butler <butler@butler.example>' },
      webhookUrl: `${h.hooks.baseUrl}/ops`,
      outbound: LOCAL_OUTBOUND,
    });
  });

  // The environment's clock is shared: an incident left running would keep firing its timers in later tests.
  // It is ended the way a person would (cancel, or close once resolved), not terminated: terminating a workflow
  // while its activity runs leaves the time-skipping server's clock locked, and every later sleep then takes real time.
  afterEach(async () => {
    for (const handle of h.started.splice(0)) {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') continue;
      // Clear of any timer about to fire (see TIMER_GUARD_MS).
      const dueIn = h.env.supportsTimeSkipping ? await nextTimerDueIn(h, handle) : undefined;
      if (dueIn !== undefined && dueIn < TIMER_GUARD_MS) await h.env.sleep(Math.max(dueIn, 0) + TIMER_GUARD_MS);
      const state = await handle.query(incidentStateQuery);
      if (state.status === 'RESOLVED') {
        await handle.executeUpdate(incidentUpdates.close, { args: [{ action: 'close', body: { note: 'test finished' }, actor: SPM }] });
      } else {
        await handle.executeUpdate(incidentUpdates.cancel, { args: [{ action: 'cancel', body: { reason: 'test finished' }, actor: SPM }] });
      }
      await untilClosed(handle);
    }
  });

  afterAll(async () => {
    await h.worker?.stop();
    await h.env?.teardown();
    await Promise.all([h.db?.drop(), h.smtp?.close(), h.hooks?.close()]);
  });

  return h;
}

/** The dev server the global setup started: real time, the real server's handling of Updates and hand-overs. */
function devServerEnv(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const address = process.env.BUTLER_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('BUTLER_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  return TestWorkflowEnvironment.createFromExistingServer({ address });
}

/**
 * Starts an incident workflow the way the API does, opened "now" on the environment's clock.
 * `policy` overrides the seeded policy for this incident only: it is saved, snapshotted, and put back.
 */
export async function openIncident(
  h: Harness,
  severity: Severity,
  complexity: Complexity,
  extra: Partial<Pick<IncidentWorkflowInput, 'title' | 'center' | 'openedBy' | 'limits'>> & { policy?: Partial<SlaPolicy> } = {},
): Promise<OpenedIncident> {
  const key = { severity, complexity };
  const original = await findPolicy(h.db.pool, severity, complexity);
  if (!original) throw new Error(`no SLA policy for ${severity}/${complexity}`);
  if (extra.policy) await savePolicy(h.db.pool, key, { ...original, ...extra.policy }, 'test');
  const sla = await currentSlaSnapshot(h.db.pool, severity, complexity).finally(() => extra.policy && savePolicy(h.db.pool, key, original, original.updatedBy));
  if (!sla) throw new Error(`no SLA policy for ${severity}/${complexity}`);
  const id = `INC-${randomBytes(4).toString('hex')}`;
  const openedAtMs = await h.env.currentTimeMs();
  const input: IncidentWorkflowInput = {
    id,
    title: extra.title ?? `상담 1센터 PBX 착신 불가 (${id})`,
    description: '상담 1센터 전 회선 착신 불가, PRI 트렁크 다운',
    severity,
    complexity,
    system: 'PBX',
    source: 'monitoring',
    openedBy: extra.openedBy ?? MONITORING,
    openedAt: iso(openedAtMs),
    sla,
    ...(extra.center ? { center: extra.center } : {}),
    ...(extra.limits ? { limits: extra.limits } : {}),
  };
  const handle = await h.env.client.workflow.start(incidentWorkflow, {
    workflowId: incidentWorkflowId(id),
    taskQueue: h.worker.taskQueue,
    args: [input],
  });
  h.started.push(handle);
  return { id, handle, input, openedAtMs };
}

/**
 * Sends one transition and returns the state it produced, the event it recorded and the
 * environment time just before and after the call (the event's instant lies between them).
 */
export async function act<A extends IncidentAction>(
  h: Harness,
  incident: OpenedIncident,
  action: A,
  body: ActionBody<A>,
  actor: Actor = ENGINEER,
): Promise<{ state: IncidentState; event: TimelineEvent; beforeMs: number; afterMs: number }> {
  await refuseNearTimer(h, incident, action);
  const beforeMs = await h.env.currentTimeMs();
  const outcome = await incident.handle.executeUpdate(incidentUpdates[action], { args: [{ action, body, actor }] });
  const afterMs = await h.env.currentTimeMs();
  const { event } = outcome;
  if (event?.type !== EVENT_OF_ACTION[action]) throw new Error(`${action} answered without its ${EVENT_OF_ACTION[action]} event`);
  // The whole state is the Query's; a timer may have added a system event since.
  const state = await incident.handle.query(incidentStateQuery);
  return { state, event, beforeMs, afterMs };
}

/**
 * The time-skipping server strands a run whose workflow task cancels a timer that fired while the
 * task was with the worker: it refuses the completion ("invalid history builder state for action",
 * temporalio/sdk-java#3088) and never hands the task out again. An Update wakes the workflow's
 * `condition(…, timeout)` early, which cancels its timer; sent a few ms before that timer fires
 * (e.g. exactly on a status-report slot), it hits the bug. The real server re-sends the task with
 * the new events instead. So a test must not send an Update within this window before a timer is due.
 */
export const TIMER_GUARD_MS = 5 * SECOND;

async function refuseNearTimer(h: Harness, incident: OpenedIncident, action: string): Promise<void> {
  if (!h.env.supportsTimeSkipping) return;
  const dueIn = await nextTimerDueIn(h, incident.handle);
  if (dueIn !== undefined && dueIn < TIMER_GUARD_MS) {
    throw new Error(`${action} would race a timer due in ${dueIn} ms (time-skipping server bug sdk-java#3088): pick another instant`);
  }
}

/** How long until the workflow's next pending timer fires, by the environment's clock; none: undefined. */
export async function nextTimerDueIn(h: Harness, handle: IncidentHandle): Promise<number | undefined> {
  const events = (await handle.fetchHistory()).events ?? [];
  const pending = new Map<string, number>();
  for (const event of events) {
    const started = event.timerStartedEventAttributes;
    if (started?.timerId) pending.set(started.timerId, protoMs(event.eventTime) + protoMs(started.startToFireTimeout));
    const ended = event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes;
    if (ended?.timerId) pending.delete(ended.timerId);
  }
  if (pending.size === 0) return undefined;
  return Math.min(...pending.values()) - (await h.env.currentTimeMs());
}

function protoMs(value: { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined): number {
  return Number(value?.seconds?.toString() ?? 0) * 1000 + Math.floor((value?.nanos ?? 0) / 1e6);
}

/**
 * Waits, polling, until the run has closed. Not `handle.result()`: that unlocks time skipping, and
 * the server then jumps its clock to its next internal deadline (years ahead once nothing is left).
 */
async function untilClosed(handle: IncidentHandle, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await handle.describe()).status.name === 'RUNNING') {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} still running ${timeoutMs} ms after it was ended`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function query(incident: OpenedIncident): Promise<IncidentState> {
  return incident.handle.query(incidentStateQuery);
}

/** Skips the environment's clock forward to the instant `atMs` (never backwards). */
export async function sleepTo(h: Harness, atMs: number): Promise<void> {
  const remaining = atMs - (await h.env.currentTimeMs());
  if (remaining < 0) throw new Error(`the clock is already ${-remaining} ms past ${iso(atMs)}`);
  await h.env.sleep(remaining);
}

/** Skips the environment's clock forward to `offsetMs` after the incident opened. */
export function sleepUntil(h: Harness, incident: OpenedIncident, offsetMs: number): Promise<void> {
  return sleepTo(h, incident.openedAtMs + offsetMs);
}

/**
 * A timer-driven event is recorded when its timer fires: the instant it was due plus the
 * worker's turnaround (the timer is armed when the workflow task completes, a few ms after
 * the task's clock was read; ~10–50 ms here). Far below a second, and never before it was due.
 */
export const TIMER_LATENCY_MS = 1000;

export function expectFiredAt(at: string, dueMs: number): void {
  const ms = Date.parse(at);
  expect({ at, due: iso(dueMs), notBeforeDue: ms >= dueMs, withinLatency: ms - dueMs < TIMER_LATENCY_MS }).toEqual({
    at,
    due: iso(dueMs),
    notBeforeDue: true,
    withinLatency: true,
  });
}

/** The failure a rejected Update carries: the validator's ApplicationFailure. */
export async function rejection(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => {
      throw new Error('expected the Update to be rejected, but it was accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

export function eventsOf(state: IncidentState, type: TimelineEventType): TimelineEvent[] {
  return state.timeline.filter((e) => e.type === type);
}

/** E-mails about this incident whose notification key (the X-Butler-Notification-Key header) starts with `keyPrefix`. */
export function mailsFor(h: Harness, incidentId: string, keyPrefix = ''): ReceivedMail[] {
  return h.smtp.mails.filter((m) => {
    const key = String(m.parsed.headers.get('x-butler-notification-key') ?? '');
    return key.startsWith(`${incidentId}:${keyPrefix}`);
  });
}

/** Retries `check` until it passes, for effects an activity delivers (e-mail, webhook) after a Query already shows the state. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The names of the Updates the history accepted, in order: one rejected by its validator leaves no event. */
export async function acceptedUpdates(incident: OpenedIncident): Promise<string[]> {
  const history = await incident.handle.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '');
}
