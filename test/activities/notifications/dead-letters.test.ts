import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { createNotificationActivities, NotificationDeadLetter, NotificationDeliveryError } from '../../../activities/notifications';
import { createContact } from '../../../db/contacts.repo';
import { saveIncident } from '../../../db/incidents.repo';
import { countDeadLetters, listNotifications } from '../../../db/notification-list.repo';
import type { NotificationRequest } from '../../../domain/notification/contracts';
import { NOTIFY_POLICY, notifyRetryHorizonMs } from '../../../domain/notification/retry';
import { NOTIFY_RETRY } from '../../../workflows/activity-options';
import { incidentThrough } from '../../domain/incident-fixture';
import { freshDatabase } from '../../support/db';
import { startSmtpReceiver, startWebhookReceiver } from './local-receivers';
import { LOCAL_OUTBOUND } from '../../support/outbound';

/**
 * Nobody is told without someone knowing: fallbacks when the audience has nobody on duty,
 * and a dead letter when no one is left or the retries are spent. Attempts run in the SDK's
 * activity environment, which carries the attempt number Temporal would give them.
 */

let db: Awaited<ReturnType<typeof freshDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let adminId: number;
const MAX = NOTIFY_POLICY.retry.maximumAttempts;

beforeAll(async () => {
  [db, smtp, hook] = await Promise.all([freshDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
  // The SPM works business hours only; the admin is the last resort.
  await createContact(db.pool, { name: '김 SPM', email: 'spm.kim@example.com', audience: 'spm', hours: 'business' });
  adminId = (await createContact(db.pool, { name: '최 관리자', email: 'admin@example.com', audience: 'admin', hours: 'business' })).id;
  await createContact(db.pool, { name: '박 당직', webhookUrl: `${hook.baseUrl}/oncall`, audience: 'oncall', hours: 'after-hours', center: '상담 1센터' });
  await saveIncident(db.pool, incidentThrough('INC-000101', 'P1', 'complex', 'PBX', '상담 1센터', '2026-03-02T10:00:00+09:00', []));
  await saveIncident(db.pool, incidentThrough('INC-000102', 'P2', 'complex', 'PBX', '상담 1센터', '2026-03-02T10:00:00+09:00', []));
});
afterAll(async () => {
  await Promise.all([db.drop(), smtp.close(), hook.close()]);
});

const notifier = () =>
  createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool: db.pool,
    mail: { smtpUrl: smtp.url, from: 'Butler <butler@butler.example>' },
  });

function request(key: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    key,
    about: key.split(':')[0]!,
    kind: 'opened',
    audience: ['customer'],
    subject: '[P3] 장애 발생',
    text: '상담 2센터 녹취 서버 지연',
    data: {},
    duringBusinessHours: false,
    center: '상담 2센터',
    ...overrides,
  };
}

/** `notify` as Temporal runs it on `attempt`, with the SDK's logger capturing what the activity logs. */
async function attempt(n: number, req: NotificationRequest) {
  const logs: LogEntry[] = [];
  const env = new MockActivityEnvironment({ attempt: n }, { logger: new DefaultLogger('DEBUG', (entry) => logs.push(entry)) });
  const outcome = await env.run(notifier().notify, req).catch((e: unknown) => e);
  return { outcome, logs };
}

async function row(key: string) {
  const { rows } = await db.pool.query('SELECT fallback, dead_at, dead_reason, attempts FROM notifications WHERE key = $1', [key]);
  return rows[0];
}

async function statusOf(key: string) {
  const { items } = await listNotifications(db.pool, { about: key.split(':')[0], limit: 50, offset: 0 });
  return items.find((n) => n.key === key);
}

test('no SPM on duty after hours: the admins are told, and the row records the fallback', async () => {
  const req = request('INC-000201:opened');
  const result = await notifier().notify(req);
  expect(result).toEqual({ recipients: ['admin@example.com'], fallback: 'admin', email: 'sent', webhook: 'not-configured' });
  expect(smtp.mails.at(-1)?.envelopeTo).toEqual(['admin@example.com']);
  expect(await statusOf(req.key)).toMatchObject({ status: 'sent', fallback: 'admin', reason: null });
});

