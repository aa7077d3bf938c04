import { useHarness } from './harness';
import type { Json } from '../support/json';

/** Trunk capacity and thresholds over the API (issue 15); the alerts they drive are tested in test/e2e/trunk-traffic.test.ts. */

const h = useHarness();

test('a live PRI line has a trunk with the E1 default until its capacity is recorded', async () => {
  await h.pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
     VALUES ('LN-000123', '0212345678', '상담 2센터', 'pri', 'ACTIVE', 'done', '{}', 1, now())`,
  );
  const before = await h.call('get', '/api/v1/trunks', { token: h.tokens.engineer });
  expect(before.status).toBe(200);
  expect(before.body.items).toContainEqual(
    expect.objectContaining({
      trunk: '223',
      lineId: 'LN-000123',
      center: '상담 2센터',
      channels: 30,
      warnAtPercent: 80,
      criticalAtPercent: 95,
      source: 'default',
    }),
  );
  const saved = await h.call('put', '/api/v1/trunks/223', { token: h.tokens.spm, body: { channels: 23, warnAtPercent: 70, criticalAtPercent: 90 } });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({
    trunk: '223',
    lineId: 'LN-000123',
    center: '상담 2센터',
    channels: 23,
    warnAtPercent: 70,
    source: 'recorded',
    updatedBy: 'spm-kim',
  });
  const metrics = await h.call('get', '/metrics', { token: h.tokens.automation });
  expect(metrics.text).toContain('butler_trunk_capacity_channels{trunk="223",line="LN-000123",center="상담 2센터"} 23');
  expect(metrics.text).toContain('butler_trunk_warning_ratio{trunk="223"} 0.7');
  expect(metrics.text).toContain('butler_trunk_critical_ratio{trunk="223"} 0.9');
});

test('bad capacities are refused naming the field; only the SPM and admins record them', async () => {
  const bad = async (trunk: string, body: unknown, field: string) => {
    const res = await h.call('put', `/api/v1/trunks/${trunk}`, { token: h.tokens.admin, body });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((i: Json) => i.path)).toContain(field);
  };
  await bad('9', { channels: 0 }, 'channels');
  await bad('9', { channels: 10, warnAtPercent: 90, criticalAtPercent: 80 }, 'criticalAtPercent');
  await bad('9', { channels: 10, warnAtPercent: 101 }, 'warnAtPercent');
  await bad('trunk-9', { channels: 10 }, 'params.trunk');
  expect((await h.call('put', '/api/v1/trunks/9', { token: h.tokens.engineer, body: { channels: 10 } })).status).toBe(403);
  const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM trunk_capacity WHERE trunk = '9'`);
  expect(rows).toEqual([{ n: 0 }]);
});

test("GET /lines/usage: each line's calls and minutes over Seoul days from the stored call-record days, lines without calls at zero", async () => {
  await h.pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at) VALUES
       ('LN-000200', '2001', '상담 1센터', 'extension', 'ACTIVE', 'done', '{}', 1, now()),
       ('LN-000201', '2002', '상담 1센터', 'extension', 'ACTIVE', 'done', '{}', 1, now()),
       ('LN-000202', '3001', '상담 3센터', 'extension', 'ACTIVE', 'done', '{}', 1, now())`,
  );
  await h.pool.query(
    `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, data_source, origin) VALUES
       ('2026-11-02', '2001', 10, 3, 55.5, 'vendor', 'pbx'),
       ('2026-11-03', '2001', 4, 0, 12, 'vendor', 'pbx'),
       ('2026-12-01', '2001', 99, 99, 999, 'vendor', 'cti'),
       ('2026-11-02', '3001', 1, 1, 2, 'simulated', 'cti')`,
  );
  const res = await h.call('get', '/api/v1/lines/usage?from=2026-11-01&to=2026-12-01&center=%EC%83%81%EB%8B%B4%201%EC%84%BC%ED%84%B0', {
    token: h.tokens.auditor,
  });
  expect(res.status).toBe(200);
  expect(res.body.items).toEqual([
    expect.objectContaining({
      lineId: 'LN-000200',
      dn: '2001',
      callsOut: 14,
      callsIn: 3,
      minutes: 67.5,
      activeDays: 2,
      lastCallDate: '2026-11-03',
      simulated: false,
      origins: ['pbx'],
    }),
    expect.objectContaining({ lineId: 'LN-000201', dn: '2002', callsOut: 0, callsIn: 0, minutes: 0, activeDays: 0, lastCallDate: null, origins: [] }),
  ]);
  const all = await h.call('get', '/api/v1/lines/usage?from=2026-11-01&to=2026-12-01', { token: h.tokens.spm });
  expect(all.body.items).toContainEqual(expect.objectContaining({ dn: '3001', callsOut: 1, simulated: true, origins: ['cti'] }));
  for (const [q, field] of [
    ['from=2026-11-01', 'query.to'],
    ['from=2026-11-31&to=2026-12-01', 'query.from'],
    ['from=2026-12-01&to=2026-11-01', 'query.to'],
    ['from=2025-01-01&to=2026-12-01', 'query.to'],
  ] as const) {
    const bad = await h.call('get', `/api/v1/lines/usage?${q}`, { token: h.tokens.spm });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((i: Json) => i.path)).toContain(field);
  }
});

test('line usage sources: the PBX for every center until an admin saves a version; a bad source or an unknown center is a 400 naming it', async () => {
  await h.pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
     VALUES ('LN-000300', '4001', '상담 2센터', 'extension', 'ACTIVE', 'done', '{}', 1, now())`,
  );
  const initial = await h.call('get', '/api/v1/line-usage-sources', { token: h.tokens.auditor });
  expect(initial).toMatchObject({ status: 200, body: { centers: {}, version: 0 } });

  const saved = await h.call('put', '/api/v1/line-usage-sources', { token: h.tokens.admin, body: { centers: { '상담 2센터': 'cti', '상담 1센터': 'pbx' } } });
  expect(saved).toMatchObject({ status: 200, body: { centers: { '상담 2센터': 'cti', '상담 1센터': 'pbx' }, version: 1, updatedBy: expect.any(String) } });
  expect((await h.call('get', '/api/v1/line-usage-sources', { token: h.tokens.engineer })).body).toEqual(saved.body);

  const bad = await h.call('put', '/api/v1/line-usage-sources', { token: h.tokens.admin, body: { centers: { '상담 2센터': 'ivr' } } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((i: Json) => i.path)).toEqual(['centers.상담 2센터']);
  expect((await h.call('put', '/api/v1/line-usage-sources', { token: h.tokens.admin, body: { centers: {}, extra: 1 } })).status).toBe(400);
  // A center no line is in (a misspelling) would silently stay the PBX's.
  const unknown = await h.call('put', '/api/v1/line-usage-sources', { token: h.tokens.admin, body: { centers: { 상담2센터: 'cti', '상담 9센터': 'pbx' } } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details).toEqual([{ path: 'centers.상담2센터', message: 'no line of the inventory is in this center' }]);
  expect((await h.call('put', '/api/v1/line-usage-sources', { token: h.tokens.spm, body: { centers: {} } })).status).toBe(403);
  // Refused saves made no version.
  expect((await h.call('get', '/api/v1/line-usage-sources', { token: h.tokens.spm })).body.version).toBe(1);
});
