import { BillFinding, BillProfile, BillState, DEFAULT_CARRIER_PLANS, FindingKind, type BillProfileInput } from '../../domain/billing/contracts';
import { DEFAULT_BILL_PROFILES } from '../../domain/billing/default-profiles';
import { seedLines, type SeededLine } from '../../db/line-seed';
import { writeBillFile, type BillFileLine, type BillFileOptions } from '../support/bill-files';
import type { Json } from '../support/json';
import { fieldPaths, useHarness } from './harness';

/**
 * Carrier bills through the API, the real worker and PostgreSQL: one fixture bill per carrier
 * profile (KT as CP949 CSV, SK Broadband as XLSX, LG U+ as UTF-8 CSV with a BOM), each with every
 * kind of finding planted, reconciled against lines seeded into the inventory.
 */

const h = useHarness();

const CSV = { 'content-type': 'text/csv' };
const XLSX = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

interface Planted {
  /** The carrier's lines in the inventory. */
  inventory: SeededLine[];
  /** The carrier's bills of the months before, whose usage charges the usage check averages. */
  earlier: Array<{ month: string; bill: BillFileLine[] }>;
  /** The month's bill. */
  bill: BillFileLine[];
  /** The findings it must yield: kind, number, amount at stake. */
  expected: Array<{ kind: string; number: string; amountAtStake: number }>;
}

/**
 * For a carrier whose numbers start with `prefix` (02-PPPP-000N): a line billed right, one over its
 * contract, one terminated on the 11th but billed the whole month, one missing from the bill, a
 * number nobody knows, a number billed twice, and one whose usage charges jumped above its last
 * three bills'. October 2026 has 31 days.
 */
function planted(carrier: string, prefix: string, lineIdBase: number): Planted {
  const dn = (n: number) => `02${prefix}000${n}`;
  const shown = (n: number) => `02-${prefix}-000${n}`;
  const line = (n: number, monthlyFee: number, terminatedOn?: string): SeededLine => ({
    id: `LN-${lineIdBase + n}`,
    dn: dn(n),
    carrier,
    monthlyFee,
    activatedAt: '2025-03-02T10:00:00+09:00',
    ...(terminatedOn ? { terminatedOn } : {}),
  });
  // Line 6's usage charges on July–September's bills (only its number on them), then October's.
  const usageBefore = [3_000, 4_500, 2_100];
  const usageNow = 9_000;
  return {
    inventory: [line(1, 30_000), line(2, 30_000), line(3, 31_000, '2026-10-11'), line(4, 25_000), line(5, 20_000), line(6, 27_000)],
    earlier: ['2026-07', '2026-08', '2026-09'].map((month, i) => ({ month, bill: [{ number: shown(6), baseFee: 27_000, usageFee: usageBefore[i]! }] })),
    bill: [
      { number: shown(1), baseFee: 30_000, usageFee: 4_800, addOnFee: 1_100, discount: -500 },
      { number: shown(2), baseFee: 33_000, usageFee: 5_000 },
      { number: shown(3), baseFee: 31_000, usageFee: 2_000 },
      { number: `02-${prefix}-9999`, baseFee: 11_000, usageFee: 500 },
      { number: shown(5), baseFee: 20_000, usageFee: 0 },
      { number: shown(5), baseFee: 20_000, usageFee: 1_000 },
      { number: shown(6), baseFee: 27_000, usageFee: usageNow },
    ],
    expected: [
      { kind: 'unknown-number', number: `02${prefix}9999`, amountAtStake: 11_500 },
      { kind: 'missing-from-bill', number: dn(4), amountAtStake: 25_000 },
      // Served the 1st–10th: 10/31 of 31,000 = 10,000 owed; the 21 days after it are at stake.
      { kind: 'charged-after-termination', number: dn(3), amountAtStake: 21_000 },
      { kind: 'base-fee-mismatch', number: dn(2), amountAtStake: 3_000 },
      { kind: 'duplicate-number', number: dn(5), amountAtStake: 21_000 },
      // 9,000 against the three months' average of 3,200: 5,800 above it (181 %, over the 50 % and 1,000 KRW of the rules).
      { kind: 'usage-spike', number: dn(6), amountAtStake: 5_800 },
    ],
  };
}

