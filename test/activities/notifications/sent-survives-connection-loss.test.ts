import { createNotificationActivities } from '../../../activities/notifications';
import { createContact } from '../../../db/contacts.repo';
import { freshDatabase } from '../../support/db';
import { breachRequest } from './breach-request';
import { startSmtpReceiver, startWebhookReceiver } from './local-receivers';
import { LOCAL_OUTBOUND } from '../../support/outbound';

/**
 * A send cannot be taken back, so its record must survive the connection it was to be written on.
 * PostgreSQL restarting between "the server accepted" and "marked sent" made the retry send again:
 * the chaos suite saw an SLA-breach e-mail delivered twice. Here the receiver ends the session that
 * holds the notification's key lock just before it accepts, which is that restart for this attempt.
 */

let db: Awaited<ReturnType<typeof freshDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
/** Set by a test: the next message received ends the key lock's session before it is answered. */
let dropLockHolder = false;

async function endLockHolders(): Promise<void> {
  if (!dropLockHolder) return;
  dropLockHolder = false;
  const { rows } = await db.pool.query<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`,
  );
  if (!rows.some((r) => r.ended)) throw new Error('no session held a notification key lock');
}

beforeAll(async () => {
  [db, smtp, hook] = await Promise.all([
    freshDatabase(),
    startSmtpReceiver({ beforeAccept: endLockHolders }),
    startWebhookReceiver({ beforeAnswer: endLockHolders }),
  ]);
});
afterAll(async () => {
  await Promise.all([db.drop(), smtp.close(), hook.close()]);
});

async function sentMarks(key: string) {
  const { rows } = await db.pool.query(
    `SELECT channel, sent_at IS NOT NULL AS sent FROM notification_deliveries WHERE notification_key = $1 ORDER BY channel`,
    [key],
  );
  return rows;
}

test('an e-mail the server accepted stays marked sent when the connection breaks right after; the retry sends nothing', async () => {
  await createContact(db.pool, { name: '김 SPM', email: 'spm.kim@example.com', audience: 'spm', hours: 'always' });
  const notifier = createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool: db.pool,
    mail: { smtpUrl: smtp.url, from: 'Butler <butler@butler.example>' },
  });
  const req = breachRequest('INC-1:sla:response:breached', { audience: ['spm'] });

  dropLockHolder = true;
  // The attempt itself may fail (its connection is gone); what it sent must not be owed again.
  await notifier.notify(req).catch(() => undefined);
  expect(await sentMarks(req.key)).toEqual([{ channel: 'email', sent: true }]);

  const retry = await notifier.notify(req);
  expect(retry).toMatchObject({ email: 'already-sent' });
  expect(smtp.mails.filter((m) => m.parsed.headers.get('x-butler-notification-key') === req.key)).toHaveLength(1);
});

test('a webhook that answered 2xx stays marked sent when the connection breaks right after; the retry posts nothing', async () => {
  const notifier = createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool: db.pool,
    mail: { from: 'Butler <butler@butler.example>' },
    webhookUrl: `${hook.baseUrl}/ops`,
  });
  const req = breachRequest('INC-2:sla:response:breached', { audience: ['spm'] });

  dropLockHolder = true;
  await notifier.notify(req).catch(() => undefined);
  expect(await sentMarks(req.key)).toEqual([{ channel: 'webhook', sent: true }]);

  const retry = await notifier.notify(req);
  expect(retry).toMatchObject({ webhook: 'already-sent' });
  expect(hook.posts.filter((p) => p.body.key === req.key)).toHaveLength(1);
});
