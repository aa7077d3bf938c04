import type { Device, DeviceSystem, Finding, InspectionState, Reading } from '../../domain/inspection/contracts';
import type { SystemTrendPoint } from '../../domain/qsr/contracts';
import { inspectionReportInput, READINGS_IN_FULL, simulatedInputs, type InspectionReportData } from '../../reports/inspection-report';
import { trendCharts } from '../../reports/report-parts';
import { renderReportHtml, type ReportInput } from '../../reports/render-report';
import { expectEscaped, expectNanumEmbedded, poppler, useReportRenderer } from './pdf-harness';

/** The monthly inspection report (월간 정기점검 보고서) through real Chromium, checked with poppler-utils. */

const HOSTILE = '<script>alert(1)</script>';
const CENTERS = ['상담 1센터', '상담 2센터', '상담 3센터'];
const SYSTEMS: DeviceSystem[] = ['PBX', 'CTI', 'IVR', 'REC', 'NET'];
const GiB = 2 ** 30;
const AS_OF = '2026-02-02T00:30:00.000Z'; // 2026-02-02 09:30 in Seoul
const COLLECTED = '2026-01-31T15:00:00.000Z';

const deviceId = (center: number, system: DeviceSystem) => `${system.toLowerCase()}-${center + 1}`;
const MODELS: Record<DeviceSystem, string> = { PBX: 'IPX-9000', CTI: 'CTI-Srv 7', IVR: 'VoiceGate 5', REC: 'RecStore 3', ERS: 'ERS 2', NET: 'L3-4800' };

const devices: Device[] = CENTERS.flatMap((center, c) =>
  SYSTEMS.map((system) => ({
    id: deviceId(c, system),
    center,
    system,
    name: system === 'REC' && c === 2 ? `REC-3 녹취 서버 ${HOSTILE}` : `${system}-${c + 1}${system === 'PBX' ? ' 교환기' : ''}`,
    model: MODELS[system],
    // The first center's PBX reaches end of sale in 25 days; its NET switch passed end of life last year.
    eosDate: system === 'PBX' && c === 0 ? '2026-02-27' : system === 'CTI' ? '2026-09-30' : null,
    eolDate: system === 'NET' && c === 0 ? '2025-12-31' : system === 'PBX' ? '2028-12-31' : null,
  })),
);

function readingsFor(device: Device, c: number): Reading[] {
  const base = {
    deviceId: device.id,
    center: device.center,
    system: device.system,
    collectedAt: COLLECTED,
    measuredBy: 'telemetry',
    source: 'vendor' as const,
  };
  const memory = device.system === 'PBX' && c === 0 ? 0.87 : 0.41 + c * 0.07;
  return [
    { ...base, metric: 'cpu', value: 23.5 + c * 4, capacity: 100, unit: 'percent' },
    { ...base, metric: 'memory', value: Math.round(memory * 32 * GiB), capacity: 32 * GiB, unit: 'bytes' },
    { ...base, metric: 'disk', value: Math.round((device.system === 'REC' && c === 2 ? 0.96 : 0.55) * 2048 * GiB), capacity: 2048 * GiB, unit: 'bytes' },
    ...(device.system === 'PBX' ? [{ ...base, metric: 'ports' as const, value: 1432, capacity: 2000, unit: 'count' as const }] : []),
  ];
}

const readings: Reading[] = [
  ...devices.flatMap((d) => readingsFor(d, CENTERS.indexOf(d.center))),
  {
    deviceId: 'rec-1',
    center: '상담 1센터',
    system: 'BACKUP',
    metric: 'backup-age',
    item: '녹취 DB 일일 백업',
    value: 9,
    capacity: null,
    unit: 'days',
    collectedAt: COLLECTED,
    measuredBy: 'backup',
    source: 'vendor',
  },
  {
    deviceId: 'pbx-1',
    center: '상담 1센터',
    system: 'ASSET',
    metric: 'eos',
    value: 25,
    capacity: null,
    unit: 'days',
    collectedAt: COLLECTED,
    measuredBy: 'asset-register',
    source: 'vendor',
  },
];

