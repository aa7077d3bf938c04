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
