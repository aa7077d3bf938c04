import fc from 'fast-check';
import { dayOfIsoDate, isoDateOfDay } from '../../../domain/calendar/local-time';
import { BillFindingDraft, DEFAULT_RECONCILIATION_RULES, FindingKind, type BillLine, type ReconciliationRules } from '../../../domain/billing/contracts';
import { reconcileBill, type InventoryLine } from '../../../domain/billing/reconcile';
import { monthDates } from '../../../domain/report/periods';

// Defaults: usage +50 % and ≥ 1,000 KRW over the average; base fee within 10 KRW.
const RULES = DEFAULT_RECONCILIATION_RULES;
const FEE = 30_000;

function inv(number: string, over: Partial<InventoryLine> = {}): InventoryLine {
  return { lineId: `LN-${number}`, number, center: '1센터', monthlyFee: FEE, inServiceFrom: '2025-01-01', serviceEndsOn: null, ...over };
}

function billLine(row: number, number: string, over: Partial<Omit<BillLine, 'row' | 'number'>> = {}): BillLine {
  const fees = { baseFee: FEE, usageFee: 0, addOnFee: 0, discount: 0, ...over };
  return { row, number, ...fees, total: over.total ?? fees.baseFee + fees.usageFee + fees.addOnFee - fees.discount };
}

function reconcile(month: string, lines: BillLine[], inventory: InventoryLine[], history: Record<string, number[]> = {}, rules: ReconciliationRules = RULES) {
  return reconcileBill({ month, lines, inventory, usageHistory: new Map(Object.entries(history)), rules });
}

const A = '0211110001';
const B = '0211110002';
const C = '0211110003';

describe('a bill that matches the inventory', () => {
  test('has no findings', () => {
    const inventory = [inv(A), inv(B, { monthlyFee: 45_000 }), inv(C, { monthlyFee: null })];
    const lines = [
      billLine(2, A, { usageFee: 3_000 }),
      billLine(3, B, { baseFee: 45_000, addOnFee: 2_000, discount: 1_000 }),
      billLine(4, C, { baseFee: 12_345 }),
    ];
    expect(reconcile('2026-04', lines, inventory, { [A]: [3_000, 2_800, 3_100] })).toEqual([]);
  });

  test('every finding is a valid draft', () => {
    const findings = reconcile('2026-04', [billLine(2, '0299990000'), billLine(3, A, { baseFee: 31_000 }), billLine(4, A)], [inv(A), inv(B)]);
    expect(findings.length).toBe(4);
    for (const f of findings) expect(BillFindingDraft.parse(f)).toEqual(f);
  });
});

describe('unknown-number', () => {
  test('a number no inventory line has: the whole line is at stake', () => {
    const [finding, ...rest] = reconcile('2026-04', [billLine(3, '0299998888', { baseFee: 11_000, usageFee: 1_340 })], [inv(A)], { '0299998888': [10] });
    expect(rest.filter((f) => f.kind !== 'missing-from-bill')).toEqual([]); // the usage is in the total: no usage-spike besides
    expect(finding).toEqual({
      kind: 'unknown-number',
      number: '0299998888',
      lineId: null,
      rows: [3],
      amountAtStake: 12_340,
      billed: 12_340,
      expected: null,
      detail: '3행의 0299998888 번호는 당사 회선 목록에 없는 번호이므로 청구액 12,340원 전액의 확인을 요청드립니다.',
    });
  });

  test('terminated lines of the number still make it known', () => {
    const findings = reconcile('2026-04', [billLine(2, A)], [inv(A, { serviceEndsOn: '2024-01-01' })]);
    expect(findings.map((f) => f.kind)).toEqual(['charged-after-termination']);
  });
});

