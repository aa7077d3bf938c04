import { quarterBounds } from '../../domain/report/periods';
import type { Breach, CallVolumeAnomaly, CallVolumeDay, Kpis, SystemTrendPoint } from '../../domain/qsr/contracts';
import { qsrReportInput, type QsrReportData } from '../../reports/qsr-report';
import { renderReportHtml, type ReportInput } from '../../reports/render-report';
import { expectEscaped, expectNanumEmbedded, poppler, useReportRenderer } from './pdf-harness';

/** The quarterly service review (분기 서비스 리뷰) through real Chromium, checked with poppler-utils. */

const HOSTILE = '<script>alert(1)</script>';
const CENTERS = ['상담 1센터', '상담 2센터', '상담 3센터'];
const QUARTER = '2026-Q1';
const HOUR_MS = 3_600_000;

const breach = (i: number, overrides: Partial<Breach> = {}): Breach => ({
  incidentId: `INC-${String(200 + i).padStart(6, '0')}`,
  title: `IVR 시나리오 응답 지연 ${i + 1}`,
  severity: 'P2',
  system: 'IVR',
  center: CENTERS[i % 3]!,
  clock: 'restore',
  targetSeconds: 8 * 3600,
  elapsedSeconds: 9 * 3600 + i * 60,
  dueAt: new Date(Date.parse('2026-01-05T03:00:00Z') + i * HOUR_MS).toISOString(),
  ...overrides,
});

const kpis: Kpis = {
  ...quarterBounds(QUARTER),
  incidents: {
    total: 42,
    bySeverity: { P1: 3, P2: 9, P3: 20, P4: 10 },
    bySystem: { PBX: 14, CTI: 10, IVR: 8, REC: 6, NET: 4 },
    byCenter: { '상담 1센터': 20, '상담 2센터': 12, '상담 3센터': 8, '(none)': 2 },
  },
  mttrMs: 2 * HOUR_MS + 35 * 60_000,
  restoredWithinTarget: { complex: { numerator: 5, denominator: 6, ratio: 5 / 6 }, all: { numerator: 36, denominator: 38, ratio: 36 / 38 } },
  responseAttainment: { numerator: 40, denominator: 42, ratio: 40 / 42 },
  l1Resolution: { numerator: 25, denominator: 38, ratio: 25 / 38 },
  reopenRate: { numerator: 0, denominator: 38, ratio: 0 },
  breaches: [
    breach(0, {
      incidentId: 'INC-000187',
      title: `교환기 PRI 단절 ${HOSTILE}`,
      severity: 'P1',
      system: 'PBX',
      center: '상담 1센터',
      targetSeconds: 4 * 3600,
      elapsedSeconds: 4 * 3600 + 35 * 60,
    }),
    breach(1, { clock: 'response', targetSeconds: 30 * 60, elapsedSeconds: 52 * 60, center: null }),
  ],
};

/** Daily offered calls: a weekday/weekend pattern per center, with a spike and a drop. */
function callVolume(): CallVolumeDay[] {
  const { from, to } = quarterBounds(QUARTER);
  const days: CallVolumeDay[] = [];
  for (let ms = Date.parse(from) + 9 * HOUR_MS; ms < Date.parse(to) + 9 * HOUR_MS; ms += 24 * HOUR_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    const weekend = [0, 6].includes(new Date(ms).getUTCDay());
    CENTERS.forEach((center, c) => {
      let offered = (weekend ? 400 : 1800) + c * 300 + ((ms / 86_400_000) % 7) * 11;
      if (date === '2026-02-10' && c === 0) offered = 4200;
      if (date === '2026-03-03' && c === 2) offered = 300;
      days.push({ date, center, offered, answered: Math.round(offered * 0.93), source: 'cti' });
    });
  }
  return days;
}

const anomalies: CallVolumeAnomaly[] = [
  { date: '2026-03-03', center: '상담 3센터', offered: 300, expected: 2433, score: 6.84, kind: 'drop' },
  { date: '2026-02-10', center: '상담 1센터', offered: 4200, expected: 1833, score: 12.27, kind: 'spike' },
];

