import { Client } from 'pg';
import { incidentBody, SUBJECTS, useHarness } from './harness';
import type { Json } from '../support/json';

/**
 * Configuration history (issue 17): every change to the SLA policies, the auto-close delay, the
 * holidays, the contacts and the alert rules is an append-only row written by the database itself;
 * `GET /api/v1/config/history?kind&at` answers what was in force at an instant, and an incident
 * records the version it was opened under.
 */

const h = useHarness();
const history = (query: string, token = h.tokens.auditor) => h.call('get', `/api/v1/config/history?${query}`, { token });
const tick = () => new Promise((r) => setTimeout(r, 20));

test('an SLA policy: each change with who and when, before and after; what was in force at any instant', async () => {
  const before = new Date().toISOString();
  await tick();
  const first = await h.call('put', '/api/v1/sla-policies/P2/complex', {
    token: h.tokens.admin,
    body: { clock: '24x7', responseTargetSeconds: 900, restoreTargetSeconds: 7200, statusReportIntervalSeconds: null },
  });
  expect(first.status).toBe(200);
  await tick();
  const between = new Date().toISOString();
  await tick();
  await h.call('put', '/api/v1/sla-policies/P2/complex', {
    token: h.tokens.admin,
    body: { clock: '24x7', responseTargetSeconds: 600, restoreTargetSeconds: 7200, statusReportIntervalSeconds: null },
  });
  // The same policy saved again changes nothing, and is no change.
  await h.call('put', '/api/v1/sla-policies/P2/complex', {
    token: h.tokens.admin,
    body: { clock: '24x7', responseTargetSeconds: 600, restoreTargetSeconds: 7200, statusReportIntervalSeconds: null },
  });

  const changes = await history('kind=sla-policy&key=P2/complex');
  expect(changes.status).toBe(200);
  // Newest first: the two changes, then the baseline the seed wrote.
  expect(changes.body.items.map((c: Json) => [c.actor, c.before?.response_target_seconds ?? null, c.after.response_target_seconds])).toEqual([
    [SUBJECTS.admin, 900, 600],
    [SUBJECTS.admin, expect.any(Number), 900],
    ['seed', null, expect.any(Number)],
  ]);

  const then = await history(`kind=sla-policy&at=${encodeURIComponent(between)}`);
  expect(then.body.at).toBe(between);
  expect(then.body.items).toHaveLength(8);
  expect(then.body.items.find((c: Json) => c.key === 'P2/complex').after.response_target_seconds).toBe(900);
  const seeded = changes.body.items[2].after.response_target_seconds;
  const earlier = await history(`kind=sla-policy&at=${encodeURIComponent(before)}&key=P2/complex`);
  expect(earlier.body.items.map((c: Json) => c.after.response_target_seconds)).toEqual([seeded]);
  const now = await history(`kind=sla-policy&at=${encodeURIComponent(new Date().toISOString())}&key=P2/complex`);
  expect(now.body.items.map((c: Json) => c.after.response_target_seconds)).toEqual([600]);
});

test('holidays and contacts: added and removed, by whom; a removed key is not in force after its removal', async () => {
  await h.call('put', '/api/v1/calendar/holidays/2026-12-28', { token: h.tokens.admin, body: { name: '임시 공휴일', kind: 'temporary' } });
  await tick();
  const whileHoliday = new Date().toISOString();
  await tick();
  expect((await h.call('delete', '/api/v1/calendar/holidays/2026-12-28', { token: h.tokens.admin })).status).toBe(204);
  const changes = (await history('kind=holiday&key=2026-12-28')).body.items;
  expect(changes.map((c: Json) => [c.actor, c.before === null, c.after === null])).toEqual([
    [SUBJECTS.admin, false, true],
    [SUBJECTS.admin, true, false],
  ]);
  expect((await history(`kind=holiday&at=${encodeURIComponent(whileHoliday)}&key=2026-12-28`)).body.items).toHaveLength(1);
  expect((await history(`kind=holiday&at=${encodeURIComponent(new Date().toISOString())}&key=2026-12-28`)).body.items).toEqual([]);

  const contact = await h.call('post', '/api/v1/contacts', {
    token: h.tokens.spm,
    body: { name: '야간 당직', email: 'night@example.com', audience: 'oncall', hours: 'after-hours' },
  });
  expect((await h.call('delete', `/api/v1/contacts/${contact.body.id}`, { token: h.tokens.admin })).status).toBe(204);
  expect((await history(`kind=contact&key=${contact.body.id}`)).body.items.map((c: Json) => c.actor)).toEqual([SUBJECTS.admin, SUBJECTS.spm]);
});

