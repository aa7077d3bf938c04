import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCollectors, type CollectOptions, type Collectors } from '../../../activities/inspection/collectors';
import { createTelemetryClient, type TelemetryClient } from '../../../adapters/telemetry/telemetry-client';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import type { CtiClient } from '../../../adapters/cti/cti-client';
import { createKamailioPbx, type KamailioPbx } from '../../../adapters/pbx/kamailio-pbx';
import { VendorTransientError, VendorValidationError } from '../../../adapters/vendor-errors';
import { DEMO_CENTERS, demoDevices, syntheticDevices } from '../../../db/device-seed';
import { listCenters, listDeviceRows, listDevices, upsertDevices } from '../../../db/devices.repo';
import type { Device, DeviceSystem, InspectedSystem, Reading } from '../../../domain/inspection/contracts';
import { startCtiEmulator, type CtiEmulator } from '../../../emulators/cti/emulator';
import type { PbxSimulator } from '../../../emulators/pbx/simulator';
import { startEmbeddedPbxSimulator } from '../../../runtime/embedded-pbx-simulator';
import { startTelemetrySimulator, type TelemetrySimulator } from '../../../emulators/telemetry/simulator';
import { freshDatabase } from '../../support/db';
import type { Json } from '../../support/json';
import { freePort } from '../../../system/ports';
import { dropDatabaseAndRole } from '../../support/kamailio';

/**
 * The inspection's collectors against real services: the TELEMETRY
 * SIMULATOR, the PBX SIMULATOR driven by the Kamailio adapter, the CTI
 * emulator driven by the Genesys adapter, and a fresh PostgreSQL holding the
 * demo asset register. Values planted in the simulators come out exactly.
 */

/** The stand-ins this file runs, as the worker would flag them (the telemetry simulator is left to say so itself). */
const STAND_INS = { pbx: true, cti: true, telemetry: false };
const ASOF = '2026-11-30T15:00:00.000Z'; // 2026-12-01 00:00 in Seoul
const DAY = 86_400_000;
const C1 = DEMO_CENTERS[0];
const C2 = DEMO_CENTERS[1];
const adminUrl = () => process.env.BUTLER_TEST_DATABASE_URL!;
const pbxDatabase = `pbxsim_${randomBytes(5).toString('hex')}`;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let telemetrySim: TelemetrySimulator;
let pbxSim: PbxSimulator;
let pbx: KamailioPbx;
let emulator: CtiEmulator;
let cti: CtiClient;
let telemetry: TelemetryClient;
let collectors: Collectors;
let dataDir: string;

const admin = async (method: string, route: string, body?: unknown) => {
  const res = await fetch(`${telemetrySim.url}/__simulator${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${await res.text()}`);
  // The control surface's JSON, read loosely: the assertions say what it must be.
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, Json>);
};
const host = (cpu: number) =>
  [
    { name: 'cpu', value: cpu, capacity: 100, unit: 'percent' },
    { name: 'memory', value: 9 * 2 ** 30, capacity: 32 * 2 ** 30, unit: 'bytes' },
    { name: 'disk', value: 700e9, capacity: 960e9, unit: 'bytes' },
  ] as const;
const plant = (id: string, metrics: ReadonlyArray<{ name: string; value: number; capacity: number | null; unit: string }>) =>
  admin('PUT', `/devices/${id}/metrics`, { metrics });
/** What planting `metrics` on a device must come out as. */
const expected = (center: string, system: InspectedSystem, id: string, metrics: ReturnType<typeof host>): Reading[] =>
  metrics.map((m) => ({
    deviceId: id,
    center,
    system,
    metric: m.name,
    value: m.value,
    capacity: m.capacity,
    unit: m.unit,
    collectedAt: ASOF,
    measuredBy: 'telemetry-simulator',
    source: 'simulated',
  }));