async function upload(carrier: string, file: Buffer, headers: Record<string, string>, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ carrier, month: '2026-10', ...query });
  return h.call('post', `/api/v1/bills?${qs}`, { token: h.tokens.spm, body: file, headers });
}

async function reviewed(id: string): Promise<Json> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await h.call('get', `/api/v1/bills/${id}`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    if (res.body.status !== 'RECONCILING') return res.body;
    if (Date.now() > deadline) throw new Error(`bill ${id} is still RECONCILING`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function findings(id: string): Promise<BillFinding[]> {
  const res = await h.call('get', `/api/v1/bills/${id}/findings`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body.items;
}

const kindNumberAmount = (f: { kind: string; number: string; amountAtStake: number }) => ({ kind: f.kind, number: f.number, amountAtStake: f.amountAtStake });

const byKindAndNumber = (a: { kind: string; number: string }, b: { kind: string; number: string }) =>
  a.kind.localeCompare(b.kind) || a.number.localeCompare(b.number);

async function count(table: string): Promise<number> {
  return Number((await h.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
}

const CARRIERS: Array<{ carrier: string; prefix: string; base: number; options: Omit<BillFileOptions, 'month'>; headers: Record<string, string> }> = [
  { carrier: 'KT', prefix: '3100', base: 910_000, options: { format: 'csv', encoding: 'cp949', thousands: true, dueDate: '2026-11-25' }, headers: CSV },
  { carrier: 'SKB', prefix: '3200', base: 920_000, options: { format: 'xlsx', dueDate: '2026-11-20' }, headers: XLSX },
  { carrier: 'LGU', prefix: '3300', base: 930_000, options: { format: 'csv', encoding: 'utf-8-bom', lineEnding: '\n', dueDate: '2026-11-30' }, headers: CSV },
];

describe.each(CARRIERS)('$carrier: a bill in its own layout', ({ carrier, prefix, base, options, headers }) => {
  test('is read, reconciled and every planted finding is listed with its amount at stake', async () => {
    const p = planted(carrier, prefix, base);
    await seedLines(h.pool, p.inventory);
    for (const earlier of p.earlier) {
      const file = await writeBillFile(DEFAULT_BILL_PROFILES[carrier]!, earlier.bill, { ...options, month: earlier.month, dueDate: `${earlier.month}-28` });
      const res = await upload(carrier, file, headers, { month: earlier.month });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ month: earlier.month, lines: 1 });
      await reviewed(res.body.id);
    }
    const file = await writeBillFile(DEFAULT_BILL_PROFILES[carrier]!, p.bill, { ...options, month: '2026-10' });

    const res = await upload(carrier, file, headers, { fileName: `${carrier}-2026-10.${options.format}` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^BILL-\d{6}$/),
      carrier,
      month: '2026-10',
      dueDate: options.dueDate,
      lines: p.bill.length,
      status: 'RECONCILING',
    });
    expect(res.body.totalKrw).toBe(
      p.bill.reduce((s, l) => s + Number(l.baseFee) + Number(l.usageFee ?? 0) + Number(l.addOnFee ?? 0) - Math.abs(Number(l.discount ?? 0)), 0),
    );

    const bill = await reviewed(res.body.id);
    expect(bill.status).toBe('AWAITING_REVIEW');
    expect(BillState.strict().parse(bill)).toEqual(bill);
    const listed = await findings(bill.id);
    expect(listed.map(kindNumberAmount).sort(byKindAndNumber)).toEqual([...p.expected].sort(byKindAndNumber));
    expect(new Set(listed.map((f) => f.kind))).toEqual(new Set(FindingKind.options));
    expect(listed.find((f) => f.kind === 'usage-spike')).toMatchObject({
      billed: 9_000,
      expected: 3_200,
      rows: [p.bill.length + (DEFAULT_BILL_PROFILES[carrier]!.skipRows ?? 0) + 1],
    });
    expect(listed.every((f) => BillFinding.strict().safeParse(f).success)).toBe(true);
    expect(listed.find((f) => f.kind === 'duplicate-number')!.rows).toEqual([
      8 + (DEFAULT_BILL_PROFILES[carrier]!.skipRows ?? 0) - 1,
      7 + (DEFAULT_BILL_PROFILES[carrier]!.skipRows ?? 0) - 1,
    ]);
    // What may be recovered: not the line missing from the bill (the carrier may still bill it).
    const recoverable = p.expected.filter((f) => f.kind !== 'missing-from-bill').reduce((s, f) => s + f.amountAtStake, 0);
    expect(bill.findings).toMatchObject({
      count: p.expected.length,
      amountAtStake: recoverable,
      byKind: { 'missing-from-bill': { count: 1, amountAtStake: 25_000 } },
    });

    // The same file again is the bill already taken.
    const again = await upload(carrier, file, headers);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(bill.id);
  });
});

// KT's July to October are the fixture's above: this line's months are earlier.
test("a line's usage charges far above its last months are a usage spike", async () => {
  const profile = DEFAULT_BILL_PROFILES.KT!;
  await seedLines(h.pool, [{ id: 'LN-940001', dn: '0234000001', carrier: '케이티', monthlyFee: 30_000, activatedAt: '2025-01-02T09:00:00+09:00' }]);
  const month = (m: string, usageFee: number) =>
    writeBillFile(profile, [{ number: '02-3400-0001', baseFee: 30_000, usageFee }], { format: 'csv', month: m, dueDate: `${m}-28` });
  for (const [m, fee] of [
    ['2026-02', 4_000],
    ['2026-03', 6_000],
    ['2026-04', 5_000],
  ] as const) {
    const res = await h.call('post', `/api/v1/bills?carrier=KT&month=${m}`, { token: h.tokens.automation, body: await month(m, fee), headers: CSV });
    expect(res.status).toBe(201);
    await reviewed(res.body.id);
  }
  const spiking = await h.call('post', '/api/v1/bills?carrier=KT&month=2026-05', { token: h.tokens.spm, body: await month('2026-05', 20_000), headers: CSV });
  const bill = await reviewed(spiking.body.id);
  // Other KT lines of this file's run are missing from these bills; the spike is this line's.
  const spike = (await findings(bill.id)).filter((f) => f.kind === 'usage-spike');
  expect(spike.map(kindNumberAmount)).toEqual([{ kind: 'usage-spike', number: '0234000001', amountAtStake: 15_000 }]);
  expect(spike[0]).toMatchObject({ billed: 20_000, expected: 5_000 });
});

test('a bad file is refused with every bad row and column named, and nothing of it is kept', async () => {
  const before = await Promise.all(['bills', 'bill_lines', 'bill_findings'].map(count));
  const file = await writeBillFile(
    DEFAULT_BILL_PROFILES.SKB!,
    [
      { number: '02-3500-0001', baseFee: 30_000, usageFee: 1_000 },
      { number: 'abc', baseFee: 30_000 },
      { number: '02-3500-0003', baseFee: -5, total: -5 },
      { number: '02-3500-0004', baseFee: '3만원', total: 30_000 },
      { number: '02-3500-0005', baseFee: 30_000, usageFee: 100, total: 99_999 },
    ],
    { format: 'csv', month: '2026-10', dueDate: '2026-11-20' },
  );
  const res = await upload('SKB', file, CSV);
  expect(res.status).toBe(400);
  expect(fieldPaths(res.body)).toEqual(expect.arrayContaining(['line 3.전화번호', 'line 4.월정액', 'line 5.월정액', 'line 6.합계금액']));
  expect(fieldPaths(res.body)).not.toContain('line 2.전화번호');
  expect(await Promise.all(['bills', 'bill_lines', 'bill_findings'].map(count))).toEqual(before);
});

test('a bad 100,000-line CP949 file is refused naming the bad cells near its start and its end, and nothing of it is kept', async () => {
  const profile = DEFAULT_BILL_PROFILES.KT!;
  const ROWS = 100_000;
  // File line of the i-th bill line: the title rows, the header, then the lines (1-based).
  const fileLine = (i: number) => (profile.skipRows ?? 0) + 2 + i;
  const indexOf = (line: number) => line - (profile.skipRows ?? 0) - 2;
  const lines: BillFileLine[] = Array.from({ length: ROWS }, (_, i) => ({
    number: `02-${String(4000 + Math.floor(i / 10_000))}-${String(i % 10_000).padStart(4, '0')}`,
    baseFee: 30_000,
    usageFee: i % 1_000,
  }));
  lines[indexOf(5)] = { number: '02-3900-0001', baseFee: '3만원', total: 30_000 };
  lines[indexOf(99_990)] = { number: '02-3900-0002', baseFee: 30_000, usageFee: 100, total: 99_999 };
  const file = await writeBillFile(profile, lines, { format: 'csv', encoding: 'cp949', thousands: true, month: '2026-11', dueDate: '2026-12-25' });
  expect(fileLine(ROWS - 1)).toBeGreaterThan(99_990);
  // CP949, not UTF-8: the header's Korean is two bytes a syllable.
  expect(file.includes(Buffer.from('서비스번호', 'utf-8'))).toBe(false);

  const before = await Promise.all(['bills', 'bill_lines', 'bill_findings'].map(count));
  const res = await upload('KT', file, CSV, { month: '2026-11' });
  expect(res.status).toBe(400);
  expect(fieldPaths(res.body)).toEqual(['line 5.기본료', 'line 99990.청구금액']);
  expect(await Promise.all(['bills', 'bill_lines', 'bill_findings'].map(count))).toEqual(before);
});

test('an upload names what is wrong with the request itself: no file, an unknown carrier, no due date, a month taken', async () => {
  const noFile = await h.call('post', '/api/v1/bills?carrier=KT&month=2026-10', { token: h.tokens.spm, headers: CSV });
  expect(noFile.status).toBe(400);
  expect(fieldPaths(noFile.body)).toEqual(['(body)']);

  const file = await writeBillFile(DEFAULT_BILL_PROFILES.LGU!, [{ number: '02-3600-0001', baseFee: 1_000 }], { format: 'csv', month: '2026-10' });
  const unknownCarrier = await h.call('post', '/api/v1/bills?carrier=ZZ&month=2026-10&dueDate=2026-11-30', { token: h.tokens.spm, body: file, headers: CSV });
  expect(unknownCarrier.status).toBe(400);
  expect(fieldPaths(unknownCarrier.body)).toEqual(['query.carrier']);

  const badQuery = await h.call('post', '/api/v1/bills?carrier=LGU&month=2026-13&dueDate=tomorrow', { token: h.tokens.spm, body: file, headers: CSV });
  expect(badQuery.status).toBe(400);
  expect(fieldPaths(badQuery.body)).toEqual(['query.dueDate', 'query.month']);

  // The LGU fixture has an empty 납부마감일 column: the due date must come with the request.
  const september = await writeBillFile(DEFAULT_BILL_PROFILES.LGU!, [{ number: '02-3600-0001', baseFee: 1_000 }], { format: 'csv', month: '2026-09' });
  const noDueDate = await h.call('post', '/api/v1/bills?carrier=LGU&month=2026-09', { token: h.tokens.spm, body: september, headers: CSV });
  expect(noDueDate.status).toBe(400);
  expect(fieldPaths(noDueDate.body)).toEqual(['query.dueDate']);

  const engineer = await h.call('post', '/api/v1/bills?carrier=LGU&month=2026-10', { token: h.tokens.engineer, body: file, headers: CSV });
  expect(engineer.status).toBe(403);

  // LGU's October bill was taken above (describe.each): another file for the same month is a conflict.
  const another = await h.call('post', '/api/v1/bills?carrier=LGU&month=2026-10&dueDate=2026-11-30', { token: h.tokens.spm, body: file, headers: CSV });
  expect(another.status).toBe(409);
});

test('the SPM disputes findings, approves the rest for payment and records the payment; a dispute names only findings of the bill', async () => {
  const { items } = (await h.call('get', '/api/v1/bills?carrier=KT&month=2026-10', { token: h.tokens.auditor })).body;
  const id: string = items[0].id;
  const all = await findings(id);
  const overcharges = all.filter((f) => f.kind === 'charged-after-termination' || f.kind === 'base-fee-mismatch');

  const unknown = await h.call('post', `/api/v1/bills/${id}/dispute`, {
    token: h.tokens.spm,
    body: { findingIds: [overcharges[0]!.id, 987_654], carrierReference: 'KT-CLAIM-1' },
  });
  expect(unknown.status).toBe(400);
  expect(fieldPaths(unknown.body)).toEqual(['findingIds.1']);

  const disputed = await h.call('post', `/api/v1/bills/${id}/dispute`, {
    token: h.tokens.spm,
    body: { findingIds: overcharges.map((f) => f.id), carrierReference: 'KT-CLAIM-2026-1101', note: '해지 후 청구 및 기본료 차액 환급 요청' },
  });
  expect(disputed.status).toBe(200);
  expect(disputed.body.disputes).toEqual([expect.objectContaining({ status: 'OPEN', amountKrw: 24_000, carrierReference: 'KT-CLAIM-2026-1101' })]);
  expect((await findings(id)).filter((f) => f.disputeId !== null).map((f) => f.id)).toEqual(overcharges.map((f) => f.id));

  const twice = await h.call('post', `/api/v1/bills/${id}/dispute`, {
    token: h.tokens.spm,
    body: { findingIds: [overcharges[0]!.id], carrierReference: 'again' },
  });
  expect(twice.status).toBe(400);
  // A line the carrier left off the bill is nothing to claim back.
  const missing = all.find((f) => f.kind === 'missing-from-bill')!;
  const notClaimable = await h.call('post', `/api/v1/bills/${id}/dispute`, { token: h.tokens.spm, body: { findingIds: [missing.id], carrierReference: 'x' } });
  expect(notClaimable.status).toBe(400);
  expect(fieldPaths(notClaimable.body)).toEqual(['findingIds.0']);

  const engineer = await h.call('post', `/api/v1/bills/${id}/approve`, { token: h.tokens.engineer, body: {} });
  expect(engineer.status).toBe(403);
  const payTooEarly = await h.call('post', `/api/v1/bills/${id}/pay`, { token: h.tokens.spm, body: { paidOn: '2026-11-20', amountKrw: 1 } });
  expect(payTooEarly.status).toBe(409);

  const approved = await h.call('post', `/api/v1/bills/${id}/approve`, { token: h.tokens.spm, body: { comment: '이의제기분 제외 지급' } });
  expect(approved.status).toBe(200);
  expect(approved.body.approval.amountKrw).toBe(approved.body.totalKrw - 24_000);
  const paid = await h.call('post', `/api/v1/bills/${id}/pay`, {
    token: h.tokens.spm,
    body: { paidOn: '2026-11-24', amountKrw: approved.body.approval.amountKrw, reference: '이체 2026-11-24' },
  });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'PAID', step: 'paid; waiting for the carrier on open disputes' });

  const settled = await h.call('post', `/api/v1/bills/${id}/settle`, { token: h.tokens.spm, body: { disputeId: `${id}-D1`, creditKrw: 21_000 } });
  expect(settled.status).toBe(200);
  expect(settled.body.disputes[0]).toMatchObject({ status: 'SETTLED', settlement: { creditKrw: 21_000 } });
});

