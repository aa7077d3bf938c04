import { ApplicationFailure } from '@temporalio/common';
import { EmailDeliveryError, NotificationDeliveryError, WebhookDeliveryError, createNotificationActivities } from '../../../activities/notifications';
import { createContact } from '../../../db/contacts.repo';
import { createPool } from '../../../system/postgres';
import type { NotificationRequest } from '../../../domain/notification/contracts';
import { freshDatabase } from '../../support/db';
import { freePort } from '../../../system/ports';
import { startSmtpReceiver, startWebhookReceiver } from './local-receivers';
import { LOCAL_OUTBOUND } from '../../support/outbound';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
const FROM = 'Butler <butler@butler.example>';

beforeAll(async () => {
  [db, smtp, hooks] = await Promise.all([freshDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
  await createContact(db.pool, { name: '김 SPM', email: 'spm.kim@example.com', audience: 'spm', hours: 'always' });
  await createContact(db.pool, { name: '이 상주', email: 'lee@example.com', audience: 'engineer', hours: 'business', center: '상담 1센터' });
  await createContact(db.pool, {
    name: '박 당직',
    email: 'park@example.com',
    webhookUrl: `${hooks.baseUrl}/oncall/park`,
    audience: 'oncall',
    hours: 'after-hours',
  });
  await createContact(db.pool, { name: '2센터 고객', email: 'c2@customer.example', audience: 'customer', hours: 'business', center: '상담 2센터' });
});
afterAll(async () => {
  await Promise.all([db.drop(), smtp.close(), hooks.close()]);
});
beforeEach(() => {
  smtp.mails.length = 0;
  hooks.posts.length = 0;
});

function activities(overrides: { smtpUrl?: string | null; webhookUrl?: string | null; log?: (l: string) => void } = {}) {
  return createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool: db.pool,
    mail: { smtpUrl: overrides.smtpUrl === null ? undefined : (overrides.smtpUrl ?? smtp.url), from: FROM },
    webhookUrl: overrides.webhookUrl === null ? undefined : (overrides.webhookUrl ?? `${hooks.baseUrl}/ops`),
    log: overrides.log,
  });
}

function request(key: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    key,
    about: key.split(':')[0],
    kind: 'opened',
    audience: ['spm', 'engineer', 'oncall', 'customer'],
    subject: '[P1] 장애 발생: 상담 1센터 PBX',
    text: '상담 1센터 PBX 전 회선 착신 불가. 원인 확인 중입니다.',
    data: { severity: 'P1', system: 'PBX', center: '상담 1센터' },
    duringBusinessHours: true,
    center: '상담 1센터',
    ...overrides,
  };
}

const sorted = (xs: string[]) => [...xs].sort();

test('in business hours the resident staff get the e-mail, Korean subject intact, and the webhook gets the JSON', async () => {
  const req = request('INC-1:opened');
  const result = await activities().notify(req);

  // The 2센터 customer is on the roster but the incident is at 1센터; 박 당직 is off duty by day.
  expect(result).toEqual({ recipients: ['spm.kim@example.com', 'lee@example.com'], fallback: null, email: 'sent', webhook: 'sent' });
  expect(smtp.mails).toHaveLength(1);
  const [mail] = smtp.mails;
  expect(mail.parsed.subject).toBe('[P1] 장애 발생: 상담 1센터 PBX');
  expect(mail.parsed.text?.trim()).toBe(req.text);
  expect(sorted(mail.envelopeTo)).toEqual(['lee@example.com', 'spm.kim@example.com']);
  expect(mail.parsed.from?.value[0].address).toBe('butler@butler.example');
  expect(mail.parsed.headers.get('x-butler-notification-key')).toBe('INC-1:opened');

  expect(hooks.posts).toHaveLength(1);
  expect(hooks.posts[0].path).toBe('/ops');
  expect(hooks.posts[0].headers['content-type']).toBe('application/json');
  expect(hooks.posts[0].headers['idempotency-key']).toBe('INC-1:opened');
  expect(hooks.posts[0].body).toEqual({
    key: 'INC-1:opened',
    kind: 'opened',
    about: 'INC-1',
    subject: req.subject,
    text: req.text,
    data: req.data,
    recipients: ['spm.kim@example.com', 'lee@example.com'],
  });
});

test('after hours the on-duty person is told instead of the resident engineer, on their own webhook too', async () => {
  const result = await activities().notify(request('INC-2:opened', { duringBusinessHours: false }));

  expect(result.recipients).toEqual(['spm.kim@example.com', 'park@example.com']);
  expect(sorted(smtp.mails[0].envelopeTo)).toEqual(['park@example.com', 'spm.kim@example.com']);
  expect(sorted(hooks.posts.map((p) => p.path))).toEqual(['/oncall/park', '/ops']);
});

test('notifying twice with the same key sends once', async () => {
  const notifier = activities();
  const first = await notifier.notify(request('INC-3:breach:restore', { kind: 'sla-breached' }));
  const second = await notifier.notify(request('INC-3:breach:restore', { kind: 'sla-breached' }));

  expect(first).toMatchObject({ email: 'sent', webhook: 'sent' });
  expect(second).toEqual({ recipients: first.recipients, fallback: null, email: 'already-sent', webhook: 'already-sent' });
  expect(smtp.mails).toHaveLength(1);
  expect(hooks.posts).toHaveLength(1);
});

