import { NotificationView } from '../../domain/notification/outbox';
import { startWebhookReceiver } from '../activities/notifications/local-receivers';
import { fieldPaths, incidentBody, useHarness } from './harness';

/**
 * GET /api/v1/notifications over the real worker: an incident opened while nobody is on the
 * roster is a dead letter, counted on /readyz; once an admin is on it, the next one falls back to them.
 */
const h = useHarness();
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook.close();
});

/** The notification with this key once `done` holds, polled through the API (the worker sends asynchronously). */
async function notificationOf(key: string, done: (n: NotificationView) => boolean, timeoutMs = 60_000): Promise<NotificationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.call('get', `/api/v1/notifications?about=${encodeURIComponent(key.split(':')[0]!)}`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    const found = (res.body.items as NotificationView[]).find((n) => n.key === key);
    if (found && done(found)) return found;
    if (Date.now() > deadline) throw new Error(`notification ${key} not as expected: ${JSON.stringify(found)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('nobody on the roster: the opened notice is a dead letter (no-recipients), listed as such and counted on /readyz', async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3' }) });
  expect(opened.status).toBe(201);
  const key = `${opened.body.id}:opened`;

  const dead = await notificationOf(key, (n) => n.status === 'dead');
  expect(NotificationView.strict().parse(dead)).toEqual(dead);
  expect(dead).toMatchObject({ about: opened.body.id, kind: 'opened', status: 'dead', reason: 'no-recipients', fallback: null, deliveries: [] });

  const list = await h.call('get', '/api/v1/notifications?status=dead&limit=10', { token: h.tokens.spm });
  expect(list.body.items.map((n: NotificationView) => n.key)).toContain(key);
  expect(list.body.total).toBeGreaterThanOrEqual(1);

  const ready = await h.call('get', '/readyz');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' }, details: { deadLetters: list.body.total } });
});

test('an admin on the roster: the next notice falls back to them, one delivery per target, the webhook shown by origin only', async () => {
  const admin = await h.call('post', '/api/v1/contacts', {
    token: h.tokens.admin,
    body: { name: '최 관리자', webhookUrl: `${hook.baseUrl}/secret-token-123`, audience: 'admin', hours: 'always' },
  });
  expect(admin.status).toBe(201);
  expect(admin.body.audience).toBe('admin');

  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3' }) });
  const key = `${opened.body.id}:opened`;
  const sent = await notificationOf(key, (n) => n.status === 'sent');
  expect(sent).toMatchObject({
    status: 'sent',
    reason: null,
    fallback: 'admin',
    attempts: 1,
    lastError: null,
    deliveries: [{ channel: 'webhook', target: hook.baseUrl, label: '최 관리자', sentAt: expect.any(String), attempts: 1, lastError: null }],
  });
  expect(JSON.stringify(sent)).not.toContain('secret-token-123');
  expect(hook.posts.filter((p) => p.body.key === key)).toHaveLength(1);

  const onlySent = await h.call('get', '/api/v1/notifications?status=sent', { token: h.tokens.admin });
  expect(onlySent.body.items.every((n: NotificationView) => n.status === 'sent')).toBe(true);
  expect(onlySent.body.items.map((n: NotificationView) => n.key)).toContain(key);
});

test('bad query parameters → 400 naming each field', async () => {
  const res = await h.call('get', '/api/v1/notifications?status=lost&limit=0&offset=-1&colour=red', { token: h.tokens.auditor });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION');
  expect(fieldPaths(res.body)).toEqual(['query.colour', 'query.limit', 'query.offset', 'query.status']);
});

test('engineers and automation may not read the outbox', async () => {
  for (const role of ['engineer', 'automation'] as const) {
    const res = await h.call('get', '/api/v1/notifications', { token: h.tokens[role] });
    expect(res.status).toBe(403);
  }
});

test('the OpenAPI document describes the list with its query and response schemas', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const op = doc.paths['/api/v1/notifications'].get;
  expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['about', 'limit', 'offset', 'status']);
  const item = op.responses['200'].content['application/json'].schema.properties.items.items;
  expect(Object.keys(item.properties)).toEqual(
    expect.arrayContaining(['key', 'about', 'kind', 'subject', 'status', 'reason', 'fallback', 'deliveries', 'attempts', 'lastError', 'createdAt']),
  );
});