test('bill profiles and the reconciliation rules are versioned data an admin edits', async () => {
  const list = await h.call('get', '/api/v1/bill-profiles', { token: h.tokens.auditor });
  expect(list.status).toBe(200);
  expect(list.body.items.map((p: BillProfile) => p.carrier)).toEqual(expect.arrayContaining(['KT', 'LGU', 'SKB']));
  const kt: BillProfile = (await h.call('get', '/api/v1/bill-profiles/KT', { token: h.tokens.auditor })).body;
  expect(kt.version).toBe(1);

  const edited: BillProfileInput = { ...DEFAULT_BILL_PROFILES.KT!, columns: { ...DEFAULT_BILL_PROFILES.KT!.columns, usageFee: ['통화료', '국내통화료'] } };
  const saved = await h.call('put', '/api/v1/bill-profiles/KT', { token: h.tokens.admin, body: edited });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ carrier: 'KT', version: 2, updatedBy: expect.any(String) });

  const missingTotal = { ...edited, columns: { number: ['번호'], baseFee: ['기본료'] } };
  const refused = await h.call('put', '/api/v1/bill-profiles/KT', { token: h.tokens.admin, body: missingTotal });
  expect(refused.status).toBe(400);
  expect(fieldPaths(refused.body)).toEqual(['columns.total']);
  expect((await h.call('put', '/api/v1/bill-profiles/KT', { token: h.tokens.spm, body: edited })).status).toBe(403);

  const rules = await h.call('get', '/api/v1/reconciliation-rules', { token: h.tokens.auditor });
  expect(rules.body).toMatchObject({ version: 0, usageSpikePercent: 50 });
  const savedRules = await h.call('put', '/api/v1/reconciliation-rules', { token: h.tokens.admin, body: { usageSpikePercent: 80 } });
  expect(savedRules.body).toMatchObject({ version: 1, usageSpikePercent: 80, usageSpikeMinimumKrw: 1_000 });
});