const trends: SystemTrendPoint[] = quarterBounds(QUARTER).months.flatMap((period, m) =>
  CENTERS.flatMap((center, c) => [
    ...['PBX', 'CTI', 'REC'].map((system) => ({ period, center, system, metric: 'memory', value: 0.55 + m * 0.06 + c * 0.02 })),
    { period, center, system: 'PBX', metric: 'cpu', value: 0.3 },
    { period, center, system: 'BACKUP', metric: 'backup-age', value: m === 2 && c === 1 ? 5 : 1 },
  ]),
);

/** Two trunks: a PRI line's at 30 channels reaching 80 % on two days, and the test trunk at 5 channels. */
const trunkUsage: NonNullable<QsrReportData['trunkUsage']> = {
  trunks: [
    {
      trunk: '223',
      lineId: 'LN-000123',
      dn: '0212345678',
      center: '상담 1센터',
      description: 'PRI 0212345678',
      channels: 30,
      warnAtPercent: 80,
      criticalAtPercent: 95,
      source: 'recorded',
      updatedBy: 'spm-kim',
      updatedAt: '2026-01-02T00:00:00.000Z',
    },
    {
      trunk: '9',
      lineId: null,
      dn: null,
      center: '상담 2센터',
      description: null,
      channels: 5,
      warnAtPercent: 80,
      criticalAtPercent: 95,
      source: 'recorded',
      updatedBy: 'spm-kim',
      updatedAt: '2026-01-02T00:00:00.000Z',
    },
  ],
  days: [
    { trunk: '223', date: '2026-01-05', calls: 410, minutes: 1830.5, peakConcurrent: 12 },
    { trunk: '223', date: '2026-02-10', calls: 980, minutes: 5120, peakConcurrent: 24 },
    { trunk: '223', date: '2026-02-11', calls: 1010, minutes: 5300, peakConcurrent: 26 },
    { trunk: '9', date: '2026-02-10', calls: 12, minutes: 30, peakConcurrent: 2 },
  ],
};

function reportData(overrides: Partial<QsrReportData> = {}): QsrReportData {
  return {
    qsr: { id: 'QSR-000003', quarter: QUARTER, ...quarterBounds(QUARTER) },
    kpis,
    trends,
    callVolume: callVolume(),
    anomalies,
    proposals: [
      { title: 'IVR 시나리오 응답 시간 개선', detail: '피크 시간대 TTS 캐시 적용 및 시나리오 분기 단순화', owner: '정하은' },
      { title: `녹취 서버 디스크 증설 ${HOSTILE}`, detail: '분기 말 사용률 88%: 2TB 증설 제안\n예산: 2분기 반영' },
    ],
    trunkUsage,
    ...overrides,
  };
}

const DOCUMENT_DATE = new Date('2026-04-03T01:00:00Z');
const koInput = (data = reportData()) => qsrReportInput(data, { locale: 'ko', documentDate: DOCUMENT_DATE });

