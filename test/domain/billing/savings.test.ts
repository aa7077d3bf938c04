import { DEFAULT_RECONCILIATION_RULES } from '../../../domain/billing/contracts';
import { proposeSavings, type SavingsInput, type SavingsLine } from '../../../domain/billing/savings';

const RULES = DEFAULT_RECONCILIATION_RULES.savings;
const WINDOW = { fromDate: '2026-08-03', toDate: '2026-11-01' }; // 90 days

const line = (n: number, over: Partial<SavingsLine> = {}): SavingsLine => ({
  lineId: `LN-00000${n}`,
  dn: `0210000${n}`,
  center: '상담 1센터',
  lineType: 'did',
  carrier: 'KT',
  monthlyFee: 30_000,
  inServiceFrom: '2025-01-02',
  ...over,
});

function input(over: Partial<SavingsInput>): SavingsInput {
  return { ...WINDOW, lines: [], lineUsage: new Map(), recordedDays: 90, trunks: [], usageCharges: new Map(), rules: RULES, ...over };
}

test('a line with no call in 90 recorded days is idle: terminating it saves its fee', () => {
  const busy = line(1);
  const idle = line(2);
  const proposals = proposeSavings(
    input({
      lines: [busy, idle],
      // 2,400 minutes a month on the flat plan it pays: nothing to save on the plan either.
      lineUsage: new Map([[busy.dn, { calls: 900, minutes: 7_200 }]]),
      usageCharges: new Map([[busy.dn, 0]]),
    }),
  );
  expect(proposals).toEqual([
    expect.objectContaining({
      key: 'idle-line:LN-000002',
      kind: 'idle-line',
      monthlySavingKrw: 30_000,
      action: { kind: 'terminate-line', lineId: 'LN-000002', reason: expect.stringContaining('90일') },
    }),
  ]);
  expect(proposals[0]!.detail).toContain('30,000원');
});

test('no idleness without records: too few days collected, or a line younger than the window', () => {
  expect(proposeSavings(input({ lines: [line(1)], recordedDays: 59 }))).toEqual([]);
  expect(proposeSavings(input({ lines: [line(1, { inServiceFrom: '2026-09-01' })] }))).toEqual([]);
  // A PRI line's calls are its trunk's: it is never an idle line.
  expect(proposeSavings(input({ lines: [line(1, { lineType: 'pri' })] }))).toEqual([]);
});

test("a line paying a flat fee for a few minutes is proposed its carrier's cheaper plan, with the saving", () => {
  const light = line(3);
  const [proposal, ...rest] = proposeSavings(
    input({ lines: [light], lineUsage: new Map([[light.dn, { calls: 60, minutes: 300 }]]), usageCharges: new Map([[light.dn, 0]]) }),
  );
  expect(rest).toEqual([]);
  // 100 minutes a month: 기업 종량제 6,000 + 100 × 13 = 7,300 against 30,000.
  expect(proposal).toMatchObject({
    kind: 'plan-dearer-than-use',
    monthlySavingKrw: 22_700,
    action: { kind: 'change', type: 'line-plan', target: light.dn, params: { plan: '기업 종량제', monthlyFee: 6_000 } },
  });
  // Within the margin, nothing is proposed.
  expect(proposeSavings(input({ lines: [line(3, { monthlyFee: 7_500 })], lineUsage: new Map([[light.dn, { calls: 60, minutes: 300 }]]) }))).toEqual([]);
});

test('a trunk whose peak stayed at or under 30 % of its channels is proposed fewer channels; above it, nothing', () => {
  const pri = line(4, { lineType: 'pri', monthlyFee: 300_000 });
  const trunk = (peak: number) => ({ trunk: '104', lineId: pri.lineId, channels: 30, peak, recordedDays: 90 });
  const [proposal] = proposeSavings(input({ lines: [pri], trunks: [trunk(9)] }));
  // 9 calls at most at 80 %: 12 channels; 18 of 30 channels' share of 300,000.
  expect(proposal).toMatchObject({
    kind: 'oversized-trunk',
    trunk: '104',
    monthlySavingKrw: 180_000,
    action: { type: 'trunk-channels', params: { channels: 12 } },
  });
  expect(proposeSavings(input({ lines: [pri], trunks: [trunk(10)] }))).toEqual([]);
  expect(proposeSavings(input({ lines: [pri], trunks: [{ ...trunk(0), recordedDays: 30 }] }))).toEqual([]);
});

test('proposals come largest saving first', () => {
  const proposals = proposeSavings(
    input({
      lines: [line(5, { monthlyFee: 10_000 }), line(6, { monthlyFee: 50_000 })],
      recordedDays: 80,
    }),
  );
  expect(proposals.map((p) => p.monthlySavingKrw)).toEqual([50_000, 10_000]);
});
