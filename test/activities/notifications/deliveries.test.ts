import { createNotificationActivities, EmailDeliveryError, NotificationDeliveryError, WebhookDeliveryError } from '../../../activities/notifications';
import { createContact } from '../../../db/contacts.repo';
import { freshDatabase } from '../../support/db';
import { breachRequest } from './breach-request';
import { startSmtpReceiver, startWebhookReceiver } from './local-receivers';
import { LOCAL_OUTBOUND } from '../../support/outbound';

/** One delivery row per target: a retry sends only to the targets that did not get the notification yet. */

let db: Awaited<ReturnType<typeof freshDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let healthy: Awaited<ReturnType<typeof startWebhookReceiver>>;
let flaky: Awaited<ReturnType<typeof startWebhookReceiver>>;
/** Addresses the SMTP receiver refuses while they are in here. */
const refused = new Set<string>();

beforeAll(async () => {
  [db, smtp, healthy, flaky] = await Promise.all([
    freshDatabase(),
    startSmtpReceiver({ refuse: (address) => refused.has(address) }),
    startWebhookReceiver(),
    startWebhookReceiver(),
  ]);
  await createContact(db.pool, { name: '김 SPM', email: 'spm.kim@example.com', webhookUrl: `${healthy.baseUrl}/spm`, audience: 'spm', hours: 'always' });
  await createContact(db.pool, { name: '박 당직', email: 'park@example.com', webhookUrl: `${flaky.baseUrl}/oncall`, audience: 'oncall', hours: 'always' });
});
afterAll(async () => {
  await Promise.all([db.drop(), smtp.close(), healthy.close(), flaky.close()]);
});

const notifier = () =>
  createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool: db.pool,
    mail: { smtpUrl: smtp.url, from: 'Butler <butler@butler.example>' },
  });

async function deliveries(key: string) {
  const { rows } = await db.pool.query(
    `SELECT channel, target, sent_at IS NOT NULL AS sent, attempts FROM notification_deliveries WHERE notification_key = $1 ORDER BY channel, target`,
    [key],
  );
  return rows;
}

const byTarget = <T extends { channel: string; target: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.channel} ${a.target}`.localeCompare(`${b.channel} ${b.target}`));

test('a webhook target failing twice gets the retries; the healthy target and the e-mail get exactly one each', async () => {
  const req = breachRequest('INC-1:sla:restore:breached');
  flaky.answerNext(503);
  flaky.answerNext(503);

  for (let attempt = 1; attempt <= 2; attempt++) {
    const failure = await notifier()
      .notify(req)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NotificationDeliveryError);
    expect(failure).toMatchObject({ failedChannels: ['webhook'] });
    expect((failure as Error).cause).toBeInstanceOf(WebhookDeliveryError);
    expect((failure as Error).cause).toMatchObject({ target: flaky.baseUrl, status: 503 });
  }
  const third = await notifier().notify(req);

  expect(third).toMatchObject({ email: 'already-sent', webhook: 'sent' });
  expect(healthy.posts.map((p) => p.path)).toEqual(['/spm']);
  expect(flaky.posts.map((p) => p.path)).toEqual(['/oncall', '/oncall', '/oncall']);
  expect(smtp.mails).toHaveLength(1);
  // Both receivers listen on random ports: the webhook rows are compared in a fixed order.
  expect(byTarget(await deliveries(req.key))).toEqual(
    byTarget([
      { channel: 'email', target: 'park@example.com', sent: true, attempts: 1 },
      { channel: 'email', target: 'spm.kim@example.com', sent: true, attempts: 1 },
      { channel: 'webhook', target: `${flaky.baseUrl}/oncall`, sent: true, attempts: 3 },
      { channel: 'webhook', target: `${healthy.baseUrl}/spm`, sent: true, attempts: 1 },
    ]),
  );
  // The channel columns stay true for readers of the old shape.
  const { rows } = await db.pool.query('SELECT email_sent_at, webhook_sent_at FROM notifications WHERE key = $1', [req.key]);
  expect(rows[0]).toEqual({ email_sent_at: expect.any(Date), webhook_sent_at: expect.any(Date) });
});

test('an address the mail server refused is retried alone; the accepted one is not mailed twice', async () => {
  const req = breachRequest('INC-2:sla:restore:breached');
  smtp.mails.length = 0;
  refused.add('park@example.com');

  const failure = await notifier()
    .notify(req)
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(NotificationDeliveryError);
  expect(failure).toMatchObject({ failedChannels: ['email'] });
  expect((failure as Error).cause).toBeInstanceOf(EmailDeliveryError);
  expect((failure as Error).cause).toMatchObject({ targets: ['park@example.com'] });
  expect(smtp.mails.map((m) => m.envelopeTo)).toEqual([['spm.kim@example.com']]);

  refused.delete('park@example.com');
  const retry = await notifier().notify(req);
  expect(retry).toMatchObject({ email: 'sent', webhook: 'already-sent' });
  expect(smtp.mails.map((m) => m.envelopeTo)).toEqual([['spm.kim@example.com'], ['park@example.com']]);
  expect((await deliveries(req.key)).filter((d) => d.channel === 'email')).toEqual([
    { channel: 'email', target: 'park@example.com', sent: true, attempts: 2 },
    { channel: 'email', target: 'spm.kim@example.com', sent: true, attempts: 1 },
  ]);
});