const proposal = (ko: string, en: string) => ({ ko, en });
const MEMORY = proposal('메모리 증설 또는 불필요 프로세스 정리 검토', 'Consider adding memory or cleaning up unneeded processes');
const DISK = proposal('로그·녹취 파일 정리 또는 디스크 증설 검토', 'Clean up logs and recordings or consider adding disk');

const findings: Finding[] = [
  {
    key: 'memory-usage:pbx-1:memory',
    ruleId: 'memory-usage',
    center: '상담 1센터',
    system: 'PBX',
    deviceId: 'pbx-1',
    metric: 'memory',
    severity: 'warning',
    value: 0.87,
    threshold: 0.8,
    proposal: MEMORY,
  },
  {
    key: 'disk-usage:rec-3:disk',
    ruleId: 'disk-usage',
    center: '상담 3센터',
    system: 'REC',
    deviceId: 'rec-3',
    metric: 'disk',
    severity: 'critical',
    value: 0.96,
    threshold: 0.95,
    proposal: DISK,
  },
  {
    key: 'backup-age:rec-1:backup-age:녹취 DB 일일 백업',
    ruleId: 'backup-age',
    center: '상담 1센터',
    system: 'BACKUP',
    deviceId: 'rec-1',
    metric: 'backup-age',
    item: '녹취 DB 일일 백업',
    severity: 'critical',
    value: 9,
    threshold: 7,
    proposal: proposal('백업 실패 원인 확인 및 즉시 백업 수행', 'Find out why backups fail and take a backup now'),
  },
  {
    key: 'hw-eos:pbx-1:eos',
    ruleId: 'hw-eos',
    center: '상담 1센터',
    system: 'ASSET',
    deviceId: 'pbx-1',
    metric: 'eos',
    severity: 'critical',
    value: 25,
    threshold: 30,
    proposal: proposal('장비 EOS 도래: 교체 계획 수립 및 유지보수 계약 확인', 'End of sale near: plan the replacement and check the support contract'),
  },
  {
    key: 'collection-failed:상담 3센터/IVR:-',
    ruleId: 'collection-failed',
    center: '상담 3센터',
    system: 'IVR',
    deviceId: null,
    metric: null,
    severity: 'warning',
    value: null,
    threshold: null,
    error: 'SNMP timeout 10.3.0.21:161',
    proposal: proposal('상담 3센터 IVR 점검 데이터 수집 실패: 모니터링 경로 점검 필요', 'Could not collect from IVR at 상담 3센터: check the monitoring path'),
  },
];

const collectors: InspectionState['collectors'] = CENTERS.flatMap((center) =>
  (['PBX', 'CTI', 'IVR', 'REC', 'NET', 'BACKUP', 'ASSET'] as const).map((system) =>
    center === '상담 3센터' && system === 'IVR'
      ? { center, system, status: 'failed' as const, devices: 0, readings: 0, error: 'SNMP timeout 10.3.0.21:161' }
      : { center, system, status: 'done' as const, devices: 1, readings: 3 },
  ),
);

const MONTHS = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01'];
const trends: SystemTrendPoint[] = MONTHS.flatMap((period, m) =>
  CENTERS.flatMap((center, c) => [
    ...SYSTEMS.flatMap((system) => [
      { period, center, system, metric: 'memory', value: (system === 'PBX' && c === 0 ? 0.62 : 0.4) + m * 0.05 },
      { period, center, system, metric: 'cpu', value: 0.2 + c * 0.04 + m * 0.01 },
      { period, center, system, metric: 'disk', value: (system === 'REC' ? 0.7 : 0.5) + m * 0.05 },
    ]),
    { period, center, system: 'BACKUP', metric: 'backup-age', value: m === 5 && c === 0 ? 9 : 1 },
  ]),
);

function reportData(overrides: Partial<InspectionReportData> = {}): InspectionReportData {
  return {
    inspection: { id: 'INS-000007', period: '2026-01', centers: CENTERS, startedAt: '2026-02-01T00:00:00.000Z', review: null },
    collectors,
    findings,
    incidents: [
      { findingKey: 'disk-usage:rec-3:disk', incidentId: 'INC-000101' },
      { findingKey: 'backup-age:rec-1:backup-age:녹취 DB 일일 백업', incidentId: 'INC-000102' },
      { findingKey: 'hw-eos:pbx-1:eos', incidentId: 'INC-000103' },
    ],
    devices,
    readings,
    trends,
    asOf: AS_OF,
    ...overrides,
  };
}