const collect = async (center: string, system: InspectedSystem, options: Partial<CollectOptions> = {}, using = collectors) =>
  using.collect({ center, system }, await listDevices(db.pool, { center, system }), { asOf: ASOF, ...options });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(process.env.BUTLER_TEST_DATA_DIR ?? tmpdir(), 'collectors-'));
  [db, telemetrySim, pbxSim, emulator] = await Promise.all([
    freshDatabase(),
    startTelemetrySimulator({ now: () => new Date(ASOF) }),
    freePort().then((rpcPort) => startEmbeddedPbxSimulator({ databaseUrl: adminUrl(), database: pbxDatabase, dataDir, rpcPort, log: () => undefined })),
    freePort().then((port) => startCtiEmulator({ port })),
  ]);
  pbx = createKamailioPbx({ databaseUrl: pbxSim.databaseUrl, rpcUrl: pbxSim.rpcUrl, domain: pbxSim.domain });
  cti = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 5_000 });
  telemetry = createTelemetryClient({ baseUrl: telemetrySim.url, timeoutMs: 5_000 });
  // As the worker wires them: the PBX simulator and the CTI emulator are known stand-ins; the telemetry simulator says so itself.
  collectors = createCollectors({ pool: db.pool, pbx, cti, telemetry, simulated: STAND_INS });
  await upsertDevices(db.pool, demoDevices());
});

afterAll(async () => {
  await pbx?.close();
  await Promise.all([pbxSim?.stop(), emulator?.stop(), telemetrySim?.stop()]);
  await Promise.all([db?.drop(), dropDatabaseAndRole(adminUrl(), pbxDatabase)]);
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await admin('POST', '/reset');
  pbxSim.faults.reset();
  emulator.faults.reset();
});

describe('the asset register', () => {
  test('demo devices: three centers, every system 1–3 times, EOS dates near December 2026', async () => {
    const devices = demoDevices();
    expect(await listCenters(db.pool)).toEqual([...DEMO_CENTERS]);
    for (const center of DEMO_CENTERS) {
      for (const system of ['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET'] as DeviceSystem[]) {
        const n = devices.filter((d) => d.center === center && d.system === system).length;
        expect([center, system, n >= 1 && n <= 3]).toEqual([center, system, true]);
      }
    }
    const soon = devices.filter((d) => d.eosDate && d.eosDate > '2026-12-01' && Date.parse(d.eosDate) - Date.parse('2026-12-01') <= 180 * DAY);
    expect(soon.length).toBeGreaterThanOrEqual(2);
    expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
  });

  test('lists active devices by id; BACKUP and ASSET mean every system of the center; dates stay dates', async () => {
    expect((await listDevices(db.pool, { center: C1, system: 'PBX' })).map((d) => d.id)).toEqual(['C1-PBX-01', 'C1-PBX-02']);
    const all = await listDevices(db.pool, { center: C1, system: 'BACKUP' });
    expect(all.map((d) => d.id)).toEqual(
      demoDevices()
        .filter((d) => d.center === C1)
        .map((d) => d.id)
        .sort(),
    );
    expect(await listDevices(db.pool, { center: C1, system: 'ASSET' })).toEqual(all);
    expect(all.find((d) => d.id === 'C1-NET-02')).toEqual({
      id: 'C1-NET-02',
      center: C1,
      system: 'NET',
      name: 'L2 액세스 스위치 #1',
      model: 'Cisco Catalyst 2960X-48FPD-L',
      eosDate: '2027-02-28',
      eolDate: '2027-10-31',
    });
    expect((await listDevices(db.pool, { centers: [C2, DEMO_CENTERS[2]] })).every((d) => d.center !== C1)).toBe(true);
  });

  test('upserting without a capacity keeps the registered one', async () => {
    const [device] = await listDevices(db.pool, { center: C1, system: 'NET' });
    await upsertDevices(db.pool, [{ ...device!, name: '코어 스위치 (교체)' }]);
    expect((await listDeviceRows(db.pool, { center: C1, system: 'NET' }))[0]).toMatchObject({ name: '코어 스위치 (교체)', capacity: { ports: 28 } });
    await upsertDevices(db.pool, [{ ...device!, capacity: { ports: 28 } }]);
  });

  test('synthetic devices for a benchmark: deterministic, unique, spread over centers and systems', () => {
    const devices = syntheticDevices(500);
    expect(syntheticDevices(500)).toEqual(devices);
    expect(new Set(devices.map((d) => d.id)).size).toBe(500);
    expect(new Set(devices.map((d) => d.center))).toEqual(new Set(DEMO_CENTERS));
    expect(new Set(devices.map((d) => `${d.center}/${d.system}`)).size).toBe(18);
  });
});