describe('duplicate-number', () => {
  test('each later occurrence is a finding for its total; the first is checked as usual', () => {
    const lines = [billLine(9, A, { baseFee: 0, addOnFee: 1_500 }), billLine(2, A, { baseFee: 31_000 }), billLine(5, A)];
    const findings = reconcile('2026-04', lines, [inv(A)]);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'base-fee-mismatch', rows: [2], amountAtStake: 1_000 }),
      {
        kind: 'duplicate-number',
        number: A,
        lineId: `LN-${A}`,
        rows: [5, 2],
        amountAtStake: 30_000,
        billed: 30_000,
        expected: 0,
        detail: `5행의 ${A} 번호는 2행에 이미 청구된 번호로, 중복 청구된 30,000원의 취소를 요청드립니다.`,
      },
      expect.objectContaining({ kind: 'duplicate-number', rows: [9, 2], amountAtStake: 1_500 }),
    ]);
  });

  test('a duplicated unknown number: one unknown-number, then duplicates without a line id', () => {
    const findings = reconcile('2026-04', [billLine(2, '0299990000'), billLine(3, '0299990000', { baseFee: 700 })], []);
    expect(findings.map((f) => [f.kind, f.rows, f.lineId, f.amountAtStake])).toEqual([
      ['unknown-number', [2], null, 30_000],
      ['duplicate-number', [3, 2], null, 700],
    ]);
  });
});

describe('base-fee-mismatch', () => {
  test('over- and under-charges of a whole month keep their sign', () => {
    const findings = reconcile('2026-04', [billLine(2, A, { baseFee: 33_000 }), billLine(3, B, { baseFee: 27_500 })], [inv(A), inv(B)]);
    expect(findings).toEqual([
      {
        kind: 'base-fee-mismatch',
        number: A,
        lineId: `LN-${A}`,
        rows: [2],
        amountAtStake: 3_000,
        billed: 33_000,
        expected: 30_000,
        detail: `2행의 ${A} 번호 기본료가 계약 기본료 30,000원보다 3,000원 많은 33,000원으로 청구되어 정정을 요청드립니다.`,
      },
      expect.objectContaining({ rows: [3], amountAtStake: -2_500, billed: 27_500, expected: 30_000, detail: expect.stringContaining('2,500원 적은 27,500원') }),
    ]);
  });

  test.each([
    [10, 0],
    [11, 1],
    [-10, 0],
    [-11, 1],
  ])('tolerance edge: %i KRW off the contract → %i finding(s)', (delta, count) => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: FEE + delta })], [inv(A)])).toHaveLength(count);
  });

  test('a tolerance of 0 accepts only the exact fee', () => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: FEE + 1 })], [inv(A)], {}, { ...RULES, baseFeeToleranceKrw: 0 })).toHaveLength(1);
  });

  // Activated on the 15th, fee 30,000: days served × fee / days in month, rounded down to 10 KRW.
  test.each([
    ['2026-02', 28, 14, 15_000],
    ['2028-02', 29, 15, 15_510], // 15,517.24
    ['2026-04', 30, 16, 16_000],
    ['2026-01', 31, 17, 16_450], // 16,451.61
  ])('activation mid-month in %s (%i days): %i days served → %i KRW', (month, days, served, expected) => {
    const line = inv(A, { inServiceFrom: `${month}-15` });
    expect(reconcile(month, [billLine(2, A, { baseFee: expected })], [line])).toEqual([]);
    const [finding] = reconcile(month, [billLine(2, A)], [line]);
    expect(finding).toMatchObject({ kind: 'base-fee-mismatch', billed: FEE, expected, amountAtStake: FEE - expected });
    expect(finding!.detail).toContain(`(${Number(month.slice(0, 4))}년 ${Number(month.slice(5))}월 ${served}/${days}일 일할)`);
  });

  test('no contract, no fee check', () => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: 99_990 })], [inv(A, { monthlyFee: null, inServiceFrom: '2026-04-20' })])).toEqual([]);
  });

  describe('billed before activation', () => {
    test('activation after the month: the whole line is at stake, expected 0', () => {
      const line = billLine(4, A, { usageFee: 2_000, addOnFee: 1_000 });
      const findings = reconcile('2026-04', [line], [inv(A, { inServiceFrom: '2026-05-03' })], { [A]: [10, 10, 10] });
      expect(findings).toEqual([
        {
          kind: 'base-fee-mismatch',
          number: A,
          lineId: `LN-${A}`,
          rows: [4],
          amountAtStake: 33_000,
          billed: 33_000,
          expected: 0,
          detail: `4행의 ${A} 번호는 2026-05-03 개통 회선으로 2026년 4월 청구는 개통 전 청구에 해당하므로 33,000원 전액의 취소를 요청드립니다.`,
        },
      ]);
    });

    test('never activated, with or without a contract', () => {
      for (const monthlyFee of [FEE, null]) {
        const [finding] = reconcile('2026-04', [billLine(2, A, { baseFee: 5_000 })], [inv(A, { inServiceFrom: null, monthlyFee })]);
        expect(finding).toMatchObject({
          kind: 'base-fee-mismatch',
          amountAtStake: 5_000,
          expected: 0,
          detail: expect.stringContaining('아직 개통되지 않은 회선으로'),
        });
        expect(finding!.detail).toContain('개통 전 청구');
      }
    });

    test('nothing charged, nothing to dispute', () => {
      expect(reconcile('2026-04', [billLine(2, A, { baseFee: 0 })], [inv(A, { inServiceFrom: null })])).toEqual([]);
    });
  });
});