const DOCUMENT_DATE = new Date(AS_OF);
const koInput = (data = reportData()) => inspectionReportInput(data, { locale: 'ko', documentDate: DOCUMENT_DATE });

/** 300 memory findings over the devices: the findings table runs over several pages. */
function manyFindings(): Finding[] {
  return Array.from({ length: 300 }, (_, i) => {
    const d = devices[i % devices.length]!;
    return {
      ...findings[0]!,
      key: `memory-usage:${d.id}:memory:${i}`,
      center: d.center,
      system: d.system,
      deviceId: d.id,
      item: `슬롯 ${i + 1}`,
      value: 0.8 + (i % 15) / 100,
    };
  });
}

describe('inspection report (real Chromium)', () => {
  const { render } = useReportRenderer('inspection-report');
  let ko: Awaited<ReturnType<typeof render>>;

  beforeAll(async () => {
    ko = await render(koInput(), 'ko');
  });

  it('prints the summary, findings, readings, trends, EOS/EOL and proposals in Korean', () => {
    const text = ko.text();
    for (const heading of [
      '월간 정기점검 보고서 2026-01',
      '점검 개요',
      '점검 결과 (발견 사항)',
      '시스템별 측정값',
      '월별 추이',
      'EOS/EOL 도래 자산',
      '개선사항',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('2026. 01. 01. – 2026. 01. 31.'); // the header's period: the month, last day included
    expect(text).toMatch(/PBX-1 교환기\s+메모리\s+87\.0% \/ 80\.0%/);
    expect(text).toContain('백업 경과일');
    expect(text).toContain('9일 / 7일');
    // The cell wraps, and -layout interleaves it with its neighbours; content order keeps it whole.
    expect(poppler('pdftotext', ['-raw', ko.file, '-']).replace(/\s+/g, ' ')).toContain('수집 실패: SNMP timeout 10.3.0.21:161');
    expect(text).toContain('INC-000101');
    expect(text).toContain('메모리 증설 또는 불필요 프로세스 정리 검토');
    expect(text).toMatch(/PBX-1 교환기\s+IPX-9000\s+EOS \(판매 종료\)\s+2026\. 02\. 27\.\s+25일/);
    expect(text).toMatch(/경과 33일/); // the NET switch's EOL, 2025-12-31
    expect(text).toMatch(/PBX-1 교환기\s+포트\s+1,432\s+2,000\s+71\.6%/);
    expect(text).toMatch(/메모리 사용률 추이/);
  });

  it('draws one vector line chart per metric group', () => {
    const svgs = ko.html.match(/<svg/g) ?? [];
    expect(svgs).toHaveLength(4); // cpu, memory, disk, backup age
    expect(poppler('pdfimages', ['-list', ko.file]).trim().split('\n')).toHaveLength(2); // header lines only: no raster images
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
    const en = await render(inspectionReportInput(reportData(), { locale: 'en', documentDate: DOCUMENT_DATE }), 'en');
    const text = en.text();
    for (const heading of [
      'Monthly inspection report 2026-01',
      'Inspection summary',
      'Findings',
      'Readings by system',
      'Month-over-month trends',
      'Assets nearing EOS/EOL',
      'Improvement proposals',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Consider adding memory or cleaning up unneeded processes');
    expect(text).not.toContain('점검 개요');
  });

  it('has no SIMULATED DATA banner when every input came from a real system', () => {
    expect(ko.text()).not.toMatch(/SIMULATED DATA|모의 데이터/);
    expect(ko.html).not.toContain('class="simulated-banner"');
  });

  it('carries a visible "모의 데이터 / SIMULATED DATA" banner, on every page, when readings came from the telemetry simulator', async () => {
    const fromSimulator = readings.map((r) =>
      r.metric === 'cpu' || r.metric === 'memory' || r.metric === 'disk' ? { ...r, measuredBy: 'telemetry-simulator', source: 'simulated' as const } : r,
    );
    const data = reportData({ readings: fromSimulator, findings: [...findings, ...manyFindings()] });
    const rendered = await render(koInput(data), 'ko-simulated');
    const pages = Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [rendered.file]))![1]);
    expect(pages).toBeGreaterThan(2);
    for (let page = 1; page <= pages; page++)
      expect({ page, banner: rendered.text(page).includes('모의 데이터 / SIMULATED DATA') }).toEqual({ page, banner: true });
    const raw = poppler('pdftotext', ['-raw', '-f', '1', '-l', '1', rendered.file, '-']).replace(/\s+/g, ' ');
    expect(raw).toContain('이 보고서의 일부 입력은 실제 시스템이 아닌 모의 시스템에서 나왔습니다: 텔레메트리 시뮬레이터 (합성 호스트 지표·백업)');
    expect(raw).not.toContain('PBX 시뮬레이터');
    const en = await render(inspectionReportInput(data, { locale: 'en', documentDate: DOCUMENT_DATE }), 'en-simulated');
    expect(en.text(1).replace(/\s+/g, ' ')).toContain(
      'Some inputs of this report came from stand-ins, not from real systems: telemetry simulator (synthetic host metrics and backups)',
    );
  });

  it("summarises a large inventory's readings: per center and metric how many and the worst, and where all of them are", async () => {
    const big: Device[] = Array.from({ length: 1_000 }, (_, i) => ({
      ...devices[i % devices.length]!,
      id: `dev-${i}`,
      name: `장비 ${i}`,
      eosDate: null,
      eolDate: null,
    }));
    const bigReadings = big.flatMap((d) => readingsFor(d, CENTERS.indexOf(d.center)));
    expect(bigReadings.length).toBeGreaterThan(READINGS_IN_FULL);
    // dev-7 is an IVR of the second center: its CPU, planted highest, is that row's worst.
    expect(big[7]).toMatchObject({ center: '상담 2센터', system: 'IVR' });
    bigReadings.find((r) => r.deviceId === 'dev-7' && r.metric === 'cpu')!.value = 97.5;
    const ivr2 = big.filter((d) => d.center === '상담 2센터' && d.system === 'IVR').length;

    const rendered = await render(koInput(reportData({ devices: big, readings: bigReadings })), 'ko-large');
    const text = rendered.text().replace(/\s+/g, ' ');
    expect(text).toContain('측정값이 많아 센터·항목별 측정 건수와 가장 나쁜 값만 싣습니다.');
    expect(text).toContain(
      `전체 측정값 ${bigReadings.length.toLocaleString('ko-KR')}건은 다음 주소에서 받을 수 있습니다: GET /api/v1/inspections/INS-000007/readings`,
    );
    expect(text).toMatch(new RegExp(`상담 2센터 CPU ${ivr2} ${ivr2} 장비 7 97\\.5 ?%`));
    // One row per center and metric, not per reading: the other devices are not listed.
    expect(text).not.toMatch(/장비 22\b/);
    const pages = Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [rendered.file]))![1]);
    expect(pages).toBeLessThan(12);
  });

  it('repeats the findings header on every page of a 300-row table', async () => {
    const long = await render(koInput(reportData({ findings: manyFindings(), incidents: [] })), 'long');
    const header = /심각도\s+센터\s+시스템\s+장비\s+점검 항목\s+측정값 \/ 기준값\s+개선 제안\s+장애 번호/;
    expect(long.text(2)).toMatch(header);
    expect(long.text(2)).toContain('슬롯');
    expect(long.text(4)).toMatch(header);
    expect(long.text(2)).toContain('월간 정기점검 보고서 2026-01'); // running header
  });
});

