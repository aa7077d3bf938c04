import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findingsOf, insertBill, markDisputed, replaceFindings, saveBill } from '../../db/bills.repo';
import { seedLines } from '../../db/line-seed';
import type { Actor } from '../../domain/actor';
import type { BillingReportState, BillingSavingsData } from '../../domain/billing/billing-report';
import { BillingReportView } from '../../domain/billing/billing-report-view';
import type { BillFindingDraft, BillLine, BillStatus, Dispute } from '../../domain/billing/contracts';
import { receiveBill } from '../../domain/billing/lifecycle';
import { formatKrw } from '../../domain/billing/money';
import { mailWithKey, useSmtpReceiver } from '../activities/notifications/local-receivers';
import { fieldPaths, SUBJECTS, useHarness } from '../api/harness';
import { pdfBytesText, poppler } from '../reports/pdf-harness';

/**
 * The monthly line cost analysis (회선 요금 분석, domain.md process 8) over HTTP with a real worker,
 * PostgreSQL and Chromium: two carriers' bills of the month (one line not in the inventory, one
 * number once held by a terminated line of another center), a withdrawn bill that must not count,
 * bills of earlier months for the trend, findings and a settled dispute, the PBX's call records the
 * savings proposals read; the SPM's approval mails the PDF to the customer.
 */

const MONTH = '2026-08';
const CUSTOMER = 'cost-owner@customer.example';
const SPM: Actor = { id: 'spm.kim', role: 'spm' };
const C1 = '상담 1센터';
const C2 = '상담 2센터';

const smtp = useSmtpReceiver();
const h = useHarness({ mail: smtp.mail });

// ---- the inventory and the bills, written as the API and the bill workflow would leave them ------

const UNKNOWN_DETAIL = '회선 대장에 없는 번호 0299990000에 12,345원이 청구되었습니다. 통신사에 청구 근거 확인을 요청하십시오.';
const FEE_DETAIL = '0215550001 회선의 기본료 33,000원이 계약 월정액 30,000원과 다릅니다 (차액 3,000원).';
const SPIKE_DETAIL = '0315550003 회선의 통화료 8,000원이 최근 3개월 평균 2,000원보다 300% 많습니다.';
const KT_CLAIM = 'KT-2026-0917-001';

interface SeededBill {
  id: string;
  carrier: string;
  month: string;
  status: BillStatus;
  /** [number, base fee, usage fee] per bill line. */
  lines: Array<[string, number, number]>;
  paidOn?: string;
  findings?: BillFindingDraft[];
  /** Disputes the SPM opened on findings (by their index in `findings`) and how the carrier settled. */
  disputes?: Array<{ findings: number[]; carrierReference: string; creditKrw?: number }>;
}

const finding = (kind: BillFindingDraft['kind'], number: string, rows: number[], amountAtStake: number, detail: string): BillFindingDraft => ({
  kind,
  number,
  lineId: null,
  rows,
  amountAtStake,
  billed: null,
  expected: null,
  detail,
});