describe('charged-after-termination', () => {
  // Service ends on 2026-04-11: 10 days served (1st–10th), 20 after.
  const ended = inv(A, { serviceEndsOn: '2026-04-11' });

  test('a whole month billed after a mid-month termination: the days after it are at stake, and no base-fee finding', () => {
    expect(reconcile('2026-04', [billLine(2, A)], [ended])).toEqual([
      {
        kind: 'charged-after-termination',
        number: A,
        lineId: `LN-${A}`,
        rows: [2],
        amountAtStake: 20_000,
        billed: 30_000,
        expected: 10_000,
        detail: `2행의 ${A} 번호는 2026-04-11부로 해지되어 2026년 4월 기본료는 10일분 10,000원이나 30,000원이 청구되었으므로, 해지 이후 20일에 대해 청구된 20,000원의 환급을 요청드립니다.`,
      },
    ]);
  });

  test.each([
    [10_000, []],
    [10_010, []],
    [10_011, [['charged-after-termination', 11]]],
    [5_000, [['base-fee-mismatch', -5_000]]], // under-charged: the usual fee check
  ])('pro-rated to the termination: billed %i → %j', (baseFee, expected) => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee })], [ended]).map((f) => [f.kind, f.amountAtStake])).toEqual(expected);
  });

  test.each([
    ['2026-02', '2026-02-11', 10_710], // 107,142.8… → 10,710: 30,000 − 10,710 = 19,290
    ['2028-02', '2028-02-11', 10_340], // 10,344.8
    ['2026-01', '2026-01-11', 9_670], // 9,677.4
  ])('in %s, ending %s, the 10 days served cost %i', (month, endsOn, expected) => {
    expect(reconcile(month, [billLine(2, A)], [inv(A, { serviceEndsOn: endsOn })])).toEqual([
      expect.objectContaining({ kind: 'charged-after-termination', billed: FEE, expected, amountAtStake: FEE - expected }),
    ]);
  });

  test('activated and terminated in the same month', () => {
    const line = inv(A, { inServiceFrom: '2026-04-06', serviceEndsOn: '2026-04-16' }); // 10 days
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: 10_000 })], [line])).toEqual([]);
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: 15_000 })], [line])).toEqual([
      expect.objectContaining({ kind: 'charged-after-termination', amountAtStake: 5_000 }),
    ]);
  });

  test('service ended on or before the first day: the whole total, usage and add-ons included, and no usage-spike', () => {
    const line = billLine(7, A, { usageFee: 5_000, addOnFee: 1_000, discount: 500 });
    for (const endsOn of ['2026-04-01', '2026-02-15']) {
      expect(reconcile('2026-04', [line], [inv(A, { serviceEndsOn: endsOn })], { [A]: [100, 100, 100] })).toEqual([
        {
          kind: 'charged-after-termination',
          number: A,
          lineId: `LN-${A}`,
          rows: [7],
          amountAtStake: 35_500,
          billed: 35_500,
          expected: 0,
          detail: `7행의 ${A} 번호는 ${endsOn}부로 해지된 회선이나 35,500원이 청구되어 전액 환급을 요청드립니다.`,
        },
      ]);
    }
  });

  test('service ending on the next month’s first day is a whole month served', () => {
    expect(reconcile('2026-04', [billLine(2, A)], [inv(A, { serviceEndsOn: '2026-05-01' })])).toEqual([]);
  });

  test('without a contract a partial month is not checked: the billed fee may already be pro-rated', () => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: 30_000 })], [inv(A, { monthlyFee: null, serviceEndsOn: '2026-04-11' })])).toEqual([]);
  });
});

