import { readFileSync } from 'node:fs';
import path from 'node:path';
import { placeConcurrentCalls } from '../../../adapters/pbx/sipp-load';
import { startSippAnsweringPoint, type SippAnsweringPoint } from '../../../adapters/pbx/sipp-answering-point';
import { TEST_LINE_SET_ID } from '../../../adapters/pbx/kamailio/test-line';
import { freePort } from '../../../system/ports';
import { eventually } from '../../support/eventually';
import { freshDatabase } from '../../support/db';
import { pbxSystemReadings } from '../../../activities/inspection/collectors/pbx';
import { saveTrunkCapacity } from '../../../db/trunks.repo';
import { DEFAULT_RULES, evaluate } from '../../../domain/inspection/rules';
import { seoulDateOf } from '../../../domain/calendar/seoul';
import { startTestKamailio, type TestKamailio } from '../../support/kamailio';
import { createGenesysCti } from '../../../adapters/cti/genesys-cti';
import type { CtiEmulator } from '../../../emulators/cti/emulator';
import { startTestEmulator } from '../../emulators/cti/support';

/**
 * Kamailio counts the calls each trunk carries (a dialog profile per dispatcher set) and serves
 * them to Prometheus itself (xhttp_prom, GET /metrics on its HTTP port): SIPp places concurrent
 * calls over the test line's trunk; the gauge follows them up and back to 0 when they end.
 */

const TEST_NUMBER = '0999';
const CALLER_DN = '0990';

let k: TestKamailio;
let answeringPoint: SippAnsweringPoint;
// No center's usage comes from the CTI here (line-usage-sources saved none): the inspection must not need it.
let ctiEmulator: CtiEmulator;

beforeAll(async () => {
  ctiEmulator = await startTestEmulator();
  answeringPoint = await startSippAnsweringPoint({ port: await freePort() });
  k = await startTestKamailio({ testLine: { number: TEST_NUMBER, answeringPoint: answeringPoint.address, callerDn: CALLER_DN } });
});

afterAll(async () => {
  await k?.stop();
  await answeringPoint?.stop();
  await ctiEmulator?.stop();
});

const metricsUrl = () => k.kamailio.rpcUrl.replace(/\/RPC$/, '/metrics');

