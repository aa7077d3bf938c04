import type { BillingMonthData, BillingSavingsData } from '../../domain/billing/billing-report';
import type { SavingProposal } from '../../domain/billing/savings';
import { billingReportInput, type BillingReportData } from '../../reports/billing-report';
import { serializeReportInput, parseReportInput } from '../../reports/report-store';
import { expectEscaped, expectNanumEmbedded, useReportRenderer } from './pdf-harness';

/** The line cost analysis (회선 요금 분석) through real Chromium, checked with poppler-utils: both locales, savings missing, hostile text. */

const HOSTILE = '<script>alert(1)</script>';
const MONTH = '2026-03';
const DOCUMENT_DATE = new Date('2026-04-03T01:00:00.000Z');

const month: BillingMonthData = {
  month: MONTH,
  trendMonths: ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'],
  carrierNames: { KT: 'KT', LGU: 'LG유플러스' },
  bills: [
    { id: 'BILL-000031', carrier: 'KT', lines: 1200, totalKrw: 36_120_000, status: 'AWAITING_REVIEW', dueDate: '2026-04-25', paidOn: null },
    { id: 'BILL-000032', carrier: 'LGU', lines: 300, totalKrw: 8_700_450, status: 'PAID', dueDate: '2026-04-20', paidOn: '2026-04-02' },
  ],
  costs: [
    { center: '상담 1센터', carrier: 'KT', lines: 700, totalKrw: 21_000_000 },
    { center: '상담 2센터', carrier: 'KT', lines: 490, totalKrw: 14_820_000 },
    { center: '상담 2센터', carrier: 'LGU', lines: 300, totalKrw: 8_700_450 },
    { center: null, carrier: 'KT', lines: 10, totalKrw: 300_000 },
  ],
  trend: [
    { month: '2025-04', carrier: 'KT', totalKrw: 35_000_000 },
    { month: '2026-02', carrier: 'KT', totalKrw: 35_900_000 },
    { month: '2026-02', carrier: 'LGU', totalKrw: 8_650_000 },
    { month: '2026-03', carrier: 'KT', totalKrw: 36_120_000 },
    { month: '2026-03', carrier: 'LGU', totalKrw: 8_700_450 },
  ],
  findingsByKind: [
    { kind: 'unknown-number', count: 10, amountAtStakeKrw: 300_000 },
    { kind: 'charged-after-termination', count: 2, amountAtStakeKrw: 41_200 },
  ],
  largestFindings: [
    {
      id: 7,
      billId: 'BILL-000031',
      carrier: 'KT',
      kind: 'unknown-number',
      number: '0299990001',
      amountAtStakeKrw: 30_000,
      detail: `회선 대장에 없는 번호 0299990001에 30,000원이 청구되었습니다. ${HOSTILE}`,
      disputeId: 'BILL-000031-D1',
    },
  ],
  disputes: [
    {
      id: 'BILL-000031-D1',
      billId: 'BILL-000031',
      carrier: 'KT',
      carrierReference: 'KT-REF-77',
      amountKrw: 300_000,
      status: 'OPEN',
      creditKrw: null,
      openedAt: '2026-04-01T01:00:00.000Z',
    },
  ],
};

const idle: SavingProposal = {
  key: 'idle-line:LN-000012',
  kind: 'idle-line',
  lineId: 'LN-000012',
  trunk: null,
  dn: '0215550012',
  center: '상담 1센터',
  carrier: 'KT',
  monthlySavingKrw: 30_000,
  detail: '상담 1센터 0215550012 회선은 최근 90일 동안 통화가 한 건도 없어, 해지하면 월 30,000원이 절감됩니다.',
  action: { kind: 'terminate-line', lineId: 'LN-000012', reason: '미사용 회선 해지' },
};
const trunk: SavingProposal = {
  key: 'oversized-trunk:223',
  kind: 'oversized-trunk',
  lineId: null,
  trunk: '223',
  dn: null,
  center: null,
  carrier: null,
  monthlySavingKrw: 0,
  detail: '트렁크 223는 최대 동시통화 3채널로 30채널의 10%만 사용해, 4채널로 줄이면 요금 정보가 없어 절감액은 계약 확인 후 산정됩니다.',
  action: { kind: 'change', type: 'trunk-channels', target: '223', params: { channels: 4 }, reason: '트렁크 채널 축소' },
};
const savings: BillingSavingsData = { asOf: '2026-03-31', proposals: [trunk, idle], simulatedUsage: true };

const data = (overrides: Partial<BillingReportData> = {}): BillingReportData => ({
  report: { id: 'BR-000004', month: MONTH },
  bills: month,
  savings,
  ...overrides,
});

const renderer = useReportRenderer('billing-report');

