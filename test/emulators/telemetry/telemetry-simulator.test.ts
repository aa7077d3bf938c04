import { createTelemetryClient, TelemetryApiError, type DeviceMetrics } from '../../../adapters/telemetry/telemetry-client';
import { VendorNotFoundError, VendorRateLimitedError, VendorTransientError, VendorValidationError } from '../../../adapters/vendor-errors';
import { startTelemetrySimulator, type TelemetrySimulator } from '../../../emulators/telemetry/simulator';
import { freePort } from '../../../system/ports';
import type { Json } from '../../support/json';

/**
 * The TELEMETRY SIMULATOR over real HTTP: protocol v1 as README.md documents
 * it, its determinism, pins and faults, and the client's error mapping.
 */

let sim: TelemetrySimulator;
let clock = new Date('2026-11-15T03:00:00Z');
const client = () => createTelemetryClient({ baseUrl: sim.url, timeoutMs: 2_000 });
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // Whatever JSON came back, read loosely as in test/api/harness.ts: the assertions say what it must be.
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, Json> };
};
const metricsOf = async (id: string, query = ''): Promise<DeviceMetrics> =>
  (await call('GET', `/v1/devices/${encodeURIComponent(id)}/metrics${query}`)).body as DeviceMetrics;

beforeAll(async () => {
  sim = await startTelemetrySimulator({ port: 0, now: () => clock });
});
afterAll(() => sim?.stop());
afterEach(async () => {
  clock = new Date('2026-11-15T03:00:00Z');
  expect((await call('POST', '/__simulator/reset')).status).toBe(204);
});

describe('protocol v1', () => {
  test('metrics of any device: cpu, memory and disk with capacities, the same on a rerun, marked as simulated', async () => {
    const res = await call('GET', '/v1/devices/C1-IVR-01/metrics?center=상담1센터&system=IVR');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-butler-simulator')).toBe('telemetry');
    expect(res.body).toMatchObject({ deviceId: 'C1-IVR-01', collectedAt: clock.toISOString(), source: 'telemetry-simulator' });
    expect(res.body.metrics.map((m: { name: string }) => m.name)).toEqual(['cpu', 'memory', 'disk']);
    for (const m of res.body.metrics) expect(m.value).toBeLessThanOrEqual(m.capacity);
    expect(res.body.metrics[0]).toMatchObject({ capacity: 100, unit: 'percent' });
    expect(await metricsOf('C1-IVR-01')).toEqual(res.body);
  });

  test('a switch (system=NET) also reports its ports', async () => {
    const { metrics } = await metricsOf('C1-NET-01', '?system=NET');
    expect(metrics.find((m) => m.name === 'ports')).toMatchObject({ unit: 'count', capacity: expect.any(Number) });
  });

  test('values move from month to month, hardware sizes do not; most devices are healthy, a few near thresholds', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `D-${i}`);
    const november = await Promise.all(ids.map((id) => metricsOf(id)));
    clock = new Date('2026-12-01T00:00:00+09:00');
    const december = await Promise.all(ids.map((id) => metricsOf(id)));
    expect(december.filter((d, i) => d.metrics[0]!.value !== november[i]!.metrics[0]!.value).length).toBeGreaterThan(100);
    december.forEach((d, i) => expect(d.metrics.map((m) => m.capacity)).toEqual(november[i]!.metrics.map((m) => m.capacity)));
    const cpu = november.map((d) => d.metrics[0]!.value);
    const hot = cpu.filter((v) => v >= 78).length;
    expect(hot).toBeGreaterThan(0);
    expect(hot).toBeLessThan(ids.length * 0.2);
  });

  test('backups: two jobs per device asked for; center and devices are required', async () => {
    const res = await call('GET', '/v1/backups?center=상담1센터&devices=C1-PBX-01,C1-CTI-01');
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((j: { deviceId: string; job: string }) => `${j.deviceId}/${j.job}`)).toEqual([
      'C1-PBX-01/config',
      'C1-PBX-01/image',
      'C1-CTI-01/config',
      'C1-CTI-01/image',
    ]);
    for (const job of res.body.jobs) expect(Date.parse(job.lastSuccessAt)).toBeLessThanOrEqual(clock.getTime());
    const missing = await call('GET', '/v1/backups?devices=C1-PBX-01');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid-request', issues: [expect.objectContaining({ path: ['center'] })] });
  });

  test('an unknown route answers 404 in the one error shape', async () => {
    expect(await call('GET', '/v1/nothing')).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
  });
});

describe('pins', () => {
  test('pinned metrics come back exactly until unpinned', async () => {
    const metrics = [{ name: 'disk', value: 91, capacity: 100, unit: 'percent' }];
    expect((await call('PUT', '/__simulator/devices/C1-REC-01/metrics', { metrics })).status).toBe(200);
    expect((await metricsOf('C1-REC-01')).metrics).toEqual(metrics);
    expect((await call('DELETE', '/__simulator/devices/C1-REC-01/metrics')).status).toBe(204);
    expect((await metricsOf('C1-REC-01')).metrics).toHaveLength(3);
  });

  test('pinned backups replace the synthetic jobs; a malformed pin is a 400', async () => {
    const jobs = [{ job: 'db', lastSuccessAt: null, lastAttemptAt: '2026-11-14T17:00:00Z', status: 'failed' }];
    await call('PUT', '/__simulator/backups/C1-ERS-01', { jobs });
    const { body } = await call('GET', '/v1/backups?center=c&devices=C1-ERS-01');
    expect(body.jobs).toEqual([{ deviceId: 'C1-ERS-01', ...jobs[0] }]);
    expect((await call('PUT', '/__simulator/backups/C1-ERS-01', { jobs: [{ job: 'db', status: 'meh' }] })).status).toBe(400);
    expect((await call('PUT', '/__simulator/devices/x/metrics', { metrics: [{ name: 'cpu-load', value: 1, capacity: null, unit: 'percent' }] })).status).toBe(
      400,
    );
  });
});