describe('device systems: host metrics from telemetry', () => {
  test.each(['IVR', 'REC', 'ERS', 'NET'] as const)('%s: every device, exactly as planted', async (system) => {
    const devices = await listDevices(db.pool, { center: C1, system });
    for (const [i, d] of devices.entries()) await plant(d.id, host(10 + i));
    const ports = { name: 'ports', value: 40, capacity: 48, unit: 'count' } as const;
    if (system === 'NET') await plant(devices[0]!.id, [...host(10), ports]);

    const result = await collect(C1, system);

    const wanted = devices.flatMap((d, i) => expected(C1, system, d.id, host(10 + i)));
    if (system === 'NET')
      wanted.splice(3, 0, { ...expected(C1, system, devices[0]!.id, host(10))[0]!, metric: 'ports', value: 40, capacity: 48, unit: 'count' });
    expect(result).toEqual({ center: C1, system, devices: devices.length, readings: wanted, failures: [] });
  });
});

describe('PBX and CTI: what the system says of itself, once, on the center’s first device', () => {
  const insertLine = (id: string, center: string, status: string) =>
    db.pool.query(
      `INSERT INTO lines (id, dn, center, line_type, status, step, state, version, requested_at) VALUES ($1, $2, $3, 'extension', $4, 'done', '{}', 1, now())`,
      [id, `9${id.slice(-4)}`, center, status],
    );

  test('PBX: Kamailio shared memory, registered phones, trunks, the center’s live lines, and host metrics', async () => {
    const idem = (k: string) => ({ key: `collectors-test:${k}` });
    for (const dn of ['2101', '2102']) await pbx.createExtension({ dn, displayName: `상담 ${dn}`, domain: pbxSim.domain, password: `Pw-${dn}-x9` }, idem(dn));
    expect((await pbxSim.acceptance.accept(await pbx.getSipCredentials('2101'), '2102')).register.ok).toBe(true);
    await pbx.createTrunk({ id: 'kt-pri-1', setId: 300, uri: 'sip:10.30.0.1:5060', description: 'KT PRI 1' }, idem('trunk'));
    for (const [i, status] of ['ACTIVE', 'ACTIVE', 'INSTALLING', 'TERMINATED', 'FAILED'].entries()) await insertLine(`LN-90000${i}`, C1, status);
    await insertLine('LN-900010', C2, 'ACTIVE');
    await plant('C1-PBX-01', host(31));
    await plant('C1-PBX-02', host(12));

    const result = await collect(C1, 'PBX');
    const pbxSimulator = { measuredBy: 'pbx-simulator', source: 'simulated' };

    const stats = await pbx.statistics();
    expect(stats.ports).toMatchObject({ registered: 1 });
    const system = { deviceId: 'C1-PBX-01', center: C1, system: 'PBX', collectedAt: expect.any(String) };
    expect(result.readings.slice(0, 4)).toEqual([
      { ...system, metric: 'memory', item: 'shm', value: expect.any(Number), capacity: stats.memory.totalBytes, unit: 'bytes', ...pbxSimulator },
      { ...system, metric: 'phones', value: 1, capacity: stats.ports.extensions, unit: 'count', ...pbxSimulator },
      { ...system, metric: 'trunks', value: stats.ports.trunks, capacity: 8, unit: 'count', ...pbxSimulator },
      { ...system, metric: 'lines', value: 3, capacity: 800, unit: 'count', measuredBy: 'line-inventory', source: 'vendor' },
    ]);
    expect(stats.ports.extensions).toBeGreaterThanOrEqual(2);
    expect(stats.ports.trunks).toBeGreaterThanOrEqual(1);
    expect(result.readings[0]!.value).toBeGreaterThan(0);
    expect(result.readings[0]!.value).toBeLessThan(stats.memory.totalBytes);
    expect(result.readings.slice(4)).toEqual([...expected(C1, 'PBX', 'C1-PBX-01', host(31)), ...expected(C1, 'PBX', 'C1-PBX-02', host(12))]);
    expect(result.failures).toEqual([]);
  });

  test('CTI: seats per licence, assigned of bought, and host metrics', async () => {
    await cti.createAgent({ loginId: 'agent.park@butler.test', name: '박상담' }, { key: 'collectors-test:agent' });
    const usage = await cti.licenceUsage();
    expect(usage.some((u) => u.assigned > 0)).toBe(true);

    const result = await collect(C1, 'CTI');

    const licences = result.readings.filter((r) => r.metric === 'licences');
    expect(licences).toEqual(
      usage.map((u) => ({
        deviceId: 'C1-CTI-01',
        center: C1,
        system: 'CTI',
        metric: 'licences',
        item: u.licence,
        value: u.assigned,
        capacity: u.total,
        unit: 'count',
        collectedAt: expect.any(String),
        measuredBy: 'cti-emulator',
        source: 'simulated',
      })),
    );
    expect(result.readings.filter((r) => r.measuredBy === 'telemetry-simulator').map((r) => r.deviceId)).toEqual([
      ...Array(3).fill('C1-CTI-01'),
      ...Array(3).fill('C1-CTI-02'),
    ]);
  });
});