test('truly nobody: a dead letter (no-recipients), failed without retry, nothing sent, and it stays one', async () => {
  await db.pool.query('UPDATE contacts SET active = false WHERE id = $1', [adminId]);
  try {
    const req = request('INC-000202:opened');
    const mailsBefore = smtp.mails.length;
    const first = await attempt(1, req);
    expect(first.outcome).toBeInstanceOf(NotificationDeadLetter);
    expect(first.outcome).toMatchObject({ type: 'NotificationDeadLetter', nonRetryable: true, key: req.key, reason: 'no-recipients' });
    expect(await row(req.key)).toMatchObject({ dead_reason: 'no-recipients', dead_at: expect.any(Date), fallback: null });
    expect(smtp.mails).toHaveLength(mailsBefore);

    // Whoever calls again with the key is told the same, even once someone is on duty.
    await db.pool.query('UPDATE contacts SET active = true WHERE id = $1', [adminId]);
    expect((await attempt(1, req)).outcome).toMatchObject({ type: 'NotificationDeadLetter', reason: 'no-recipients' });
    expect(smtp.mails).toHaveLength(mailsBefore);
    expect(await statusOf(req.key)).toMatchObject({ status: 'dead', reason: 'no-recipients', deliveries: [] });
  } finally {
    await db.pool.query('UPDATE contacts SET active = true WHERE id = $1', [adminId]);
  }
});

test('a failure on an attempt with retries left stays pending; on the final attempt the row is marked dead before the failure is rethrown', async () => {
  const req = request('INC-000102:sla:restore:breached', { kind: 'sla-breached', audience: ['oncall'], center: '상담 1센터', subject: '[P2] SLA 위반' });
  hook.answerNext(500);
  const early = await attempt(MAX - 1, req);
  expect(early.outcome).toBeInstanceOf(NotificationDeliveryError);
  expect(await row(req.key)).toMatchObject({ dead_at: null, attempts: 1 });
  expect(await statusOf(req.key)).toMatchObject({ status: 'pending', reason: null, lastError: expect.stringMatching(/answered 500/) });

  hook.answerNext(500);
  const last = await attempt(MAX, req);
  expect(last.outcome).toBeInstanceOf(NotificationDeliveryError);
  expect(await row(req.key)).toMatchObject({ dead_reason: 'retries-exhausted', dead_at: expect.any(Date), attempts: 2 });
  expect(await statusOf(req.key)).toMatchObject({
    status: 'dead',
    reason: 'retries-exhausted',
    attempts: 2,
    deliveries: [{ channel: 'webhook', target: hook.baseUrl, label: '박 당직', sentAt: null, attempts: 2, lastError: expect.stringMatching(/answered 500/) }],
  });
  // A P2 breach: a warning, not an error.
  expect(last.logs.filter((l) => l.message.includes('dead letter')).map((l) => l.level)).toEqual(['WARN']);
});

test("a P1 incident's SLA breach that becomes a dead letter is logged at error level (severity from the read model)", async () => {
  const req = request('INC-000101:sla:restore:breached', { kind: 'sla-breached', audience: ['oncall'], center: '상담 1센터', subject: '[P1] SLA 위반' });
  hook.answerNext(500);
  const { outcome, logs } = await attempt(MAX, req);
  expect(outcome).toBeInstanceOf(NotificationDeliveryError);
  const logged = logs.filter((l) => l.message.includes('dead letter'));
  expect(logged.map((l) => l.level)).toEqual(['ERROR']);
  expect(logged[0]!.meta).toMatchObject({ key: req.key, reason: 'retries-exhausted', severity: 'P1' });
});

test('a row no attempt marked, still owed past the retry horizon, reads as dead (the worker died in its last attempt)', async () => {
  const req = request('INC-000301:escalated:L2', { kind: 'escalated', audience: ['oncall'], center: '상담 1센터' });
  hook.answerNext(500);
  await attempt(3, req);
  expect(await statusOf(req.key)).toMatchObject({ status: 'pending' });
  const deadBefore = await countDeadLetters(db.pool);

  // As if the horizon had passed since the first attempt: no attempt can be running any more.
  await db.pool.query(`UPDATE notifications SET created_at = now() - make_interval(secs => $2::double precision / 1000 + 1) WHERE key = $1`, [
    req.key,
    notifyRetryHorizonMs(),
  ]);
  expect(await row(req.key)).toMatchObject({ dead_at: null });
  expect(await statusOf(req.key)).toMatchObject({ status: 'dead', reason: 'retry-horizon-passed' });
  expect(await countDeadLetters(db.pool)).toBe(deadBefore + 1);
  const { items } = await listNotifications(db.pool, { status: 'dead', limit: 50, offset: 0 });
  expect(items.map((n) => n.key)).toContain(req.key);
});

test('the retry horizon is every attempt timing out plus every back-off: 8 × 30 s + (2+4+8+16+32+60+60) s', () => {
  expect(notifyRetryHorizonMs()).toBe(8 * 30_000 + 182_000);
});

test('the workflows schedule notify with the very policy the activity reads (30 s per attempt, 2 s to 1 min back-off, 8 attempts)', () => {
  expect(NOTIFY_RETRY).toBe(NOTIFY_POLICY);
  expect(NOTIFY_RETRY).toEqual({
    startToCloseTimeout: 30_000,
    retry: { initialInterval: 2_000, backoffCoefficient: 2, maximumInterval: 60_000, maximumAttempts: 8 },
  });
});
