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

test("GET /lines/usage: each line's calls, minutes and peak over Seoul days from the stored call-record days, lines without calls at zero", async () => {
  await h.pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at) VALUES
       ('LN-000200', '2001', '상담 1센터', 'extension', 'ACTIVE', 'done', '{}', 1, now()),
       ('LN-000201', '2002', '상담 1센터', 'extension', 'ACTIVE', 'done', '{}', 1, now()),
       ('LN-000202', '3001', '상담 3센터', 'extension', 'ACTIVE', 'done', '{}', 1, now())`,
  );
  await h.pool.query(
    `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, peak_concurrent, data_source, origin) VALUES
       ('2026-11-02', '2001', 10, 3, 55.5, 3, 'vendor', 'pbx'),
       ('2026-11-03', '2001', 4, 0, 12, 1, 'vendor', 'pbx'),
       -- A call up at midnight: the day has a peak and no call answered on it.
       ('2026-11-04', '2001', 0, 0, 0, 1, 'vendor', 'pbx'),
       ('2026-12-01', '2001', 99, 99, 999, NULL, 'vendor', 'cti'),
       -- The CTI's statistics cannot tell how many calls were up at once.
       ('2026-11-02', '3001', 1, 1, 2, NULL, 'simulated', 'cti')`,
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
      peakConcurrent: 3,
      simulated: false,
      origins: ['pbx'],
    }),
    expect.objectContaining({
      lineId: 'LN-000201',
      dn: '2002',
      callsOut: 0,
      callsIn: 0,
      minutes: 0,
      activeDays: 0,
      lastCallDate: null,
      peakConcurrent: 0,
      origins: [],
    }),
  ]);
  const all = await h.call('get', '/api/v1/lines/usage?from=2026-11-01&to=2026-12-01', { token: h.tokens.spm });
  expect(all.body.items).toContainEqual(expect.objectContaining({ dn: '3001', callsOut: 1, peakConcurrent: null, simulated: true, origins: ['cti'] }));
  const december = await h.call('get', '/api/v1/lines/usage?from=2026-11-03&to=2026-12-02&center=%EC%83%81%EB%8B%B4%201%EC%84%BC%ED%84%B0', {
    token: h.tokens.engineer,
  });
  // The most over the days that have one: the CTI's day has none.
  expect(december.body.items[0]).toMatchObject({ dn: '2001', activeDays: 2, lastCallDate: '2026-12-01', peakConcurrent: 1, origins: ['cti', 'pbx'] });
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

test("GET /trunks/usage: each trunk's days (calls, minutes, peak) over Seoul days with its channels; trunks without calls at zero; bad queries name the field", async () => {
  // Trunk 224 recorded in 상담 3센터; PRI line LN-000125's trunk (225) at the E1 default; trunk 555 known only to the call records.
  expect((await h.call('put', '/api/v1/trunks/224', { token: h.tokens.spm, body: { channels: 10, center: '상담 3센터' } })).status).toBe(200);
  await h.pool.query(
    `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at)
     VALUES ('LN-000125', '0312345678', '상담 3센터', 'pri', 'ACTIVE', 'done', '{}', 1, now())`,
  );
  await h.pool.query(
    `INSERT INTO trunk_usage_daily (date, trunk, calls, minutes, peak_concurrent, data_source) VALUES
       ('2026-10-31', '224', 500, 900, 10, 'vendor'),
       ('2026-11-02', '224', 40, 120.5, 7, 'vendor'),
       ('2026-11-03', '224', 10, 30, 8, 'vendor'),
       ('2026-11-05', '555', 2, 3.2, 2, 'simulated')`,
  );
  const q = (query: string, token = h.tokens.auditor) => h.call('get', `/api/v1/trunks/usage?${query}`, { token });

  const center3 = await q(`from=2026-11-01&to=2026-12-01&center=${encodeURIComponent('상담 3센터')}`);
  expect(center3.status).toBe(200);
  expect(center3.body.items).toEqual([
    {
      trunk: '224',
      center: '상담 3센터',
      lineId: null,
      channels: 10,
      calls: 50,
      minutes: 150.5,
      peakConcurrent: 8,
      simulated: false,
      days: [
        { date: '2026-11-02', calls: 40, minutes: 120.5, peakConcurrent: 7 },
        { date: '2026-11-03', calls: 10, minutes: 30, peakConcurrent: 8 },
      ],
    },
    { trunk: '225', center: '상담 3센터', lineId: 'LN-000125', channels: 30, calls: 0, minutes: 0, peakConcurrent: 0, simulated: false, days: [] },
  ]);
  // The day before is another range's; a trunk the inventory does not have is listed without a center or channels.
  const all = await q('from=2026-10-31&to=2026-11-06', h.tokens.engineer);
  expect(all.body.items).toContainEqual(expect.objectContaining({ trunk: '224', calls: 550, peakConcurrent: 10 }));
  expect(all.body.items).toContainEqual({
    trunk: '555',
    center: null,
    lineId: null,
    channels: null,
    calls: 2,
    minutes: 3.2,
    peakConcurrent: 2,
    simulated: true,
    days: [{ date: '2026-11-05', calls: 2, minutes: 3.2, peakConcurrent: 2 }],
  });

  for (const [query, field] of [
    ['from=2026-11-01', 'query.to'],
    ['from=2026-11-31&to=2026-12-01', 'query.from'],
    ['from=2026-12-01&to=2026-11-01', 'query.to'],
    ['from=2025-01-01&to=2026-12-01', 'query.to'],
    ['from=2026-11-01&to=2026-12-01&center=', 'query.center'],
  ] as const) {
    const bad = await q(query, h.tokens.spm);
    expect({ query, status: bad.status, paths: bad.body.error.details.map((i: Json) => i.path) }).toEqual({ query, status: 400, paths: [field] });
  }
  expect((await q('from=2026-11-01&to=2026-12-01', h.tokens.automation)).status).toBe(403);
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