describe('source: vendor or simulated', () => {
  test('wired as real vendors, the PBX and CTI figures are vendor readings; telemetry that says it is synthetic stays simulated', async () => {
    const asReal = createCollectors({ pool: db.pool, pbx, cti, telemetry, simulated: { pbx: false, cti: false, telemetry: false } });
    await plant('C1-PBX-01', host(40));
    const pbxResult = await collect(C1, 'PBX', {}, asReal);
    const bySource = (r: Reading) => `${r.metric} ${r.measuredBy} ${r.source}`;
    expect(pbxResult.readings.slice(0, 4).map(bySource)).toEqual([
      'memory kamailio vendor',
      'phones kamailio vendor',
      'trunks kamailio vendor',
      'lines line-inventory vendor',
    ]);
    expect(new Set(pbxResult.readings.slice(4).map(bySource))).toEqual(
      new Set(['cpu telemetry-simulator simulated', 'memory telemetry-simulator simulated', 'disk telemetry-simulator simulated']),
    );
    const ctiResult = await collect(C1, 'CTI', {}, asReal);
    expect(new Set(ctiResult.readings.filter((r) => r.metric === 'licences').map(bySource))).toEqual(new Set(['licences cti vendor']));
  });

  test('a telemetry endpoint the worker runs as its simulator is simulated even if the answer does not say so', async () => {
    // The real client, its answers stripped of the simulator's own flag: only the wiring knows.
    const unflagged: TelemetryClient = {
      deviceMetrics: async (id, hints) => ({ ...(await telemetry.deviceMetrics(id, hints)), simulated: undefined }),
      backups: async (c, ids) => ({ ...(await telemetry.backups(c, ids)), simulated: undefined }),
    };
    const flaggedByWiring = createCollectors({ pool: db.pool, pbx, cti, telemetry: unflagged, simulated: { pbx: false, cti: false, telemetry: true } });
    const notFlagged = createCollectors({ pool: db.pool, pbx, cti, telemetry: unflagged, simulated: { pbx: false, cti: false, telemetry: false } });
    await plant('C1-IVR-01', host(20));
    expect(new Set((await collect(C1, 'IVR', {}, flaggedByWiring)).readings.map((r) => r.source))).toEqual(new Set(['simulated']));
    expect(new Set((await collect(C1, 'IVR', {}, notFlagged)).readings.map((r) => r.source))).toEqual(new Set(['vendor']));
  });
});