test('savings: a line silent for 90 recorded days is proposed for termination, and one click starts it', async () => {
  await seedLines(h.pool, [
    { id: 'LN-950001', dn: '0237000001', carrier: 'KT', monthlyFee: 33_000, activatedAt: '2025-02-01T09:00:00+09:00' },
    { id: 'LN-950002', dn: '0237000002', carrier: 'KT', monthlyFee: 30_000, activatedAt: '2025-02-01T09:00:00+09:00' },
  ]);
  // The busy line's calls every day of the window (so the PBX's records cover it); the other line has none.
  await h.pool.query(
    `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, data_source)
     SELECT d::date, '0237000002', 30, 20, 100, 'vendor' FROM generate_series('2026-08-03'::date, '2026-10-31'::date, '1 day') d`,
  );
  const listed = await h.call('get', '/api/v1/savings-proposals?asOf=2026-10-31', { token: h.tokens.auditor });
  expect(listed.status).toBe(200);
  const keys = listed.body.items.map((p: { key: string }) => p.key);
  expect(keys).toContain('idle-line:LN-950001');
  expect(keys.filter((k: string) => k.endsWith('LN-950002'))).toEqual([]);
  expect(listed.body.monthlySavingKrw).toBe(listed.body.items.reduce((s: number, p: { monthlySavingKrw: number }) => s + p.monthlySavingKrw, 0));

  const unknown = await h.call('post', '/api/v1/savings-proposals/start', { token: h.tokens.spm, body: { key: 'idle-line:LN-999999', asOf: '2026-10-31' } });
  expect(unknown.status).toBe(404);
  const engineer = await h.call('post', '/api/v1/savings-proposals/start', {
    token: h.tokens.engineer,
    body: { key: 'idle-line:LN-950001', asOf: '2026-10-31' },
  });
  expect(engineer.status).toBe(403);

  const started = await h.call('post', '/api/v1/savings-proposals/start', { token: h.tokens.spm, body: { key: 'idle-line:LN-950001', asOf: '2026-10-31' } });
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({
    started: 'termination',
    line: { id: 'LN-950001', termination: { reason: expect.stringContaining('미사용 회선 해지') } },
  });
  // Effective today: under way at once (what follows is the termination's, test/workflows/line-termination.test.ts).
  expect(started.body.line.status).toBe('TERMINATING');

  // The same click again with the same Idempotency-Key: the same answer, though the line is no longer idle.
  const again = await h.call('post', '/api/v1/savings-proposals/start', {
    token: h.tokens.spm,
    body: { key: 'idle-line:LN-950001', asOf: '2026-10-31' },
    headers: { 'idempotency-key': 'savings-start-950001' },
  });
  expect(again.status).toBe(201);
  expect(again.body).toMatchObject({ started: 'termination', line: { id: 'LN-950001' } });
});