describe('inspectionReportInput', () => {
  it("charts each trunk's daily peak of its channels in the month and tables it (the centers' trunks only)", () => {
    const trunk = (t: string, center: string, channels: number) => ({
      trunk: t,
      lineId: null,
      dn: null,
      center,
      description: null,
      channels,
      warnAtPercent: 80,
      criticalAtPercent: 95,
      source: 'recorded' as const,
      updatedBy: 'spm-kim',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    const input = koInput(
      reportData({
        trunkUsage: {
          trunks: [trunk('101', CENTERS[0]!, 10)],
          days: [
            { trunk: '101', date: '2026-01-12', calls: 80, minutes: 400, peakConcurrent: 9 },
            { trunk: '101', date: '2026-01-13', calls: 40, minutes: 200, peakConcurrent: 5 },
          ],
        },
      }),
    );
    const option = input.charts!.trunkPeak!.option as { series: Array<{ name: string; data: number[] }> };
    expect(option.series.map((x) => [x.name, x.data])).toEqual([['101', [90, 50]]]);
    const html = renderReportHtml(input);
    expect(html).toContain('트렁크 사용률 (일별 최대)');
    expect(html).toMatch(
      /<td>101<\/td><td>[^<]+<\/td><td class="num">10<\/td><td class="num">120<\/td><td class="num">9 \(90(\.0)?%\)<\/td><td class="num">1<\/td>/,
    );
    expect(koInput().charts!.trunkPeak).toBeUndefined();
  });

  it('renders the same HTML from its input stored as JSON (the reports table keeps it so)', () => {
    const input = koInput();
    const stored = JSON.parse(JSON.stringify(input)) as ReportInput;
    expect(renderReportHtml({ ...stored, documentDate: input.documentDate })).toBe(renderReportHtml(input));
  });

  it('is pure: the same data gives an equal input, charts included', () => {
    expect(koInput()).toEqual(koInput());
    expect(JSON.stringify(koInput())).toBe(JSON.stringify(koInput()));
  });

  it('lists a failed collector the findings do not mention, with its error', () => {
    const html = renderReportHtml(koInput(reportData({ findings: findings.filter((f) => f.error === undefined) })));
    expect(html).toContain('SNMP timeout 10.3.0.21:161');
  });

  it('sorts EOS/EOL by days left and leaves out dates beyond the horizon', () => {
    const { eos } = koInput().data as { eos: Array<{ device: string; daysLeft: number }> };
    expect(eos.map((r) => r.daysLeft)).toEqual([-33, 25, 240, 240, 240]);
    expect(eos.some((r) => r.daysLeft > 365)).toBe(false);
  });

  it('names each stand-in its readings came from, once; real readings name none', () => {
    expect(simulatedInputs(readings)).toEqual([]);
    expect(koInput().simulated).toEqual({ inputs: [] });
    const mixed: Reading[] = [
      { ...readings[0]!, measuredBy: 'pbx-simulator', source: 'simulated' },
      { ...readings[1]!, measuredBy: 'telemetry-simulator', source: 'simulated' },
      { ...readings[2]!, measuredBy: 'telemetry-simulator', source: 'simulated' },
      { ...readings[3]!, measuredBy: 'kamailio', source: 'vendor' },
    ];
    expect(koInput(reportData({ readings: mixed })).simulated).toEqual({ inputs: ['pbx-simulator', 'telemetry-simulator'] });
  });

  it('gives each distinct proposal once', () => {
    const data = reportData({ findings: [...findings, { ...findings[0]!, key: 'memory-usage:pbx-2:memory', deviceId: 'pbx-2', center: '상담 2센터' }] });
    const { proposals } = koInput(data).data as { proposals: Array<{ proposal: string; findings: number }> };
    expect(proposals.filter((p) => p.proposal === MEMORY.ko)).toEqual([expect.objectContaining({ findings: 2 })]);
  });

  it('charts each system at its worst center, in percent, over the last six months', () => {
    const [memory] = trendCharts(trends, 'ko', { idPrefix: 'trend', metrics: ['memory'] });
    const option = memory!.chart.option as { series: Array<{ name: string; data: Array<number | null> }>; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['2025년 8월', '2025년 9월', '2025년 10월', '2025년 11월', '2025년 12월', '2026년 1월']);
    expect(option.series.find((s) => s.name === 'PBX')!.data).toEqual([62, 67, 72, 77, 82, 87]);
  });
});