describe('missing-from-bill', () => {
  test('lines that served in the month and are not on the bill, with their pro-rated fee', () => {
    const inventory = [
      inv(A),
      inv(B, { inServiceFrom: '2026-04-21' }), // 10 days
      inv(C, { monthlyFee: null }),
      inv('0211110004', { serviceEndsOn: '2026-04-01' }), // ended before the month
      inv('0211110005', { inServiceFrom: '2026-05-01' }), // not yet
      inv('0211110006', { inServiceFrom: null }), // never
    ];
    expect(reconcile('2026-04', [], inventory)).toEqual([
      {
        kind: 'missing-from-bill',
        number: A,
        lineId: `LN-${A}`,
        rows: [],
        amountAtStake: 30_000,
        billed: null,
        expected: 30_000,
        detail: `${A} 번호는 2026년 4월 중 30일 사용한 회선이나 청구서에 없어 기본료 30,000원의 청구 누락 여부 확인을 요청드립니다.`,
      },
      expect.objectContaining({ number: B, amountAtStake: 10_000, expected: 10_000 }),
      expect.objectContaining({
        number: C,
        amountAtStake: 0,
        expected: 0,
        detail: `${C} 번호는 2026년 4월 중 30일 사용한 회선이나 청구서에 없어 청구 누락 여부 확인을 요청드립니다.`,
      }),
    ]);
  });
});

describe('a number reused after termination', () => {
  const old = inv(A, { lineId: 'LN-OLD', inServiceFrom: '2024-01-01', serviceEndsOn: '2026-04-10' }); // 9 days in April
  const reused = inv(A, { lineId: 'LN-NEW', monthlyFee: 40_000, inServiceFrom: '2026-04-10' }); // 21 days

  test('the bill is checked against the line that served most of the month', () => {
    expect(reconcile('2026-04', [billLine(2, A, { baseFee: 28_000 })], [old, reused])).toEqual([]);
    expect(reconcile('2026-04', [billLine(2, A)], [reused, old])).toEqual([
      expect.objectContaining({ kind: 'base-fee-mismatch', lineId: 'LN-NEW', expected: 28_000, amountAtStake: 2_000 }),
    ]);
  });

  test('missing from the bill once, as the line that served', () => {
    expect(reconcile('2026-04', [], [old, reused])).toEqual([expect.objectContaining({ kind: 'missing-from-bill', lineId: 'LN-NEW', expected: 28_000 })]);
  });

  test('equal days: the latest in service', () => {
    const a = inv(A, { lineId: 'LN-1', inServiceFrom: '2025-01-01' });
    const b = inv(A, { lineId: 'LN-2', inServiceFrom: '2025-06-01', monthlyFee: 10_000 });
    expect(reconcile('2026-04', [billLine(2, A)], [b, a])[0]).toMatchObject({ lineId: 'LN-2', expected: 10_000 });
    expect(reconcile('2026-04', [billLine(2, A)], [a, b])[0]).toMatchObject({ lineId: 'LN-2', expected: 10_000 });
  });

  test('none served: the most recently terminated', () => {
    const lines = [
      inv(A, { lineId: 'LN-1', serviceEndsOn: '2025-06-01' }),
      inv(A, { lineId: 'LN-2', serviceEndsOn: '2025-12-01' }),
      inv(A, { lineId: 'LN-3', inServiceFrom: '2026-06-01' }),
    ];
    expect(reconcile('2026-04', [billLine(2, A)], lines)).toEqual([
      expect.objectContaining({ kind: 'charged-after-termination', lineId: 'LN-2', amountAtStake: FEE }),
    ]);
  });
});