const BILLS: SeededBill[] = [
  {
    id: 'BILL-800001',
    carrier: 'KT',
    month: MONTH,
    status: 'PAID',
    paidOn: '2026-09-20',
    lines: [
      ['0215550001', 33_000, 1_200], // 상담 1센터: 34,200
      ['0215550002', 30_000, 2_500], // 상담 2센터 (a terminated line of 상담 3센터 once held it): 32,500
      ['0299990000', 12_000, 345], // in no inventory line: 12,345
    ],
    findings: [finding('unknown-number', '0299990000', [4], 12_345, UNKNOWN_DETAIL), finding('base-fee-mismatch', '0215550001', [2], 3_000, FEE_DETAIL)],
    disputes: [{ findings: [0], carrierReference: KT_CLAIM, creditKrw: 12_340 }],
  },
  {
    id: 'BILL-800002',
    carrier: 'SKB',
    month: MONTH,
    status: 'APPROVED',
    lines: [['0315550003', 27_500, 8_000]], // 상담 2센터: 35,500
    findings: [finding('usage-spike', '0315550003', [2], 6_000, SPIKE_DETAIL)],
  },
  // Withdrawn (read with the wrong profile): neither its cost nor its finding counts.
  {
    id: 'BILL-800009',
    carrier: 'KT',
    month: MONTH,
    status: 'WITHDRAWN',
    lines: [['0215550001', 987_000, 654]],
    findings: [finding('usage-spike', '0215550001', [2], 777_777, '철회된 청구서의 발견 사항')],
  },
  // Earlier months, for the trend: 2026-06 KT only, 2026-05 both, 2025-09 (the trend's first month) KT,
  // and 2025-08, a month before the trend.
  { id: 'BILL-800003', carrier: 'KT', month: '2026-06', status: 'PAID', paidOn: '2026-07-20', lines: [['0215550001', 50_000, 0]] },
  { id: 'BILL-800004', carrier: 'KT', month: '2026-05', status: 'PAID', paidOn: '2026-06-20', lines: [['0215550001', 40_000, 1_000]] },
  { id: 'BILL-800005', carrier: 'SKB', month: '2026-05', status: 'PAID', paidOn: '2026-06-22', lines: [['0315550003', 27_500, 500]] },
  { id: 'BILL-800006', carrier: 'KT', month: '2025-09', status: 'PAID', paidOn: '2025-10-20', lines: [['0215550001', 41_000, 0]] },
  { id: 'BILL-800007', carrier: 'KT', month: '2025-08', status: 'PAID', paidOn: '2025-09-20', lines: [['0215550001', 43_210, 0]] },
];

async function seedBill(b: SeededBill): Promise<void> {
  const lines: BillLine[] = b.lines.map(([number, baseFee, usageFee], i) => ({
    row: i + 2,
    number,
    baseFee,
    usageFee,
    addOnFee: 0,
    discount: 0,
    total: baseFee + usageFee,
  }));
  const totalKrw = lines.reduce((sum, l) => sum + l.total, 0);
  const at = `${b.month}-28T01:00:00.000Z`;
  const state = receiveBill({
    id: b.id,
    carrier: b.carrier,
    month: b.month,
    dueDate: `${nextMonth(b.month)}-25`,
    fileName: `${b.carrier}-${b.month}.csv`,
    sha256: createHash('sha256').update(b.id).digest('hex'),
    lines: lines.length,
    totalKrw,
    profileVersion: 1,
    requestedBy: SPM,
    requestedAt: at,
  });
  state.status = b.status;
  if (b.paidOn) state.payment = { paidOn: b.paidOn, amountKrw: totalKrw, actor: SPM, at: `${b.paidOn}T01:00:00.000Z` };
  expect(await insertBill(h.pool, state, lines)).toBeUndefined();
  if (!b.findings) return;
  await replaceFindings(h.pool, b.id, b.findings);
  const stored = (await findingsOf(h.pool, b.id, { limit: 100, offset: 0 })).items;
  state.disputes = (b.disputes ?? []).map((d, i): Dispute => {
    const ids = d.findings.map((f) => stored[f]!.id);
    return {
      id: `${b.id}-D${i + 1}`,
      findingIds: ids,
      amountKrw: d.findings.reduce((sum, f) => sum + b.findings![f]!.amountAtStake, 0),
      carrierReference: d.carrierReference,
      openedBy: SPM,
      openedAt: at,
      followUpDays: 7,
      followUpAt: null,
      followUps: 1,
      status: d.creditKrw === undefined ? 'OPEN' : 'SETTLED',
      ...(d.creditKrw === undefined ? {} : { settlement: { creditKrw: d.creditKrw, actor: SPM, at } }),
    };
  });
  for (const d of state.disputes) await markDisputed(h.pool, b.id, d.id, d.findingIds);
  await saveBill(h.pool, state, 1);
}

/** YYYY-MM → the next month's YYYY-MM (a bill is due the month after it covers). */
function nextMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

// ---- helpers -----------------------------------------------------------------------------------

