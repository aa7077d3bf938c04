import { randomUUID } from 'node:crypto';
import { importLineUsage } from '../../activities/line-usage-import';
import type { CtiClient } from '../../adapters/cti/cti-client';
import { createGenesysCti } from '../../adapters/cti/genesys-cti';
import { VendorTransientError } from '../../adapters/vendor-errors';
import { seedLines } from '../../db/line-seed';
import { saveLineUsageSources } from '../../db/line-usage-sources.repo';
import { lineUsageBetween } from '../../db/trunk-usage.repo';
import type { AnsweredCall } from '../../domain/line/trunk-usage';
import type { CtiEmulator } from '../../emulators/cti/emulator';
import { startTestEmulator } from '../emulators/cti/support';
import { freshDatabase } from '../support/db';

/**
 * Line usage where the CTI is the source: a center that line-usage-sources gives the CTI takes its
 * lines' days from the CTI's call statistics (the emulator's conversation aggregates, each agent's
 * pinned talk put on the line whose installation made the agent); every other line from the PBX's
 * call records. Real PostgreSQL, the CTI emulator over HTTP.
 */

const PBX_CENTER = '상담 1센터';
const CTI_CENTER = '상담 2센터';
const NOVEMBER = { fromDate: '2026-11-01', toDate: '2026-12-01' };

let db: Awaited<ReturnType<typeof freshDatabase>>;
let emulator: CtiEmulator;
let cti: CtiClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  cti = createGenesysCti({ baseUrl: emulator.url, ...emulator.credentials, pageSize: 100, timeoutMs: 5_000 });
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  emulator.reset();
  db = await freshDatabase();
});
afterEach(() => db.drop());