test('two attempts running at once for one key still send once', async () => {
  const req = request('INC-4:warning:restore:75', { kind: 'sla-warning' });
  const results = await Promise.all([activities().notify(req), activities().notify(req)]);

  expect(results.map((r) => r.email).sort()).toEqual(['already-sent', 'sent']);
  expect(smtp.mails).toHaveLength(1);
  expect(hooks.posts).toHaveLength(1);
});

test('many notifications at once on a small pool all go out: an attempt never waits for a second connection while it holds one', async () => {
  const small = createPool(db.url, 2);
  try {
    const notifier = createNotificationActivities({
      outbound: LOCAL_OUTBOUND,
      pool: small,
      mail: { smtpUrl: smtp.url, from: FROM },
    });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => notifier.notify(request(`INC-${40 + i}:opened`))));
    expect(results.map((r) => r.email)).toEqual(Array(6).fill('sent'));
  } finally {
    await small.end();
  }
});

test('a webhook answering 500 fails the attempt; the retry posts the webhook but does not e-mail again', async () => {
  const notifier = activities();
  const req = request('INC-5:escalated:L2', { kind: 'escalated' });
  hooks.answerNext(500);

  const failure = await notifier.notify(req).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(NotificationDeliveryError);
  expect(failure).toMatchObject({ key: req.key, failedChannels: ['webhook'] });
  const cause = (failure as NotificationDeliveryError).cause;
  expect(cause).toBeInstanceOf(WebhookDeliveryError);
  expect(cause).toMatchObject({ status: 500, target: hooks.baseUrl });
  expect(smtp.mails).toHaveLength(1);
  const { rows } = await db.pool.query('SELECT email_sent_at, webhook_sent_at, last_error FROM notifications WHERE key = $1', [req.key]);
  expect(rows[0].email_sent_at).toBeInstanceOf(Date);
  expect(rows[0].webhook_sent_at).toBeNull();
  // The status only: what the target answered ("receiver is down") is not kept.
  expect(rows[0].last_error).toMatch(/^webhook: webhook http:\/\/127\.0\.0\.1:\d+ answered 500$/);

  const retry = await notifier.notify(req);
  expect(retry).toMatchObject({ email: 'already-sent', webhook: 'sent' });
  expect(smtp.mails).toHaveLength(1);
  expect(hooks.posts.map((p) => p.body.key)).toEqual([req.key, req.key]);
});

test('an SMTP outage does not hold back the webhook; the retry sends only the e-mail', async () => {
  const req = request('INC-6:status-report:1', { kind: 'status-report' });
  const deadSmtp = `smtp://127.0.0.1:${await freePort()}`;

  const failure = await activities({ smtpUrl: deadSmtp })
    .notify(req)
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(NotificationDeliveryError);
  expect(failure).toMatchObject({ failedChannels: ['email'] });
  expect((failure as NotificationDeliveryError).cause).toBeInstanceOf(EmailDeliveryError);
  expect(((failure as NotificationDeliveryError).cause as Error).cause).toMatchObject({ code: 'ESOCKET' });
  expect(hooks.posts).toHaveLength(1);

  const retry = await activities().notify(req);
  expect(retry).toMatchObject({ email: 'sent', webhook: 'already-sent' });
  expect(smtp.mails).toHaveLength(1);
  expect(hooks.posts).toHaveLength(1);
});

test('without SMTP or a webhook configured nothing is sent, and the missing SMTP is logged once', async () => {
  const lines: string[] = [];
  const notifier = activities({ smtpUrl: null, webhookUrl: null, log: (l) => lines.push(l) });
  const first = await notifier.notify(request('INC-7:opened', { audience: ['spm'] }));
  await notifier.notify(request('INC-7:resolved', { kind: 'resolved', audience: ['spm'] }));

  expect(first).toEqual({ recipients: ['spm.kim@example.com'], fallback: null, email: 'not-configured', webhook: 'not-configured' });
  expect(lines.filter((l) => l.includes('SMTP_URL is not set'))).toHaveLength(1);
  expect(smtp.mails).toHaveLength(0);
  expect(hooks.posts).toHaveLength(0);
});

test('nobody of the audience on duty: the SPM on duty is told instead, and the row says so', async () => {
  const req = request('INC-8:opened', { audience: ['customer'], center: '상담 3센터' });
  const result = await activities().notify(req);

  expect(result).toEqual({ recipients: ['spm.kim@example.com'], fallback: 'spm-on-duty', email: 'sent', webhook: 'sent' });
  expect(smtp.mails.map((m) => m.envelopeTo)).toEqual([['spm.kim@example.com']]);
  expect(hooks.posts[0].body.recipients).toEqual(['spm.kim@example.com']);
  const { rows } = await db.pool.query('SELECT fallback FROM notifications WHERE key = $1', [req.key]);
  expect(rows[0].fallback).toBe('spm-on-duty');
});

test('a malformed request, or a key reused for another incident, fails without retry', async () => {
  const notifier = activities();
  const invalid = await notifier.notify({ ...request('INC-9:opened'), audience: [] }).catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(ApplicationFailure);
  expect(invalid).toMatchObject({ type: 'InvalidNotificationRequest', nonRetryable: true });
  expect((invalid as Error).message).toMatch(/audience/);

  await notifier.notify(request('INC-9:opened'));
  const reused = await notifier.notify(request('INC-9:opened', { about: 'INC-10' })).catch((e: unknown) => e);
  expect(reused).toBeInstanceOf(ApplicationFailure);
  expect(reused).toMatchObject({ type: 'NotificationKeyConflict', nonRetryable: true });
});