async function until(id: string, done: (s: BillingReportState) => boolean, timeoutMs = 90_000): Promise<BillingReportState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.call('get', `/api/v1/billing-reports/${id}`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`billing report ${id} stayed ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function pdf(id: string) {
  const res = await fetch(`${h.baseUrl}/api/v1/billing-reports/${id}/report.pdf`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The PDF's text in reading order (no -layout): a table cell's wrapped lines stay together. */
function readingOrderText(bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'butler-billing-report-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, bytes);
    return poppler('pdftotext', [file, '-']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the report --------------------------------------------------------------------------------

describe(`the line cost analysis of ${MONTH}`, () => {
  let report: BillingReportState;
  /** As laid out (table rows on one line), and in reading order (a cell's wrapped lines together). */
  let text: string;
  let cells: string;

  beforeAll(async () => {
    await seedLines(h.pool, [
      { id: 'LN-800001', dn: '0215550001', carrier: 'KT', monthlyFee: 30_000, center: C1, activatedAt: '2025-01-05T10:00:00+09:00' },
      { id: 'LN-800002', dn: '0215550002', carrier: 'KT', monthlyFee: 30_000, center: C2, activatedAt: '2026-03-02T10:00:00+09:00' },
      // The number's earlier holder, terminated: the live line's center counts.
      {
        id: 'LN-800000',
        dn: '0215550002',
        carrier: 'KT',
        monthlyFee: 30_000,
        center: '상담 3센터',
        activatedAt: '2024-01-05T10:00:00+09:00',
        terminatedOn: '2026-01-01',
      },
      { id: 'LN-800003', dn: '0315550003', carrier: 'SKB', monthlyFee: 27_500, center: C2, activatedAt: '2025-01-05T10:00:00+09:00' },
    ]);
    for (const b of BILLS) await seedBill(b);
    // The PBX's call records of every day of the savings window (90 days up to 2026-08-31): calls on
    // 0215550001 only, so the other lines in service are idle.
    await h.pool.query(
      `INSERT INTO line_usage_daily (date, dn, calls_out, calls_in, minutes, data_source)
       SELECT d, '0215550001', 3, 2, 4.0, 'vendor' FROM generate_series('2026-06-02'::date, '2026-08-31'::date, '1 day') d`,
    );
    const contact = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '고객사 비용 담당', email: CUSTOMER, audience: 'customer', hours: 'always' },
    });
    expect(contact.status).toBe(201);
  });

  it('a bad month → 400 naming month; an engineer may not start one → 403', async () => {
    for (const month of ['2026-13', '2026-8', 'august']) {
      const bad = await h.call('post', '/api/v1/billing-reports', { token: h.tokens.spm, body: { month } });
      expect({ month, status: bad.status, paths: fieldPaths(bad.body) }).toEqual({ month, status: 400, paths: ['month'] });
    }
    expect((await h.call('post', '/api/v1/billing-reports', { token: h.tokens.spm, body: { month: MONTH, colour: 'red' } })).status).toBe(400);
    const byEngineer = await h.call('post', '/api/v1/billing-reports', { token: h.tokens.engineer, body: { month: MONTH } });
    expect(byEngineer.status).toBe(403);
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM billing_reports');
    expect(rows[0].n).toBe(0);
  });

  it('POST → 201 RUNNING (a retry with the same Idempotency-Key is the same run); it reaches AWAITING_REVIEW', async () => {
    const headers = { 'idempotency-key': `billing-report-${MONTH}` };
    const res = await h.call('post', '/api/v1/billing-reports', { token: h.tokens.spm, body: { month: MONTH }, headers });
    expect(res.status).toBe(201);
    expect(BillingReportView.strict().parse(res.body)).toEqual(res.body);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^BR-\d{6}$/),
      month: MONTH,
      locale: 'ko',
      status: 'RUNNING',
      requestedBy: { id: SUBJECTS.spm, role: 'spm' },
    });
    const retry = await h.call('post', '/api/v1/billing-reports', { token: h.tokens.spm, body: { month: MONTH }, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(res.body.id);

    report = await until(res.body.id, (s) => s.status !== 'RUNNING');
    expect(report).toMatchObject({ status: 'AWAITING_REVIEW', failure: null, report: { reportId: `${res.body.id}-R1`, kind: 'billing', version: 1 } });
    // The live bills only: 79,045 + 35,500; the withdrawn bill and its finding are out.
    expect(report.figures).toEqual({ bills: 2, totalKrw: 114_545, unidentifiedKrw: 12_345, findings: 3, amountAtStakeKrw: 21_345, disputes: 1 });

    const served = await pdf(report.id);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('x-report-sha256')).toBe(report.report!.sha256);
    text = pdfBytesText(served.bytes);
    cells = readingOrderText(served.bytes).replace(/\s+/g, '');
  });

  it('the report is titled 회선 요금 분석 and lists the month’s live bills with their status, due date and payment', () => {
    expect(text).toContain(`회선 요금 분석 ${MONTH}`);
    expect(text).toMatch(/KT\s+BILL-800001\s+3\s+79,045원\s+납부 완료\s+2026-09-25\s+2026-09-20/);
    expect(text).toMatch(/SK브로드밴드\s+BILL-800002\s+1\s+35,500원\s+지급 승인\s+2026-09-25\s+미납/);
    expect(text).toContain('114,545원');
    expect(text).not.toContain('BILL-800009');
    expect(text).not.toContain('987,654원');
  });

  it('cost by center and carrier: each bill line by the center of the inventory line with its number, unknown numbers under 미확인', () => {
    expect(text).toContain('센터별·통신사별 요금');
    // Columns: KT, SK브로드밴드, 합계, 회선 수.
    expect(text).toMatch(/상담\s*1센터\s+34,200원\s+—\s+34,200원\s+1\n/);
    expect(text).toMatch(/상담\s*2센터\s+32,500원\s+35,500원\s+68,000원\s+2\n/);
    expect(text).toMatch(/미확인\s+12,345원\s+—\s+12,345원\s+1\n/);
    expect(text).toMatch(/합계\s+79,045원\s+35,500원\s+114,545원\s+4\n/);
    // The terminated line's center does not get the number's cost.
    expect(text).not.toMatch(/상담\s*3센터/);
  });

  it('the 12-month trend: a row per month from 2025-09 to 2026-08, a month without a carrier’s bill shown as such', () => {
    expect(text).toContain('최근 12개월 요금 추이');
    expect(text).toMatch(/2025-09\s+41,000원\s+청구서 없음\s+41,000원\n/);
    expect(text).toMatch(/2026-05\s+41,000원\s+28,000원\s+69,000원\n/);
    expect(text).toMatch(/2026-06\s+50,000원\s+청구서 없음\s+50,000원\n/);
    expect(text).toMatch(/2026-07\s+청구서 없음\s+청구서 없음\s+—\n/);
    expect(text).toMatch(/2026-08\s+79,045원\s+35,500원\s+114,545원\n/);
    expect(text).not.toContain('2025-08');
    expect(text).not.toContain('43,210원');
  });

  it('findings per kind with their amounts, the largest listed with their sentence, the dispute with its carrier reference and credit', () => {
    expect(text).toMatch(/미등록 번호\s+1\s+12,345원/);
    expect(text).toMatch(/기본료 불일치\s+1\s+3,000원/);
    expect(text).toMatch(/통화료 급증\s+1\s+6,000원/);
    expect(text).toMatch(/중복 청구\s+0\s+0원/);
    for (const detail of [UNKNOWN_DETAIL, FEE_DETAIL, SPIKE_DETAIL]) expect(cells).toContain(detail.replace(/\s+/g, ''));
    expect(cells).not.toContain('철회된청구서의발견사항');
    expect(text).toMatch(new RegExp(`BILL-800001-D1\\s+KT\\s+${KT_CLAIM}\\s+12,345원\\s+종결\\s+12,340원`));
  });

  it('the savings proposals as of the month’s last day: each with its subject, monthly saving and sentence, and their total', async () => {
    expect(report.notes).toEqual([]);
    const gathered = await h.pool.query(`SELECT savings FROM billing_report_inputs WHERE report_id = $1`, [report.id]);
    const { asOf, proposals, simulatedUsage } = gathered.rows[0].savings as BillingSavingsData;
    expect({ asOf, simulatedUsage }).toEqual({ asOf: `${MONTH}-31`, simulatedUsage: false });
    // The lines without a call over the window: 상담 2센터's KT and SKB lines.
    const idle = proposals.filter((p) => p.kind === 'idle-line').map((p) => [p.lineId, p.monthlySavingKrw]);
    expect(idle).toEqual(
      expect.arrayContaining([
        ['LN-800002', 30_000],
        ['LN-800003', 27_500],
      ]),
    );
    const total = proposals.reduce((sum, p) => sum + p.monthlySavingKrw, 0);
    expect(report.savings).toEqual({ proposals: proposals.length, monthlySavingKrw: total });

    const printed = formatKrw(total);
    expect(text).toMatch(new RegExp(`기준일 ${MONTH}-31 · 월 절감액 합계 ${printed}`));
    expect(text).toMatch(/미사용 회선 해지\s+회선 LN-800002\s+0215550002\s+상담\s*2센터\s+KT\s+30,000원/);
    expect(text).toMatch(/미사용 회선 해지\s+회선 LN-800003\s+0315550003\s+상담\s*2센터\s+SK브로드밴드\s+27,500원/);
    for (const p of proposals) expect(cells).toContain(p.detail.replace(/\s+/g, ''));
    // Real call records (vendor): no SIMULATED DATA banner.
    expect(text).not.toContain('SIMULATED DATA');
  });

  it('the data it was built from is kept: the stored input, and the month as gathered', async () => {
    const { rows } = await h.pool.query(`SELECT kind, subject_id, template, locale, input::jsonb AS input FROM reports WHERE id = $1`, [
      report.report!.reportId,
    ]);
    expect(rows[0]).toMatchObject({ kind: 'billing', subject_id: report.id, template: 'billing/report', locale: 'ko' });
    expect(rows[0].input.sourceHistory.workflowId).toBe(`billing-report-${report.id}`);
    const gathered = await h.pool.query(`SELECT month, bills FROM billing_report_inputs WHERE report_id = $1`, [report.id]);
    expect(gathered.rows[0].month).toBe(MONTH);
    expect(gathered.rows[0].bills.bills.map((b: { id: string }) => b.id)).toEqual(['BILL-800001', 'BILL-800002']);
  });

  it('one report of a month at a time: another while this one awaits review → 409', async () => {
    const again = await h.call('post', '/api/v1/billing-reports', { token: h.tokens.automation, body: { month: MONTH } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    expect(again.body.error.message).toContain(report.id);
  });

  it('the list and unknown ids', async () => {
    const list = await h.call('get', `/api/v1/billing-reports?month=${MONTH}`, { token: h.tokens.engineer });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: report.id, month: MONTH, status: 'AWAITING_REVIEW' }] });
    expect((await h.call('get', '/api/v1/billing-reports?month=2026-8', { token: h.tokens.auditor })).status).toBe(400);
    const unknown = await h.call('get', '/api/v1/billing-reports/BR-999999', { token: h.tokens.auditor });
    expect(unknown.status).toBe(404);
    expect((await h.call('get', '/api/v1/billing-reports/QSR-000001', { token: h.tokens.auditor })).status).toBe(400);
  });

  it('approve → DELIVERED; the customer contact receives the PDF attached', async () => {
    const byEngineer = await h.call('post', `/api/v1/billing-reports/${report.id}/approve`, { token: h.tokens.engineer, body: {} });
    expect(byEngineer.status).toBe(403);
    const res = await h.call('post', `/api/v1/billing-reports/${report.id}/approve`, { token: h.tokens.spm, body: { comments: '8월 요금 분석 승인' } });
    expect(res.status).toBe(200);
    const delivered = await until(report.id, (s) => s.status === 'DELIVERED');
    expect(delivered.review).toMatchObject({ decision: 'approved', by: { id: SUBJECTS.spm, role: 'spm' }, comments: '8월 요금 분석 승인' });
    expect(delivered.deliveredAt).not.toBeNull();

    const received = await mailWithKey(smtp.mails, `${report.id}:delivered`);
    expect(received.envelopeTo).toEqual([CUSTOMER]);
    expect(received.parsed.subject).toBe(`[회선 요금 분석 ${MONTH}] 보고서`);
    const { rows } = await h.pool.query('SELECT pdf FROM reports WHERE id = $1', [`${report.id}-R1`]);
    expect(received.parsed.attachments).toHaveLength(1);
    expect(received.parsed.attachments[0]).toMatchObject({ filename: `${report.id}-R1.pdf`, contentType: 'application/pdf' });
    expect(received.parsed.attachments[0]!.content.equals(rows[0].pdf)).toBe(true);

    const twice = await h.call('post', `/api/v1/billing-reports/${report.id}/return`, { token: h.tokens.spm, body: { comments: '다시' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'DELIVERED' } });
  });
});