const agent = async (name: string) => (await cti.createAgent({ loginId: `agent.${randomUUID().slice(0, 8)}@butler.test`, name }, { key: randomUUID() })).id;
const pinAgents = (pins: unknown[]) =>
  fetch(`${emulator.url}/__emulator/agent-calls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pins) });
/** A PBX call between two DNs, answered at a Seoul instant. */
const pbxCall = (caller: string, callee: string, startedAt: string, seconds: number): AnsweredCall => ({
  trunk: '1',
  caller,
  callee,
  startedAt,
  endedAt: new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
  durationSeconds: seconds,
});
const importNovember = (records: AnsweredCall[]) => importLineUsage({ pool: db.pool, cti, pbxSource: 'vendor', ctiSource: 'simulated' }, NOVEMBER, records);
const usageOf = async (dn: string) => (await lineUsageBetween(db.pool, NOVEMBER.fromDate, NOVEMBER.toDate)).find((u) => u.dn === dn);

/** A version of the sources as if saved at `savedAt` (an admin's save is stamped now; these tests import November). */
async function sourcesSavedAt(centers: Record<string, 'pbx' | 'cti'>, savedAt: string): Promise<void> {
  const { version } = await saveLineUsageSources(db.pool, { centers }, 'admin.lee');
  await db.pool.query(`UPDATE line_usage_source_sets SET saved_at = $1 WHERE version = $2`, [savedAt, version]);
}

test("a CTI center's lines take their days from each agent's talk, every other line from the PBX's records", async () => {
  const [live, terminated, moved, lineless] = [await agent('김상담'), await agent('이상담'), await agent('최상담'), await agent('박상담')];
  const since = '2026-01-05T09:00:00+09:00';
  await seedLines(db.pool, [
    { id: 'LN-1', dn: '0701', carrier: 'KT', monthlyFee: 10_000, center: PBX_CENTER, activatedAt: since },
    { id: 'LN-2', dn: '0702', carrier: 'KT', monthlyFee: 10_000, center: CTI_CENTER, activatedAt: since, ctiAgent: { agentId: live, loginId: 'a' } },
    {
      id: 'LN-3',
      dn: '0703',
      carrier: 'KT',
      monthlyFee: 10_000,
      center: CTI_CENTER,
      activatedAt: since,
      terminatedOn: '2026-11-20',
      ctiAgent: { agentId: terminated, loginId: 'b' },
    },
    // A line of the CTI center with no agent: the CTI cannot speak for it, the PBX's records do.
    { id: 'LN-4', dn: '0704', carrier: 'KT', monthlyFee: 10_000, center: CTI_CENTER, activatedAt: since },
    // An agent that served 0705 until 11-15 and 0706 from then.
    {
      id: 'LN-5',
      dn: '0705',
      carrier: 'KT',
      monthlyFee: 10_000,
      center: CTI_CENTER,
      activatedAt: since,
      terminatedOn: '2026-11-15',
      ctiAgent: { agentId: moved, loginId: 'c' },
    },
    {
      id: 'LN-6',
      dn: '0706',
      carrier: 'KT',
      monthlyFee: 10_000,
      center: CTI_CENTER,
      activatedAt: '2026-11-15T09:00:00+09:00',
      ctiAgent: { agentId: moved, loginId: 'c' },
    },
  ]);
  // The terminated line's agent was deleted with it; Genesys keeps its past days.
  await cti.deleteAgent(terminated, { key: randomUUID() });
  await pinAgents([
    { userId: live, date: '2026-11-03', inboundCalls: 40, inboundTalkSeconds: 7_200, outboundCalls: 5, outboundTalkSeconds: 600 },
    { userId: live, date: '2026-11-04', inboundCalls: 10, inboundTalkSeconds: 1_200, outboundCalls: 0, outboundTalkSeconds: 0 },
    { userId: terminated, date: '2026-11-10', inboundCalls: 3, inboundTalkSeconds: 180, outboundCalls: 0, outboundTalkSeconds: 0 },
    { userId: moved, date: '2026-11-14', inboundCalls: 2, inboundTalkSeconds: 120, outboundCalls: 0, outboundTalkSeconds: 0 },
    { userId: moved, date: '2026-11-16', inboundCalls: 4, inboundTalkSeconds: 240, outboundCalls: 0, outboundTalkSeconds: 0 },
    // An agent no line made: no line's usage.
    { userId: lineless, date: '2026-11-03', inboundCalls: 99, inboundTalkSeconds: 9_900, outboundCalls: 0, outboundTalkSeconds: 0 },
    // Outside the month.
    { userId: live, date: '2026-12-01', inboundCalls: 7, inboundTalkSeconds: 70, outboundCalls: 0, outboundTalkSeconds: 0 },
  ]);
  const records = [
    pbxCall('0701', '0800', '2026-11-02T10:00:00+09:00', 120),
    pbxCall('0701', '0702', '2026-11-03T11:00:00+09:00', 300),
    pbxCall('0900', '0703', '2026-11-05T11:00:00+09:00', 60),
    pbxCall('0900', '0704', '2026-11-06T11:00:00+09:00', 60),
  ];

  // Before any center is the CTI's: every line from the PBX, and the CTI is not asked.
  // Eight DN-days: the PBX's records name DNs outside the inventory too (0800, 0900), kept as the PBX gave them.
  expect(await importNovember(records)).toEqual({ pbxDays: 8, ctiDays: 0 });
  expect(emulator.requests({ path: '/api/v2/analytics' })).toEqual([]);
  expect(await usageOf('0702')).toMatchObject({ callsIn: 1, callsOut: 0, minutes: 5, origins: ['pbx'] });

  // A source saved today changes no November day: it was not in force then.
  await saveLineUsageSources(db.pool, { centers: { [CTI_CENTER]: 'cti' } }, 'admin.lee');
  expect(await importNovember(records)).toEqual({ pbxDays: 8, ctiDays: 0 });
  expect(emulator.requests({ path: '/api/v2/analytics' })).toEqual([]);

  await db.pool.query(`DELETE FROM line_usage_source_sets`);
  await sourcesSavedAt({ [CTI_CENTER]: 'cti', [PBX_CENTER]: 'pbx' }, '2026-10-01T00:00:00+09:00');
  expect(await importNovember(records)).toEqual({ pbxDays: 6, ctiDays: 5 });

  expect(await usageOf('0701')).toMatchObject({ callsOut: 2, callsIn: 0, minutes: 7, activeDays: 2, peakConcurrent: 1, simulated: false, origins: ['pbx'] });
  // The PBX's day of 0702 is gone: the CTI's days replace it, not add to it. The CTI's daily sums cannot tell a peak: null, not the PBX's 1.
  const stored = await db.pool.query(`SELECT dn, origin, peak_concurrent FROM line_usage_daily WHERE dn IN ('0701', '0702') ORDER BY dn, date`);
  expect(stored.rows).toEqual([
    { dn: '0701', origin: 'pbx', peak_concurrent: 1 },
    { dn: '0701', origin: 'pbx', peak_concurrent: 1 },
    { dn: '0702', origin: 'cti', peak_concurrent: null },
    { dn: '0702', origin: 'cti', peak_concurrent: null },
  ]);
  expect(await usageOf('0702')).toMatchObject({
    peakConcurrent: null,
    callsIn: 50,
    callsOut: 5,
    minutes: 150,
    activeDays: 2,
    lastCallDate: '2026-11-04',
    simulated: true,
    origins: ['cti'],
  });
  expect(await usageOf('0703')).toMatchObject({ callsIn: 3, callsOut: 0, minutes: 3, activeDays: 1, lastCallDate: '2026-11-10', origins: ['cti'] });
  expect(await usageOf('0704')).toMatchObject({ callsIn: 1, activeDays: 1, simulated: false, origins: ['pbx'] });
  expect(await usageOf('0705')).toMatchObject({ callsIn: 2, lastCallDate: '2026-11-14', origins: ['cti'] });
  expect(await usageOf('0706')).toMatchObject({ callsIn: 4, lastCallDate: '2026-11-16', origins: ['cti'] });

  // The center back to the PBX from 11-10 (saved that noon): the PBX's days return from then, the CTI's before stay.
  await sourcesSavedAt({}, '2026-11-10T12:00:00+09:00');
  await importNovember(records);
  expect(await usageOf('0702')).toMatchObject({ callsIn: 50, callsOut: 5, activeDays: 2, origins: ['cti'] });
  // 0703's PBX day (11-05) fell while the CTI spoke for it, its agent's talk (11-10) after: neither counts.
  expect(await usageOf('0703')).toMatchObject({ callsIn: 0, activeDays: 0, origins: [] });
  expect(await usageOf('0704')).toMatchObject({ callsIn: 1, origins: ['pbx'] });
  expect(await usageOf('0706')).toMatchObject({ callsIn: 0, activeDays: 0, origins: [] });
});

test('a CTI that does not answer fails the import with its typed error, and the stored days stay as they were', async () => {
  const live = await agent('정상담');
  await seedLines(db.pool, [
    { id: 'LN-1', dn: '0701', carrier: 'KT', monthlyFee: 10_000, center: PBX_CENTER, activatedAt: '2026-01-05T09:00:00+09:00' },
    {
      id: 'LN-2',
      dn: '0702',
      carrier: 'KT',
      monthlyFee: 10_000,
      center: CTI_CENTER,
      activatedAt: '2026-01-05T09:00:00+09:00',
      ctiAgent: { agentId: live, loginId: 'a' },
    },
  ]);
  await sourcesSavedAt({ [CTI_CENTER]: 'cti' }, '2026-10-01T00:00:00+09:00');
  await pinAgents([{ userId: live, date: '2026-11-03', inboundCalls: 4, inboundTalkSeconds: 240, outboundCalls: 0, outboundTalkSeconds: 0 }]);
  await importNovember([pbxCall('0701', '0800', '2026-11-02T10:00:00+09:00', 60)]);

  emulator.faults.set({ route: { path: '/api/v2/analytics' }, failNext: { count: 1, status: 503 } });
  await expect(importNovember([pbxCall('0701', '0800', '2026-11-09T10:00:00+09:00', 60)])).rejects.toBeInstanceOf(VendorTransientError);
  expect(await usageOf('0701')).toMatchObject({ callsOut: 1, lastCallDate: '2026-11-02', origins: ['pbx'] });
  expect(await usageOf('0702')).toMatchObject({ callsIn: 4, origins: ['cti'] });
});