/** Active calls on a trunk as Prometheus would read them; undefined before the trunk carried any. */
async function activeCalls(trunk: number): Promise<number | undefined> {
  const text = await (await fetch(metricsUrl())).text();
  const line = text.split('\n').find((l) => /^kamailio_trunk_active_calls\s*\{/.test(l) && l.includes(`trunk="${trunk}"`));
  return line === undefined ? undefined : Number(line.split('}')[1]!.trim().split(/\s+/)[0]);
}

test('the active calls of a trunk rise with concurrent SIPp calls and fall back to 0; each call leaves a record (acc)', async () => {
  const started = new Date(Date.now() - 1_000).toISOString();
  const before = await (await fetch(metricsUrl())).text();
  expect(before).toContain('kamailio_dialog_active_dialogs');
  expect(await activeCalls(TEST_LINE_SET_ID)).toBeUndefined();

  const calls = placeConcurrentCalls({
    pbxSipAddress: k.kamailio.sipAddress,
    credentials: await k.pbx.getSipCredentials(CALLER_DN),
    calledNumber: TEST_NUMBER,
    concurrent: 4,
    holdMs: 6_000,
  });
  const peak = await eventually(
    () => activeCalls(TEST_LINE_SET_ID),
    (n) => n === 4,
    8_000,
  );
  expect(peak).toBe(4);
  const outcome = await calls;
  expect(outcome).toMatchObject({ ok: true });
  expect(
    await eventually(
      () => activeCalls(TEST_LINE_SET_ID),
      (n) => n === 0,
      5_000,
    ),
  ).toBe(0);

  const records = await k.pbx.callRecords({ from: started, to: new Date(Date.now() + 60_000).toISOString() });
  expect(records).toHaveLength(4);
  for (const r of records) {
    expect(r).toMatchObject({ trunk: String(TEST_LINE_SET_ID), caller: CALLER_DN, callee: TEST_NUMBER, callId: expect.any(String) });
    // Held 6 s (SIPp -d), answered to BYE; the times are real instants, not the PBX's local clock.
    expect(r.durationSeconds).toBeGreaterThanOrEqual(5);
    expect(r.durationSeconds).toBeLessThan(10);
    expect(Date.parse(r.startedAt)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(Math.abs(Date.parse(r.endedAt) - Date.parse(r.startedAt) - r.durationSeconds * 1000)).toBeLessThan(1_500);
  }
  expect(new Set(records.map((r) => r.callId)).size).toBe(4);

  // The monthly inspection reads the month's peak from these records: 4 at once on 5 channels, an 80 % warning.
  const db = await freshDatabase();
  try {
    await saveTrunkCapacity(db.pool, String(TEST_LINE_SET_ID), { channels: 5, warnAtPercent: 80, criticalAtPercent: 95, center: '상담 1센터' }, 'test');
    const target = { center: '상담 1센터', system: 'PBX' as const };
    const primary = { id: 'pbx-1', center: '상담 1센터', system: 'PBX' as const, name: 'PBX 1', model: 'Kamailio', eosDate: null, eolDate: null };
    const month = seoulDateOf(Date.now()).slice(0, 7);
    const cti = createGenesysCti({ baseUrl: ctiEmulator.url, ...ctiEmulator.credentials, pageSize: 100, timeoutMs: 5_000 });
    const readings = await pbxSystemReadings({ pool: db.pool, pbx: k.pbx, pbxSimulated: false, cti, ctiSimulated: true }, target, primary, month);
    const peak = readings.filter((r) => r.metric === 'trunk-peak');
    expect(peak).toEqual([expect.objectContaining({ item: String(TEST_LINE_SET_ID), value: 4, capacity: 5, source: 'vendor', measuredBy: 'kamailio' })]);
    // Every day of the month is stored for the report's chart of daily peaks.
    const { rows } = await db.pool.query(`SELECT trunk, calls, peak_concurrent, data_source FROM trunk_usage_daily`);
    expect(rows).toEqual([{ trunk: String(TEST_LINE_SET_ID), calls: 4, peak_concurrent: 4, data_source: 'vendor' }]);
    // And each line's: the caller placed 4, the test number received 4, 4 × 6 s (0.4 minutes) each, and each
    // line carried the 4 at once, as the trunk did.
    const lines = await db.pool.query(
      `SELECT dn, calls_out, calls_in, minutes::float8 AS minutes, peak_concurrent, data_source, origin FROM line_usage_daily ORDER BY dn`,
    );
    expect(lines.rows).toEqual([
      { dn: CALLER_DN, calls_out: 4, calls_in: 0, minutes: expect.closeTo(0.4, 0), peak_concurrent: 4, data_source: 'vendor', origin: 'pbx' },
      { dn: TEST_NUMBER, calls_out: 0, calls_in: 4, minutes: expect.closeTo(0.4, 0), peak_concurrent: 4, data_source: 'vendor', origin: 'pbx' },
    ]);
    // Nothing asked the CTI for its statistics.
    expect(ctiEmulator.requests().filter((r) => r.path.includes('/analytics/'))).toEqual([]);
    expect(evaluate(peak, DEFAULT_RULES)).toEqual([
      expect.objectContaining({ ruleId: 'trunk-peak-usage', severity: 'warning', item: String(TEST_LINE_SET_ID) }),
    ]);
  } finally {
    await db.drop();
  }
}, 60_000);

test('every Kamailio metric the shipped PBX rules use is one this Kamailio serves', async () => {
  const rules = readFileSync(path.join(__dirname, '../../../deploy/prometheus/pbx.rules.yml'), 'utf8');
  const used = [...new Set([...rules.matchAll(/\bkamailio_[a-z0-9_]+\b/g)].map((m) => m[0]))];
  expect(used).toContain('kamailio_trunk_active_calls');
  const served = await (await fetch(metricsUrl())).text();
  expect(used.filter((name) => !new RegExp(`^${name}\\b`, 'm').test(served))).toEqual([]);
});
