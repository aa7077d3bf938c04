import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client, type Pool } from 'pg';
import { createNotificationActivities } from '../../activities/notifications';
import { migrate } from '../../db/migrate';
import { createPool } from '../../system/postgres';
import { startWebhookReceiver } from '../activities/notifications/local-receivers';
import { LOCAL_OUTBOUND } from '../support/outbound';

/**
 * Notifications written before per-target deliveries: the migration backfills what their
 * channel columns say was sent, and a retry after the upgrade re-sends nothing already sent.
 */

const base = process.env.BUTLER_TEST_DATABASE_URL!;
const name = `t_${randomBytes(6).toString('hex')}`;
let url: string;
let pool: Pool;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: base });
  await c.connect();
  await c.query(sql);
  await c.end();
}

beforeAll(async () => {
  hook = await startWebhookReceiver();
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  url = u.toString();
  // Up to 1732300000007, the last migration before notification_deliveries.
  await runner({
    databaseUrl: url,
    dir: path.join(__dirname, '../../db/migrations'),
    direction: 'up',
    count: 8,
    migrationsTable: 'pgmigrations',
    log: () => undefined,
  });
  pool = createPool(url);
  const recipients = (webhookUrl: string | null) => JSON.stringify([{ contactId: 1, name: '김 SPM', email: 'spm.kim@example.com', webhookUrl }]);
  await pool.query(
    `INSERT INTO notifications (key, about, kind, subject, recipients, payload, email_sent_at, webhook_sent_at, last_error) VALUES
       ('INC-1:opened', 'INC-1', 'opened', 's', $1, '{"text":"t","data":{}}', now(), now(), NULL),
       ('INC-2:opened', 'INC-2', 'opened', 's', $2, '{"text":"t","data":{}}', now(), NULL, 'webhook: webhook answered 500'),
       ('INC-3:opened', 'INC-3', 'opened', 's', $3, '{"text":"t","data":{}}', NULL, NULL, NULL)`,
    [recipients(`${hook.baseUrl}/spm`), recipients(`${hook.baseUrl}/spm`), recipients(null)],
  );
  await migrate(url);
});
afterAll(async () => {
  await pool?.end();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await hook.close();
});

test('the backfill owes exactly what the channel columns left unsent (never-tried channels owe nothing)', async () => {
  const { rows } = await pool.query(
    `SELECT notification_key AS key, channel, target, sent_at IS NOT NULL AS sent FROM notification_deliveries ORDER BY key, channel`,
  );
  expect(rows).toEqual([
    { key: 'INC-1:opened', channel: 'email', target: 'spm.kim@example.com', sent: true },
    { key: 'INC-1:opened', channel: 'webhook', target: `${hook.baseUrl}/spm`, sent: true },
    { key: 'INC-2:opened', channel: 'email', target: 'spm.kim@example.com', sent: true },
    { key: 'INC-2:opened', channel: 'webhook', target: `${hook.baseUrl}/spm`, sent: false },
  ]);
});

test('a retry of a row half sent before the upgrade posts the webhook it owed and mails nobody again', async () => {
  // No SMTP: had the e-mail still been owed, the attempt would fail saying so.
  const notify = createNotificationActivities({
    outbound: LOCAL_OUTBOUND,
    pool,
    mail: { from: 'butler@test' },
  }).notify;
  const result = await notify({
    key: 'INC-2:opened',
    about: 'INC-2',
    kind: 'opened',
    audience: ['spm'],
    subject: 's',
    text: 't',
    data: {},
    duringBusinessHours: true,
  });
  expect(result).toMatchObject({ webhook: 'sent' });
  expect(hook.posts.map((p) => p.body.key)).toEqual(['INC-2:opened']);
  const { rows } = await pool.query(`SELECT webhook_sent_at FROM notifications WHERE key = 'INC-2:opened'`);
  expect(rows[0].webhook_sent_at).toBeInstanceOf(Date);
});