describe('usage-spike', () => {
  const usage = (usageFee: number, history: number[], rules = RULES) => reconcile('2026-04', [billLine(2, A, { usageFee })], [inv(A)], { [A]: history }, rules);

  test('above the average of the last 3 bills by more than 50 % and by at least 1,000 KRW', () => {
    expect(usage(4_000, [2_000, 2_000, 2_000, 90_000])).toEqual([
      {
        kind: 'usage-spike',
        number: A,
        lineId: `LN-${A}`,
        rows: [2],
        amountAtStake: 2_000,
        billed: 4_000,
        expected: 2_000,
        detail: `2행의 ${A} 번호 통화료 4,000원은 직전 3개월 평균 2,000원보다 2,000원(100%) 많아 사용 내역 확인을 요청드립니다.`,
      },
    ]);
  });

  test.each([
    [3_000, [2_000, 2_000, 2_000], 0], // exactly +50 %: not above
    [3_001, [2_000, 2_000, 2_000], 1],
    [1_999, [1_000], 0], // +99.9 % but 999 KRW
    [2_000, [1_000], 1],
    [500, [0, 0], 0], // from nothing, but below the minimum
    [1_000, [0, 0], 1],
    [9_999, [], 0], // no history
  ])('usage %i over history %j → %i finding(s)', (fee, history, count) => {
    expect(usage(fee, history)).toHaveLength(count);
  });

  test('no history for the number → no check', () => {
    expect(reconcile('2026-04', [billLine(2, A, { usageFee: 50_000 })], [inv(A)])).toEqual([]);
  });

  test('a half-won average rounds to the expected fee; the amount is billed − expected', () => {
    expect(usage(5_000, [1_001, 2_000])).toEqual([expect.objectContaining({ expected: 1_501, amountAtStake: 3_499 })]);
  });

  test('a line may have a fee finding and a usage finding', () => {
    const findings = reconcile('2026-04', [billLine(2, A, { baseFee: 35_000, usageFee: 9_000 })], [inv(A)], { [A]: [1_000] });
    expect(findings.map((f) => f.kind)).toEqual(['base-fee-mismatch', 'usage-spike']);
  });
});

test('findings come by kind, then row, then number', () => {
  const inventory = [inv(A, { serviceEndsOn: '2026-04-11' }), inv(B), inv(C), inv('0211110004')];
  const lines = [
    billLine(9, C),
    billLine(8, B, { baseFee: 1 }),
    billLine(3, '0299990001'),
    billLine(4, A),
    billLine(2, '0299990000'),
    billLine(5, C, { baseFee: 20_000, usageFee: 9_000 }),
    billLine(6, A),
  ];
  const findings = reconcile('2026-04', lines, inventory, { [C]: [100] });
  expect(findings.map((f) => [f.kind, f.rows[0] ?? null])).toEqual([
    ['unknown-number', 2],
    ['unknown-number', 3],
    ['missing-from-bill', null],
    ['charged-after-termination', 4],
    ['base-fee-mismatch', 5],
    ['base-fee-mismatch', 8],
    ['usage-spike', 5],
    ['duplicate-number', 6],
    ['duplicate-number', 9],
  ]);
});

test('20,000 lines: every planted discrepancy and nothing else', () => {
  const N = 20_000;
  const number = (i: number) => `02${String(i).padStart(8, '0')}`;
  const inventory: InventoryLine[] = [];
  const lines: BillLine[] = [];
  const history = new Map<string, number[]>();
  let row = 2;
  for (let i = 0; i < N; i++) {
    const n = number(i);
    inventory.push(inv(n, { lineId: `LN-${String(i).padStart(6, '0')}` }));
    history.set(n, [4_000, 3_000, 5_000]);
    switch (i % 1000) {
      case 1: // missing
        break;
      case 2:
        lines.push(billLine(row++, n, { baseFee: FEE + 500, usageFee: 4_000 }));
        break;
      case 3:
        lines.push(billLine(row++, n, { usageFee: 4_000 }), billLine(row++, n, { baseFee: 2_000 }));
        break;
      case 4:
        lines.push(billLine(row++, n, { usageFee: 10_000 }));
        break;
      default:
        lines.push(billLine(row++, n, { usageFee: 4_000 }));
    }
  }
  for (let j = 0; j < 20; j++) lines.push(billLine(row++, `031${String(j).padStart(7, '0')}`, { baseFee: 1_000 }));

  const findings = reconcileBill({ month: '2026-04', lines: lines.reverse(), inventory, usageHistory: history, rules: RULES });
  const byKind = (kind: FindingKind) => findings.filter((f) => f.kind === kind);
  const sum = (kind: FindingKind) => byKind(kind).reduce((s, f) => s + f.amountAtStake, 0);
  expect(findings).toHaveLength(100);
  expect([byKind('unknown-number').length, sum('unknown-number')]).toEqual([20, 20_000]);
  expect([byKind('missing-from-bill').length, sum('missing-from-bill')]).toEqual([20, 20 * FEE]);
  expect([byKind('base-fee-mismatch').length, sum('base-fee-mismatch')]).toEqual([20, 20 * 500]);
  expect([byKind('duplicate-number').length, sum('duplicate-number')]).toEqual([20, 20 * 2_000]);
  expect([byKind('usage-spike').length, sum('usage-spike')]).toEqual([20, 20 * 6_000]);
  expect(byKind('missing-from-bill').map((f) => f.number)).toEqual(Array.from({ length: 20 }, (_, k) => number(k * 1000 + 1)));
});