describe('the Korean report', () => {
  let rendered: Awaited<ReturnType<typeof renderer.render>>;
  let text: string;
  beforeAll(async () => {
    // As renderAndStore does: rendered from the JSON it stores.
    rendered = await renderer.render(parseReportInput(serializeReportInput(billingReportInput(data(), { locale: 'ko', documentDate: DOCUMENT_DATE }))), 'ko');
    text = rendered.text();
  });

  it('is titled with the month, numbers its pages and embeds NanumGothic', () => {
    expect(text).toContain(`회선 요금 분석 ${MONTH}`);
    expect(text).toMatch(/^\s*1\s*\/\s*\d+\s*$/m);
    expectNanumEmbedded(rendered.file);
  });

  it('summary and bills: total cost, unpaid bills, status, due date, paid or not', () => {
    expect(text).toContain('44,820,450원');
    expect(text).toMatch(/KT\s+BILL-000031\s+1,200\s+36,120,000원\s+검토 대기\s+2026-04-25\s+미납/);
    expect(text).toMatch(/LG유플러스\s+BILL-000032\s+300\s+8,700,450원\s+납부 완료\s+2026-04-20\s+2026-04-02/);
  });

  it('cost by center and carrier, 미확인 last, with row and column totals', () => {
    expect(text).toMatch(/상담 1센터\s+21,000,000원\s+—\s+21,000,000원\s+700/);
    expect(text).toMatch(/상담 2센터\s+14,820,000원\s+8,700,450원\s+23,520,450원\s+790/);
    expect(text).toMatch(/미확인\s+300,000원\s+—\s+300,000원\s+10/);
    expect(text).toMatch(/합계\s+36,120,000원\s+8,700,450원\s+44,820,450원\s+1,500/);
    expect(rendered.html).toContain('chart-costByCenter');
  });

  it('twelve months of trend, months without a bill said so', () => {
    expect(text).toMatch(/2025-04\s+35,000,000원\s+청구서 없음\s+35,000,000원/);
    expect(text).toMatch(/2025-10\s+청구서 없음\s+청구서 없음\s+—/);
    expect(text).toMatch(/2026-03\s+36,120,000원\s+8,700,450원\s+44,820,450원/);
    expect(rendered.html).toContain('chart-costTrend');
  });

  it('findings per kind (every kind, zero included), the dispute open without credit', () => {
    expect(text).toMatch(/미등록 번호\s+10\s+300,000원/);
    expect(text).toMatch(/해지 후 청구\s+2\s+41,200원/);
    expect(text).toMatch(/중복 청구\s+0\s+0원/);
    expect(text).toMatch(/BILL-000031-D1\s+KT\s+KT-REF-77\s+300,000원\s+진행 중\s+—/);
  });

  it('finding and savings text is escaped, never markup', () => {
    expectEscaped(rendered, HOSTILE);
  });

  it('savings largest first, a trunk by its number, the total; call records from the PBX simulator bring the SIMULATED DATA banner', () => {
    expect(text).toMatch(/기준일 2026-03-31 · 월 절감액 합계 30,000원/);
    expect(text).toMatch(/미사용 회선 해지\s+회선 LN-000012\s+0215550012\s+상담 1센터\s+KT\s+30,000원/);
    expect(text).toMatch(/트렁크 채널 축소\s+트렁크 223\s+—\s+—\s+—\s+0원/);
    expect(text.indexOf('LN-000012')).toBeLessThan(text.indexOf('트렁크 223'));
    expect(text).toContain('모의 데이터 / SIMULATED DATA');
    expect(text.replace(/\s+/g, '')).toContain('PBX시뮬레이터');
  });
});

it('savings that could not be collected: the report says so, with the workflow’s note', async () => {
  const note = 'the savings proposals were not available (Error: connection refused); the report goes without them';
  const rendered = await renderer.render(
    billingReportInput(data({ savings: null, notes: [note] }), { locale: 'ko', documentDate: DOCUMENT_DATE }),
    'no-savings',
  );
  const flat = rendered.text().replace(/\s+/g, '');
  expect(flat).toContain('절감제안을불러오지못했습니다');
  expect(flat).toContain(note.replace(/\s+/g, ''));
  expect(rendered.text()).not.toContain('SIMULATED DATA');
});

it('in English (locale en): the same figures under English labels', async () => {
  const rendered = await renderer.render(
    billingReportInput(data({ savings: { ...savings, simulatedUsage: false } }), { locale: 'en', documentDate: DOCUMENT_DATE }),
    'en',
  );
  const text = rendered.text();
  expect(text).toContain(`Line cost analysis ${MONTH}`);
  expect(text).toMatch(/Unidentified\s+300,000원\s+—\s+300,000원\s+10/);
  expect(text).toMatch(/2025-10\s+no bill\s+no bill\s+—/);
  expect(text).toMatch(/Unknown number\s+10\s+300,000원/);
  expect(text).toMatch(/Terminate idle line\s+Line LN-000012/);
  expect(text).toMatch(/BILL-000031-D1\s+KT\s+KT-REF-77\s+300,000원\s+Open/);
});