describe('QSR report (real Chromium)', () => {
  const { render } = useReportRenderer('qsr-report');
  let ko: Awaited<ReturnType<typeof render>>;

  beforeAll(async () => {
    ko = await render(koInput(), 'ko');
  });

  it('prints the KPIs, incidents, breaches, system status, call volume and proposals in Korean', () => {
    const text = ko.text();
    for (const heading of [
      '분기 서비스 리뷰 2026-Q1',
      'SLA 지표 요약',
      '심각도별 장애 건수',
      '시스템별 장애 건수',
      '센터별 장애 건수',
      'SLA 위반 내역',
      '시스템 상태 추이',
      '콜 인입량',
      '콜 인입 이상치',
      '트렁크 사용률 (일별 최대)',
      '개선사항',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('2026. 01. 01. – 2026. 03. 31.'); // the quarter, last day included
    expect(text).toContain('2시간 35분'); // MTTR
    expect(text).toContain('83.3% (5/6)');
    expect(text).toContain('94.7% (36/38)');
    expect(text).toContain('65.8% (25/38)');
    expect(text).toContain('0.0% (0/38)'); // a zero rate is a figure, not "—"
    expect(text).toMatch(/PBX\s+14\s+33\.3%/);
    expect(text).toMatch(/센터 미지정\s+2\s+4\.8%/);
    expect(text).toMatch(/INC-000187\s+.*P1\s+PBX\s+상담 1센터\s+복구\s+4시간\s+4시간 35분/);
    expect(text).toMatch(/2026\. 02\. 10\.\s+상담 1센터\s+급증\s+4,200\s+1,833\s+12\.3/);
    // Each trunk: channels, calls, the quarter's peak of its channels, and the days it reached 80 %.
    expect(text).toMatch(/223 \(LN-000123\)\s+상담 1센터\s+30\s+2,400\s+26 \(86\.7%\)\s+2/);
    expect(text).toMatch(/9\s+상담 2센터\s+5\s+12\s+2 \(40\.0%\)\s+0/);
    expect(text).toMatch(/2026\. 03\. 03\.\s+상담 3센터\s+급감\s+300\s+2,433\s+6\.8/);
    expect(text).toContain('메모리 사용률 추이');
    expect(text).toContain('백업 경과일 추이');
    expect(text).toContain('IVR 시나리오 응답 시간 개선');
    expect(text).toContain('정하은');
  });

  it("lists the savings proposals as of the quarter's last day with their monthly total; an input from before them shows none", async () => {
    expect(ko.text()).not.toContain('절감 제안');
    const withSavings = await render(
      koInput({
        ...reportData(),
        carrierNames: { KT: 'KT' },
        savings: {
          asOf: '2026-03-31',
          simulatedUsage: false,
          proposals: [
            {
              key: 'idle-line:LN-000031',
              kind: 'idle-line',
              lineId: 'LN-000031',
              trunk: null,
              dn: '0231000031',
              center: '상담 1센터',
              carrier: 'KT',
              monthlySavingKrw: 33_000,
              detail: '상담 1센터 0231000031 회선은 최근 90일 동안 통화가 한 건도 없어, 해지하면 월 33,000원이 절감됩니다.',
              action: { kind: 'terminate-line', lineId: 'LN-000031', reason: '미사용 회선 해지' },
            },
          ],
        },
      }),
      'savings',
    );
    const text = withSavings.text();
    expect(text).toContain('절감 제안');
    expect(text).toMatch(/미사용 회선 해지\s+회선 LN-000031\s+0231000031\s+상담 1센터\s+KT\s+33,000원/);
    expect(text).toMatch(/월 절감액 합계\s+33,000원/);
    expect(text).toContain('통화가 한 건도 없어');
  });

  it('draws the severity bars, memory and backup trends, the call volume and the trunk peaks as vector charts', () => {
    expect(ko.html.match(/<svg/g) ?? []).toHaveLength(5);
    expect(ko.text()).not.toContain('CPU 사용률 추이'); // the review shows memory and backups only
    expect(poppler('pdfimages', ['-list', ko.file]).trim().split('\n')).toHaveLength(2);
  });

  it('escapes user text: the script is printed, never run', () => {
    expectEscaped(ko, HOSTILE);
  });

  it('embeds NanumGothic as a real font, never Type 3', () => {
    expectNanumEmbedded(ko.file);
  });

  it('re-renders the same input to the same bytes', async () => {
    const again = await render(koInput(), 'again');
    expect(again.sha256).toBe(ko.sha256);
  });

  it('renders English headings in the English locale', async () => {
    const en = await render(qsrReportInput(reportData(), { locale: 'en', documentDate: DOCUMENT_DATE }), 'en');
    const text = en.text();
    for (const heading of [
      'Quarterly service review 2026-Q1',
      'SLA indicators',
      'Incidents by severity',
      'SLA breaches',
      'System status trends',
      'Call volume',
      'Improvement proposals',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('2 h 35 min');
    expect(text).toMatch(/Spike\s+4,200\s+1,833\s+12\.3/);
    expect(text).not.toContain('SLA 지표 요약');
  });

  it('prints "—" for a ratio with nothing to divide, and what the review went without', async () => {
    const empty = { numerator: 0, denominator: 0, ratio: null };
    const quiet: Kpis = { ...kpis, mttrMs: null, restoredWithinTarget: { complex: empty, all: empty }, breaches: [] };
    const text = (await render(koInput(reportData({ kpis: quiet, notes: ['CTI 통계 서버 연결 실패: CSV 업로드 자료만 반영'] })), 'quiet')).text();
    expect(text).toMatch(/복합 장애 4시간 내 복구율\s[\s\S]*— \(0\/0\)/);
    expect(text).toContain('SLA 위반 없음');
    expect(text).toContain('CTI 통계 서버 연결 실패');
  });

  it('carries the "모의 데이터 / SIMULATED DATA" banner when its call volume or inspections came from stand-ins, and only then', async () => {
    expect(ko.text()).not.toMatch(/SIMULATED DATA|모의 데이터/);
    const simulated = await render(koInput(reportData({ simulatedInputs: ['telemetry-simulator', 'cti-emulator', 'cti-emulator'] })), 'simulated');
    expect(simulated.text(1)).toContain('모의 데이터 / SIMULATED DATA');
    const raw = poppler('pdftotext', ['-raw', '-f', '1', '-l', '1', simulated.file, '-']).replace(/\s+/g, ' ');
    expect(raw).toContain('모의 시스템에서 나왔습니다: CTI 에뮬레이터, 텔레메트리 시뮬레이터 (합성 호스트 지표·백업)');
  });

  it('repeats the breaches header on every page of a 300-row table', async () => {
    const many = { ...kpis, breaches: Array.from({ length: 300 }, (_, i) => breach(i)) };
    const long = await render(koInput(reportData({ kpis: many })), 'long');
    const header = /장애 번호\s+장애명\s+심각도\s+시스템\s+센터\s+SLA 구분\s+목표\s+산정 시간\s+기한/;
    expect(long.text(3)).toMatch(header);
    expect(long.text(3)).toMatch(/INC-0002\d\d/);
    expect(long.text(5)).toMatch(header);
    expect(long.text(3)).toContain('분기 서비스 리뷰 2026-Q1'); // running header
  });
});

describe('qsrReportInput', () => {
  it('renders the same HTML from its input stored as JSON (the reports table keeps it so)', () => {
    const input = koInput();
    const stored = JSON.parse(JSON.stringify(input)) as ReportInput;
    expect(renderReportHtml({ ...stored, documentDate: input.documentDate })).toBe(renderReportHtml(input));
  });

  it('is pure: the same data gives an equal input, charts included', () => {
    expect(koInput()).toEqual(koInput());
    expect(JSON.stringify(koInput())).toBe(JSON.stringify(koInput()));
  });

  it("pins each anomaly on its center's line at its day", () => {
    const option = koInput().charts!.callVolume!.option as {
      xAxis: { data: string[] };
      series: Array<{ name: string; markPoint: { data: Array<{ name: string; coord: [number, number] }> } }>;
    };
    const first = option.series.find((s) => s.name === '상담 1센터')!;
    expect(first.markPoint.data).toEqual([expect.objectContaining({ name: '급증', coord: [40, 4200] })]);
    expect(option.xAxis.data[40]).toBe('02. 10.');
    expect(option.series.find((s) => s.name === '상담 2센터')!.markPoint.data).toEqual([]);
  });

  it('shows the severity counts in P1…P4 order', () => {
    const option = koInput().charts!.bySeverity!.option as { series: Array<{ data: Array<{ value: number }> }> };
    expect(option.series[0]!.data.map((d) => d.value)).toEqual([3, 9, 20, 10]);
  });

  it("draws each trunk's daily peak as a share of its channels, the warning level dashed", () => {
    const option = koInput().charts!.trunkPeak!.option as {
      xAxis: { data: string[] };
      series: Array<{ name: string; data: number[]; markLine?: { data: Array<{ yAxis: number }> } }>;
    };
    expect(option.xAxis.data).toEqual(['01. 05.', '02. 10.', '02. 11.']);
    expect(option.series.map((x) => [x.name, x.data])).toEqual([
      ['9', [0, 40, 0]],
      ['223 (LN-000123)', [40, 80, 86.7]],
    ]);
    expect(option.series[0]!.markLine!.data).toEqual([{ yAxis: 80 }]);
    expect(renderReportHtml(koInput(reportData({ trunkUsage: undefined })))).toContain('트렁크 사용률 (일별 최대)');
  });

  it('renders without call volume', () => {
    const html = renderReportHtml(koInput(reportData({ callVolume: [], anomalies: [] })));
    expect(html).toContain('이상치 없음');
  });
});