// ---- properties ------------------------------------------------------------------

const MONTHS = ['2026-01', '2026-02', '2028-02', '2026-04', '2026-12'];

/** The month's first day index and length. */
function span(month: string) {
  const { fromDate, toDate } = monthDates(month);
  const from = dayOfIsoDate(fromDate);
  return { from, days: dayOfIsoDate(toDate) - from };
}

/** The spec's pro-rating, written independently: the fee for a whole month, else floor(fee × days / month / 10) × 10. */
const proRated = (fee: number, served: number, days: number) => (served >= days ? fee : Math.floor((fee * served) / days / 10) * 10);

interface ServingSpec {
  fee: number | null;
  start: number;
  end: number | null;
  /** Lines of the same number that did not serve this month (terminated before it, not yet or never in service). */
  others: { start: number | null; end: number | null }[];
  jitter: number;
  baseFeeNoContract: number;
  usage: number;
  history: number[] | null;
  addOn: number;
  discount: number;
}

/** A line serving at least one day of a `days`-day month, in offsets from its first day. */
const servingSpec = (days: number): fc.Arbitrary<ServingSpec> =>
  fc
    .record({
      fee: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
      start: fc.integer({ min: -400, max: days - 1 }),
      endAfter: fc.option(fc.integer({ min: 1, max: days + 400 }), { nil: null }),
      others: fc.array(
        fc.oneof(
          fc
            .integer({ min: -900, max: -500 })
            .chain((s) => fc.integer({ min: s + 1, max: 0 }).map((e) => ({ start: s as number | null, end: e as number | null }))),
          fc.integer({ min: days, max: days + 300 }).map((s) => ({ start: s, end: null })),
          fc.constant({ start: null, end: null }),
        ),
        { maxLength: 2 },
      ),
      jitter: fc.integer({ min: -RULES.baseFeeToleranceKrw, max: RULES.baseFeeToleranceKrw }),
      baseFeeNoContract: fc.integer({ min: 0, max: 100_000 }),
      usage: fc.integer({ min: 0, max: 50_000 }),
      history: fc.option(fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 4 }), { nil: null }),
      addOn: fc.integer({ min: 0, max: 5_000 }),
      discount: fc.integer({ min: 0, max: 5_000 }),
    })
    .map(({ endAfter, ...s }) => ({ ...s, end: endAfter === null ? null : Math.max(s.start, 0) + endAfter }));

interface Scenario {
  month: string;
  days: number;
  inventory: InventoryLine[];
  lines: BillLine[];
  history: Map<string, number[]>;
  /** Per serving number: the fee the bill should charge. */
  expectedFee: Map<string, number>;
}

/** An inventory, and a bill the carrier got right: every serving line at its (pro-rated) fee, usage not above its history. */
const cleanScenario: fc.Arbitrary<Scenario> = fc
  .constantFrom(...MONTHS)
  .chain((month) => fc.tuple(fc.constant(month), fc.array(servingSpec(span(month).days), { maxLength: 25 })))
  .map(([month, specs]) => {
    const { from, days } = span(month);
    const date = (offset: number | null) => (offset === null ? null : isoDateOfDay(from + offset));
    const scenario: Scenario = { month, days, inventory: [], lines: [], history: new Map(), expectedFee: new Map() };
    specs.forEach((s, i) => {
      const number = `02${String(i).padStart(8, '0')}`;
      scenario.inventory.push({ lineId: `LN-${i}`, number, center: 'C', monthlyFee: s.fee, inServiceFrom: date(s.start), serviceEndsOn: date(s.end) });
      s.others.forEach((o, k) =>
        scenario.inventory.push({ lineId: `LN-${i}-${k}`, number, center: 'C', monthlyFee: 1_000, inServiceFrom: date(o.start), serviceEndsOn: date(o.end) }),
      );
      const served = Math.min(s.end ?? days, days) - Math.max(s.start, 0);
      const fee = s.fee === null ? s.baseFeeNoContract : proRated(s.fee, served, days);
      scenario.expectedFee.set(number, s.fee === null ? 0 : fee);
      const baseFee = Math.max(0, fee + (s.fee === null ? 0 : s.jitter));
      scenario.lines.push({
        row: i + 2,
        number,
        baseFee,
        usageFee: s.usage,
        addOnFee: s.addOn,
        discount: s.discount,
        total: baseFee + s.usage + s.addOn - s.discount,
      });
      if (s.history) scenario.history.set(number, [...s.history.map((h) => h + s.usage)]);
    });
    return scenario;
  });