test('savings: a line whose flat fee and usage charges cost more than a plan of its carrier for its minutes is proposed that plan, and one click requests the line-plan change', async () => {
  await seedLines(h.pool, [{ id: 'LN-960001', dn: '0238000001', carrier: 'SKB', monthlyFee: 40_000, activatedAt: '2025-02-01T09:00:00+09:00' }]);
  // A call of half a minute every day of the 90 days up to 2026-06-30: 45 minutes, 15 a month.
  await h.pool.query(
    `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, peak_concurrent, data_source)
     SELECT d::date, '0238000001', 1, 0, 0.5, 1, 'vendor' FROM generate_series('2026-04-02'::date, '2026-06-30'::date, '1 day') d`,
  );
  // Its June bill: the contract's fee and 3,000 KRW of usage charges (SKB's April to June are no other test's).
  const june = await writeBillFile(DEFAULT_BILL_PROFILES.SKB!, [{ number: '02-3800-0001', baseFee: 40_000, usageFee: 3_000 }], {
    format: 'csv',
    month: '2026-06',
    dueDate: '2026-07-20',
  });
  const billed = await upload('SKB', june, CSV, { month: '2026-06' });
  expect(billed.status).toBe(201);
  await reviewed(billed.body.id);

  const listed = await h.call('get', '/api/v1/savings-proposals?asOf=2026-06-30', { token: h.tokens.auditor });
  expect(listed.status).toBe(200);
  const proposal = listed.body.items.find((p: { key: string }) => p.key === 'plan-dearer-than-use:LN-960001');
  // 43,000 a month now; SKB's pay-per-use plan (the shipped rule data) costs its fee plus 15 minutes at its rate.
  const payPerUse = DEFAULT_CARRIER_PLANS.find((p) => p.carrier === 'SKB' && p.includedMinutes === 0)!;
  const saving = Math.floor((40_000 + 3_000 - (payPerUse.monthlyFee + Math.ceil(15 * payPerUse.perMinuteKrw))) / 10) * 10;
  expect(proposal).toMatchObject({
    kind: 'plan-dearer-than-use',
    lineId: 'LN-960001',
    dn: '0238000001',
    carrier: 'SKB',
    monthlySavingKrw: saving,
    action: { kind: 'change', type: 'line-plan', target: '0238000001', params: { plan: payPerUse.name, monthlyFee: payPerUse.monthlyFee } },
  });

  const started = await h.call('post', '/api/v1/savings-proposals/start', {
    token: h.tokens.spm,
    body: { key: 'plan-dearer-than-use:LN-960001', asOf: '2026-06-30' },
  });
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({
    started: 'change',
    change: {
      id: expect.stringMatching(/^CHG-\d{6}$/),
      type: 'line-plan',
      target: '0238000001',
      params: { plan: payPerUse.name, monthlyFee: payPerUse.monthlyFee },
      reason: expect.stringContaining('요금제 변경'),
      status: 'PENDING_APPROVAL',
      requiredApprovals: ['customer', 'carrier'],
    },
  });
  // The change is the one the changes API lists for the line's number.
  const changes = await h.call('get', '/api/v1/changes?target=0238000001', { token: h.tokens.auditor });
  expect(changes.body.items.map((c: { id: string }) => c.id)).toEqual([started.body.change.id]);
});