describe('faults and the request log', () => {
  test('an error rule for one device, spent after `times`; other devices unaffected; the log shows it', async () => {
    const rule = await call('POST', '/__simulator/faults', { match: { deviceId: 'C2-IVR-01' }, kind: 'error', status: 502, times: 2 });
    expect(rule).toMatchObject({ status: 201, body: { id: expect.any(Number), kind: 'error', status: 502, times: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/v1/devices/C2-IVR-01/metrics')).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect((await call('GET', '/v1/devices/C2-IVR-02/metrics')).status).toBe(200);
    const log = (await call('GET', '/__simulator/requests?deviceId=C2-IVR-01')).body;
    expect(log.requests.map((r: { status: number; faults: string[] }) => [r.status, r.faults])).toEqual([
      [502, ['error']],
      [502, ['error']],
      [200, []],
    ]);
    expect((await call('GET', '/__simulator/faults')).body.rules).toEqual([]);
  });

  test('center and path rules; a backup request matches a device it names; DELETE clears the rules', async () => {
    await call('POST', '/__simulator/faults', { match: { center: '상담3센터', path: '/v1/backups' }, kind: 'error', status: 500 });
    await call('POST', '/__simulator/faults', { match: { deviceId: 'C1-NET-01' }, kind: 'error', status: 503 });
    expect((await call('GET', `/v1/backups?center=${encodeURIComponent('상담3센터')}&devices=a`)).status).toBe(500);
    expect((await call('GET', `/v1/devices/a/metrics?center=${encodeURIComponent('상담3센터')}`)).status).toBe(200);
    expect((await call('GET', '/v1/backups?center=x&devices=b,C1-NET-01')).status).toBe(503);
    expect((await call('DELETE', '/__simulator/faults')).status).toBe(204);
    expect((await call('GET', '/v1/backups?center=x&devices=b,C1-NET-01')).status).toBe(200);
    expect((await call('POST', '/__simulator/faults', { kind: 'explode' })).status).toBe(400);
  });

  test('latency delays an answer; a hang never answers, so the client times out; stop() is not held up by it', async () => {
    await call('POST', '/__simulator/faults', { match: { deviceId: 'slow' }, kind: 'latency', ms: 300 });
    const started = Date.now();
    expect((await call('GET', '/v1/devices/slow/metrics')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await call('POST', '/__simulator/faults', { match: { deviceId: 'stuck' }, kind: 'hang' });
    const err = await createTelemetryClient({ baseUrl: sim.url, timeoutMs: 300 })
      .deviceMetrics('stuck')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransientError);
    expect((err as Error).message).toMatch(/GET \/v1\/devices\/stuck\/metrics timed out after 300 ms/);
    const [logged] = (await call('GET', '/__simulator/requests?deviceId=stuck')).body.requests;
    expect(logged).toMatchObject({ faults: ['hang'] });
    expect(logged.status).toBeUndefined();

    const other = await startTelemetrySimulator();
    await fetch(`${other.url}/__simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'hang' }) });
    const pending = fetch(`${other.url}/v1/devices/x/metrics`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await other.stop();
    // fetch's TypeError comes from another realm than the test's: compare by shape.
    expect(await pending).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
  });
});

describe('the client maps each failure to one vendor error, with what the simulator said as the cause', () => {
  const failWith = (status: number) => call('POST', '/__simulator/faults', { kind: 'error', status, times: 1 });

  test.each([
    [503, VendorTransientError],
    [500, VendorTransientError],
    [404, VendorNotFoundError],
    [400, VendorValidationError],
    [429, VendorRateLimitedError],
  ])('%i → %p', async (status, type) => {
    await failWith(status);
    const err = await client()
      .deviceMetrics('C1-PBX-01')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ vendor: 'telemetry', status });
    expect((err as Error).cause).toBeInstanceOf(TelemetryApiError);
    expect((err as Error).cause).toMatchObject({ status, code: 'injected-fault' });
  });

  test('nobody listening → VendorTransient naming the refusal', async () => {
    const err = await createTelemetryClient({ baseUrl: `http://127.0.0.1:${await freePort()}` })
      .backups('c', ['a'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransientError);
    expect((err as Error).message).toMatch(/GET \/v1\/backups failed: .*ECONNREFUSED/);
  });

  test('an answer in another shape → VendorValidation with the zod error as cause', async () => {
    // Another server on the same port would say something else: here, the simulator's own request log.
    const odd = createTelemetryClient({ baseUrl: sim.url, fetch: (_url, init) => fetch(`${sim.url}/__simulator/requests`, init) });
    const err = await odd.backups('c', ['ok']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorValidationError);
    expect((err as Error).message).toMatch(/does not follow telemetry protocol v1/);
  });
});