const run = (s: Pick<Scenario, 'month' | 'lines' | 'inventory' | 'history'>, rules = RULES) =>
  reconcileBill({ month: s.month, lines: s.lines, inventory: s.inventory, usageHistory: s.history, rules });

describe('properties', () => {
  test('a bill generated from the inventory without discrepancies has no findings', () => {
    fc.assert(fc.property(cleanScenario, (s) => expect(run(s)).toEqual([])));
  });

  const planted = cleanScenario.chain((s) =>
    fc.tuple(
      fc.constant(s),
      fc.constantFrom(...FindingKind.options),
      fc.record({
        amount: fc.integer({ min: 1, max: 100_000 }),
        fee: fc.integer({ min: 60_000, max: 200_000 }),
        delta: fc.integer({ min: RULES.baseFeeToleranceKrw + 1, max: 50_000 }).chain((d) => fc.constantFrom(d, -d)),
        endsOn: fc.integer({ min: 1, max: s.days - 1 }),
        endedBefore: fc.option(fc.integer({ min: -300, max: 0 }), { nil: null }),
        history: fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 3 }),
        extra: fc.integer({ min: 0, max: 10_000 }),
        pick: fc.nat(),
      }),
    ),
  );

  /** Plants one discrepancy of `kind` in a clean scenario; returns the amount the finding must carry, or undefined when it cannot be planted. */
  function plant(
    s: Scenario,
    kind: FindingKind,
    p: { amount: number; fee: number; delta: number; endsOn: number; endedBefore: number | null; history: number[]; extra: number; pick: number },
  ) {
    const { from } = span(s.month);
    const number = '0399999999';
    const add = (line: Partial<InventoryLine>, bill: Partial<BillLine>) => {
      s.inventory.push({ lineId: 'LN-PLANTED', number, center: 'C', monthlyFee: p.fee, inServiceFrom: '2020-01-01', serviceEndsOn: null, ...line });
      s.lines.push(billLine(1, number, { baseFee: p.fee, ...bill }));
    };
    switch (kind) {
      case 'unknown-number':
        s.lines.push(billLine(1, number, { baseFee: p.amount }));
        return p.amount;
      case 'missing-from-bill': {
        if (s.lines.length === 0) return undefined;
        const [removed] = s.lines.splice(p.pick % s.lines.length, 1);
        return s.expectedFee.get(removed!.number);
      }
      case 'charged-after-termination':
        if (p.endedBefore !== null) {
          add({ serviceEndsOn: isoDateOfDay(from + p.endedBefore) }, { baseFee: p.amount });
          return p.amount;
        }
        add({ serviceEndsOn: isoDateOfDay(from + p.endsOn) }, {});
        return p.fee - proRated(p.fee, p.endsOn, s.days);
      case 'base-fee-mismatch':
        add({}, { baseFee: p.fee + p.delta });
        return p.delta;
      case 'usage-spike': {
        const n = p.history.length;
        const sum = p.history.reduce((a, b) => a + b, 0);
        const usage = Math.max(Math.floor((sum * 150) / (100 * n)) + 1, Math.ceil((sum + 1_000 * n) / n)) + p.extra;
        add({}, { usageFee: usage });
        s.history.set(number, p.history);
        return usage - Math.round(sum / n);
      }
      case 'duplicate-number': {
        if (s.lines.length === 0) return undefined;
        const copied = s.lines[p.pick % s.lines.length]!;
        s.lines.push({ ...copied, row: 10_000, baseFee: p.amount, total: p.amount });
        return p.amount;
      }
    }
  }

  test('one planted discrepancy of kind K yields exactly one finding, of kind K, with the planted amount', () => {
    fc.assert(
      fc.property(planted, ([s, kind, p]) => {
        const amount = plant(s, kind, p);
        fc.pre(amount !== undefined);
        const findings = run(s);
        expect(findings.map((f) => [f.kind, f.amountAtStake])).toEqual([[kind, amount]]);
      }),
      { numRuns: 300 },
    );
  });

  /** Anything: numbers from a small pool (reuse, duplicates, unknowns), any dates, fees and history. */
  const messy = fc.constantFrom(...MONTHS).chain((month) => {
    const { from } = span(month);
    const pool = fc.constantFrom('0200000001', '0200000002', '0200000003', '0200000004', '0200000005', '0200000006');
    const date = fc.option(
      fc.integer({ min: -60, max: 90 }).map((d) => isoDateOfDay(from + d)),
      { nil: null },
    );
    return fc.record({
      month: fc.constant(month),
      inventory: fc
        .array(
          fc.record({ number: pool, monthlyFee: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }), inServiceFrom: date, serviceEndsOn: date }),
          { maxLength: 12 },
        )
        .map((ls) => ls.map((l, i): InventoryLine => ({ ...l, lineId: `LN-${i}`, center: 'C' }))),
      lines: fc
        .array(
          fc.record({
            number: pool,
            baseFee: fc.integer({ min: 0, max: 100_000 }),
            usageFee: fc.integer({ min: 0, max: 20_000 }),
            addOnFee: fc.integer({ min: 0, max: 5_000 }),
            discount: fc.integer({ min: 0, max: 5_000 }),
          }),
          { maxLength: 12 },
        )
        .map((ls) => ls.map((l, i): BillLine => ({ ...l, row: i + 2, total: l.baseFee + l.usageFee + l.addOnFee - l.discount }))),
      history: fc.array(fc.tuple(pool, fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 4 }))).map((entries) => new Map(entries)),
    });
  });

  test('findings are valid drafts, deterministic under shuffling of the bill and the inventory', () => {
    const shuffled = messy.chain((m) =>
      fc.tuple(
        fc.constant(m),
        fc.shuffledSubarray(m.lines, { minLength: m.lines.length, maxLength: m.lines.length }),
        fc.shuffledSubarray(m.inventory, { minLength: m.inventory.length, maxLength: m.inventory.length }),
      ),
    );
    fc.assert(
      fc.property(shuffled, ([m, lines, inventory]) => {
        const findings = run(m);
        for (const f of findings) BillFindingDraft.parse(f);
        expect(run({ ...m, lines, inventory })).toEqual(findings);
      }),
      { numRuns: 300 },
    );
  });

  test('every bill number is either unknown or matched to an inventory line of that number, never both', () => {
    fc.assert(
      fc.property(messy, (m) => {
        const findings = run(m);
        for (const number of new Set(m.lines.map((l) => l.number))) {
          const known = m.inventory.some((l) => l.number === number);
          const mine = findings.filter((f) => f.number === number);
          expect(mine.some((f) => f.kind === 'unknown-number')).toBe(!known);
          for (const f of mine) {
            if (known) expect(m.inventory.find((l) => l.lineId === f.lineId)?.number).toBe(number);
            else expect(f.lineId).toBeNull();
          }
          expect(mine.some((f) => f.kind === 'missing-from-bill')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('duplicate findings are at stake for exactly the duplicated lines’ totals; amountAtStake = billed − expected wherever both are set', () => {
    fc.assert(
      fc.property(messy, (m) => {
        const findings = run(m);
        const firstRow = new Map<string, number>();
        for (const l of m.lines) firstRow.set(l.number, Math.min(firstRow.get(l.number) ?? Infinity, l.row));
        const duplicated = m.lines.filter((l) => l.row !== firstRow.get(l.number)).reduce((s, l) => s + l.total, 0);
        const duplicates = findings.filter((f) => f.kind === 'duplicate-number');
        expect(duplicates.reduce((s, f) => s + f.amountAtStake, 0)).toBe(duplicated);
        for (const f of duplicates) expect(f.rows[1]).toBe(firstRow.get(f.number));
        for (const f of findings) if (f.billed !== null && f.expected !== null) expect(f.amountAtStake).toBe(f.billed - f.expected);
        for (const f of findings) if (f.billed === null) expect(f.amountAtStake).toBe(f.expected);
      }),
      { numRuns: 300 },
    );
  });
});