test('savings: a trunk whose peak stayed under 30 % of its channels is proposed fewer, and one click requests that change', async () => {
  const sized = await h.call('put', '/api/v1/trunks/777', {
    token: h.tokens.spm,
    body: { channels: 30, center: '상담 2센터', description: '대표번호 트렁크' },
  });
  expect(sized.status).toBe(200);
  await h.pool.query(
    `INSERT INTO trunk_usage_daily (date, trunk, calls, minutes, peak_concurrent, data_source)
     SELECT d::date, '777', 40, 200, 3 + (extract(day FROM d)::int % 4), 'vendor' FROM generate_series('2026-08-03'::date, '2026-10-31'::date, '1 day') d`,
  );
  const listed = await h.call('get', '/api/v1/savings-proposals?asOf=2026-10-31', { token: h.tokens.spm });
  const proposal = listed.body.items.find((p: { key: string }) => p.key === 'oversized-trunk:777');
  // Its busiest moment: 6 calls of 30 channels (20 %); at 80 % that is 8 channels.
  expect(proposal).toMatchObject({
    kind: 'oversized-trunk',
    trunk: '777',
    action: { kind: 'change', type: 'trunk-channels', target: '777', params: { channels: 8 } },
  });

  const started = await h.call('post', '/api/v1/savings-proposals/start', { token: h.tokens.spm, body: { key: 'oversized-trunk:777', asOf: '2026-10-31' } });
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({
    started: 'change',
    change: { type: 'trunk-channels', target: '777', params: { channels: 8 }, status: 'PENDING_APPROVAL', requiredApprovals: ['customer', 'carrier'] },
  });
});