test('an incident records the configuration version it was opened under; the policy then is what the history gives for that instant', async () => {
  await h.call('put', '/api/v1/sla-policies/P3/simple', {
    token: h.tokens.admin,
    body: { clock: 'business', responseTargetSeconds: 5400, restoreTargetSeconds: 36_000, statusReportIntervalSeconds: null },
  });
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3', complexity: 'simple' }) });
  expect(opened.status).toBe(201);
  const version = opened.body.sla.policy.configVersion;
  expect(version).toEqual(expect.any(Number));
  // Changed after the opening: the incident keeps what it was opened under, and the history still says what that was.
  await h.call('put', '/api/v1/sla-policies/P3/simple', {
    token: h.tokens.admin,
    body: { clock: 'business', responseTargetSeconds: 3600, restoreTargetSeconds: 36_000, statusReportIntervalSeconds: null },
  });
  const then = await history(`kind=sla-policy&at=${encodeURIComponent(opened.body.openedAt)}&key=P3/simple`);
  expect(then.body.items).toEqual([expect.objectContaining({ after: expect.objectContaining({ response_target_seconds: 5400 }) })]);
  expect(then.body.items[0].id).toBeLessThanOrEqual(version);
  expect(opened.body.sla.policy.responseTargetSeconds).toBe(5400);
});

test('the history is evidence: the application role cannot change it, and a bad query is a 400 naming the field', async () => {
  await expect(h.pool.query(`UPDATE config_history SET actor = 'nobody'`)).rejects.toThrow(/permission denied/);
  // Nor write it by hand: a backdated row with another actor is refused, only the configuration tables' triggers write it.
  await expect(
    h.pool.query(`INSERT INTO config_history (kind, key, valid_from, actor, after) VALUES ('sla-policy', 'P1/complex', '2020-01-01', 'someone', '{}')`),
  ).rejects.toThrow(/written only by the configuration tables' triggers/);
  const owner = new Client({ connectionString: h.ownerDatabaseUrl });
  await owner.connect();
  try {
    await expect(owner.query(`DELETE FROM config_history`)).rejects.toThrow(/append-only: DELETE refused/);
  } finally {
    await owner.end();
  }
  for (const [query, field] of [
    ['kind=weather', 'query.kind'],
    ['at=2026-01-01T00:00:00Z', 'query.kind'],
    ['kind=holiday&at=yesterday', 'query.at'],
  ] as const) {
    const bad = await history(query);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.path)).toContain(field);
  }
  expect((await history('kind=holiday', h.tokens.engineer)).status).toBe(403);
});

test('the auto-close delay and the inspection rules are versioned too; other settings are not', async () => {
  await h.call('put', '/api/v1/sla-policies/auto-close', { token: h.tokens.admin, body: { afterSeconds: 3 * 24 * 3600 } });
  const autoClose = (await history('kind=auto-close')).body.items;
  expect(autoClose[0]).toMatchObject({ actor: SUBJECTS.admin, after: expect.objectContaining({ value: 3 * 24 * 3600 }) });
  await h.pool.query(`INSERT INTO settings (key, value, updated_by) VALUES ('inspection.rules', '[]', 'ops.kim')`);
  expect((await history('kind=inspection-rules')).body.items).toEqual([expect.objectContaining({ actor: 'ops.kim', before: null })]);
  const all = (await history('limit=500')).body.total;
  await h.pool.query(`INSERT INTO settings (key, value, updated_by) VALUES ('some.watermark', '1', 'butler') ON CONFLICT (key) DO UPDATE SET value = '2'`);
  expect((await history('limit=500')).body.total).toBe(all);
});