describe('failures', () => {
  test('one device failing is a failure entry naming why; the others are read', async () => {
    await plant('C1-IVR-01', host(20));
    await admin('POST', '/faults', { match: { deviceId: 'C1-IVR-02' }, kind: 'error', status: 503 });
    const result = await collect(C1, 'IVR');
    expect(result.readings).toEqual(expected(C1, 'IVR', 'C1-IVR-01', host(20)));
    expect(result.failures).toEqual([{ deviceId: 'C1-IVR-02', error: expect.stringMatching(/GET \/v1\/devices\/C1-IVR-02\/metrics → 503 injected-fault/) }]);
  });

  test('a device that hangs fails by the client’s timeout', async () => {
    const impatient = createCollectors({
      pool: db.pool,
      pbx,
      cti,
      telemetry: createTelemetryClient({ baseUrl: telemetrySim.url, timeoutMs: 300 }),
      simulated: STAND_INS,
    });
    await admin('POST', '/faults', { match: { deviceId: 'C1-REC-02' }, kind: 'hang' });
    const result = await collect(C1, 'REC', {}, impatient);
    expect(result.failures).toEqual([{ deviceId: 'C1-REC-02', error: expect.stringMatching(/timed out after 300 ms/) }]);
    expect(new Set(result.readings.map((r) => r.deviceId))).toEqual(new Set(['C1-REC-01']));
  });

  test('every device failing throws a VendorTransient carrying each device’s error', async () => {
    await admin('POST', '/faults', { match: { center: C1 }, kind: 'error', status: 502 });
    const err = await failureOf(collect(C1, 'NET'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err!.message).toMatch(/^telemetry: 상담1센터\/NET: all 3 device\(s\) failed; first: .*C1-NET-01\/metrics → 502/);
    const { errors } = err!.cause as AggregateError;
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toBeInstanceOf(VendorTransientError);
  });

  test('every device unknown to telemetry (404) throws a permanent VendorValidation: a retry would hear the same', async () => {
    await admin('POST', '/faults', { match: { center: C1 }, kind: 'error', status: 404 });
    const err = await failureOf(collect(C1, 'ERS'));
    expect(err).toBeInstanceOf(VendorValidationError);
    expect(err!.message).toMatch(/all 1 device\(s\) failed/);
  });

  test('the PBX not answering fails the PBX collector (VendorTransient), before any device is asked', async () => {
    pbxSim.faults.set({ failRpc: { count: 1_000 } });
    const err = await failureOf(collect(C1, 'PBX'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err).toMatchObject({ vendor: 'pbx' });
    expect((await admin('GET', '/requests'))!.total).toBe(0);
  });

  test('the CTI not answering fails the CTI collector (VendorTransient)', async () => {
    emulator.faults.set({ route: { path: '/api/v2/license' }, failAlways: { status: 503 } });
    const err = await failureOf(collect(C1, 'CTI'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err).toMatchObject({ vendor: 'cti', status: 503 });
  });

  test('the backup system not answering fails the BACKUP collector (VendorTransient)', async () => {
    await admin('POST', '/faults', { match: { path: '/v1/backups' }, kind: 'error', status: 503 });
    const err = await failureOf(collect(C2, 'BACKUP'));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err!.message).toMatch(/상담2센터\/BACKUP: all 9 device\(s\) failed; first: telemetry: GET \/v1\/backups → 503/);
  });
});

describe('BACKUP: age of the last good backup per job', () => {
  test('planted ages come out exactly; never succeeded and no job at all are failures; a later success is age 0', async () => {
    const at = (daysBefore: number) => new Date(Date.parse(ASOF) - daysBefore * DAY).toISOString();
    await admin('PUT', '/backups/C2-PBX-01', {
      jobs: [
        { job: 'config', lastSuccessAt: at(2.5), lastAttemptAt: at(2.5), status: 'ok' },
        { job: 'image', lastSuccessAt: at(10), lastAttemptAt: at(0.2), status: 'failed' },
      ],
    });
    await admin('PUT', '/backups/C2-CTI-01', { jobs: [{ job: 'db', lastSuccessAt: null, lastAttemptAt: at(1), status: 'failed' }] });
    await admin('PUT', '/backups/C2-ERS-01', { jobs: [] });
    await admin('PUT', '/backups/C2-IVR-01', { jobs: [{ job: 'config', lastSuccessAt: at(-1), lastAttemptAt: at(-1), status: 'ok' }] });

    const result = await collect(C2, 'BACKUP');

    const age = (deviceId: string, item: string, value: number): Reading => ({
      deviceId,
      center: C2,
      system: 'BACKUP',
      metric: 'backup-age',
      item,
      value,
      capacity: null,
      unit: 'days',
      collectedAt: ASOF,
      measuredBy: 'telemetry-simulator',
      source: 'simulated',
    });
    expect(result.devices).toBe(9);
    expect(result.readings.filter((r) => ['C2-PBX-01', 'C2-IVR-01'].includes(r.deviceId))).toEqual([
      age('C2-IVR-01', 'config', 0),
      age('C2-PBX-01', 'config', 2.5),
      age('C2-PBX-01', 'image', 10),
    ]);
    expect(result.failures).toEqual([
      { deviceId: 'C2-CTI-01', error: `backup job "db" has never succeeded (last attempt ${at(1)} failed)` },
      { deviceId: 'C2-ERS-01', error: 'no backup job is known for this device' },
    ]);
    // The others get the simulator's synthetic jobs: a config and an image backup each.
    const others = result.readings.filter((r) => !['C2-PBX-01', 'C2-IVR-01'].includes(r.deviceId));
    expect(others).toHaveLength(2 * 5);
    for (const r of others) expect(r.value).toBeGreaterThanOrEqual(0);
  });
});

describe('ASSET: days to EOS/EOL from the asset register, by the Seoul calendar', () => {
  const device = (id: string, eosDate: string | null, eolDate: string | null): Device => ({
    id,
    center: C1,
    system: 'NET',
    name: id,
    model: 'm',
    eosDate,
    eolDate,
  });
  const devices = [
    device('A-1', '2027-01-31', '2026-12-25'),
    device('A-2', null, null),
    device('A-3', '2028-02-29', null),
    device('A-4', '2027-01-01', '2026-02-30'),
  ];
  const days = async (asOf: string) => {
    const result = await collectors.collect({ center: C1, system: 'ASSET' }, devices, { asOf });
    return { values: result.readings.map((r) => `${r.deviceId} ${r.metric} ${r.value}`), failures: result.failures };
  };

  test('across the year boundary: 2026-12-31 23:59:59 KST and 2027-01-01 00:30 KST are different days', async () => {
    expect(await days('2026-12-31T14:59:59Z')).toEqual({
      values: ['A-1 eos 31', 'A-1 eol -6', 'A-3 eos 425'],
      failures: [{ deviceId: 'A-4', error: 'not a calendar date: "2026-02-30"' }],
    });
    expect((await days('2026-12-31T15:30:00Z')).values).toEqual(['A-1 eos 30', 'A-1 eol -7', 'A-3 eos 424']);
  });

  test('the demo register: readings only for devices with dates, from the asset register', async () => {
    const result = await collect(C1, 'ASSET');
    expect(result.readings.map((r) => [r.deviceId, r.metric, r.value, r.measuredBy, r.source])).toEqual([
      ['C1-NET-02', 'eos', 89, 'asset-register', 'vendor'],
      ['C1-NET-02', 'eol', 334, 'asset-register', 'vendor'],
      ['C1-NET-03', 'eos', 89, 'asset-register', 'vendor'],
      ['C1-NET-03', 'eol', 334, 'asset-register', 'vendor'],
    ]);
    expect(result).toMatchObject({ system: 'ASSET', devices: 12, failures: [] });
  });
});

describe('progress and concurrency', () => {
  /** The real client, counting requests in flight. */
  function counting(): { client: TelemetryClient; max: () => number } {
    let inFlight = 0;
    let max = 0;
    const track = async <T>(call: () => Promise<T>): Promise<T> => {
      max = Math.max(max, ++inFlight);
      try {
        return await call();
      } finally {
        inFlight--;
      }
    };
    return {
      client: { deviceMetrics: (id, hints) => track(() => telemetry.deviceMetrics(id, hints)), backups: (c, ids) => track(() => telemetry.backups(c, ids)) },
      max: () => max,
    };
  }
  const ivrs = Array.from({ length: 12 }, (_, i): Device => ({
    id: `P-IVR-${String(i).padStart(2, '0')}`,
    center: C1,
    system: 'IVR',
    name: 'ivr',
    model: 'm',
    eosDate: null,
    eolDate: null,
  }));

  test.each([
    [3, 3],
    [undefined, 8],
  ])('concurrency %p: at most %i devices at once, one progress call per device, readings in device order', async (concurrency, bound) => {
    const { client, max } = counting();
    const using = createCollectors({ pool: db.pool, pbx, cti, telemetry: client, simulated: STAND_INS });
    // Later devices answer sooner, so completion order is not device order.
    for (const [i, d] of ivrs.entries()) await admin('POST', '/faults', { match: { deviceId: d.id }, kind: 'latency', ms: 20 * (12 - i) });
    const progress: Array<[number, number]> = [];

    const result = await using.collect({ center: C1, system: 'IVR' }, ivrs, {
      asOf: ASOF,
      concurrency,
      onDeviceDone: (done, total) => progress.push([done, total]),
    });

    expect(max()).toBe(bound);
    expect(progress).toEqual(ivrs.map((_, i) => [i + 1, 12]));
    expect(result.readings.filter((r) => r.metric === 'cpu').map((r) => r.deviceId)).toEqual(ivrs.map((d) => d.id));
  });

  test('BACKUP asks for a large center in batches of 100 and reports progress per batch', async () => {
    const devices = syntheticDevices(150, 1);
    const progress: Array<[number, number]> = [];
    const result = await collectors.collect({ center: C1, system: 'BACKUP' }, devices, { asOf: ASOF, onDeviceDone: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([
      [100, 150],
      [150, 150],
    ]);
    expect(result.readings).toHaveLength(300);
    expect((await admin('GET', '/requests?path=/v1/backups'))!.total).toBe(2);
  });
});
