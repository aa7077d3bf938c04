import { makeCalendar } from '../../domain/calendar/calendar-version';
import { koreanHolidayDates } from '../../domain/calendar/holidays-kr';
import type { IncidentState, Rca } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import { applyTransition, openIncident, record } from '../../domain/incident/lifecycle';
import { incidentView } from '../../domain/incident/view';
import { incidentReportInput, type IncidentReportData } from '../../reports/incident-report';
import { renderReportHtml, type ReportInput } from '../../reports/render-report';
import { expectEscaped, expectNanumEmbedded, poppler, useReportRenderer } from './pdf-harness';

/** The incident report (장애 보고서) through real Chromium, checked with poppler-utils. */

const HOSTILE = '<script>alert(1)</script>';
const spm: Actor = { id: '김서준', role: 'spm' };
const engineer: Actor = { id: '이도윤', role: 'engineer' };
const kst = (local: string) => new Date(`${local}+09:00`).toISOString();

/** A complex P1 on the PBX: answered in time, restored after the 4 h target (2026-03-10 is an ordinary Tuesday). */
function pbxOutage(extraNotes = 0): IncidentState {
  const state = openIncident({
    id: 'INC-000012',
    title: `상담 1센터 PRI 트렁크 단절 ${HOSTILE}`,
    description: '09:05 모니터링 경보: PRI 트렁크 2회선 D채널 다운.\n인입 콜 일부 통화 불가.',
    severity: 'P1',
    complexity: 'complex',
    system: 'PBX',
    center: '상담 1센터',
    source: 'monitoring',
    openedBy: spm,
    openedAt: kst('2026-03-10T09:05:00'),
    sla: {
      severity: 'P1',
      complexity: 'complex',
      clock: '24x7',
      responseTargetSeconds: 15 * 60,
      restoreTargetSeconds: 4 * 3600,
      statusReportIntervalSeconds: 1800,
      autoCloseAfterSeconds: 5 * 86400,
      calendar: makeCalendar(koreanHolidayDates()),
    },
  });
  const act = (local: string, request: Parameters<typeof applyTransition>[1]) => applyTransition(state, request, kst(local));
  act('2026-03-10T09:12:00', { action: 'assign', body: { assignee: '이도윤' }, actor: spm });
  act('2026-03-10T09:15:00', { action: 'start', body: {}, actor: engineer });
  act('2026-03-10T10:00:00', { action: 'escalate', body: { reason: '교환기 벤더 분석 필요' }, actor: spm });
  act('2026-03-10T10:05:00', { action: 'pend', body: { reason: 'vendor', note: '벤더 원격 점검 대기' }, actor: engineer });
  record(state, 'sla-warning', { id: 'butler', role: 'system' }, kst('2026-03-10T11:05:00'), {
    details: { clock: 'restore', percent: 50, dueAt: kst('2026-03-10T13:05:00') },
  });
  act('2026-03-10T11:30:00', { action: 'resume', body: {}, actor: engineer });
  for (let i = 0; i < extraNotes; i++) {
    act('2026-03-10T12:00:00', { action: 'notes', body: { text: `점검 로그 ${i + 1}: 트렁크 상태 확인` }, actor: engineer });
  }
  act('2026-03-10T12:10:00', { action: 'notes', body: { text: `고객 메모 ${HOSTILE}` }, actor: spm });
  record(state, 'sla-breached', { id: 'butler', role: 'system' }, kst('2026-03-10T13:05:00'), {
    details: { clock: 'restore', dueAt: kst('2026-03-10T13:05:00') },
  });
  act('2026-03-10T13:40:00', { action: 'resolve', body: { resolution: 'PRI 카드 교체 후 D채널 정상화' }, actor: engineer });
  act('2026-03-11T09:00:00', { action: 'close', body: {}, actor: spm });
  return state;
}

const RCA: Rca = {
  cause: 'PBX PRI 인터페이스 카드의 전원부 불량으로 D채널이 반복 재시작됨',
  actions: 'PRI 카드 교체, 트렁크 재등록, 통화 시험 20건 정상 확인',
  prevention: [
    { item: '예비 PRI 카드 현장 비치', owner: '박지호', dueDate: '2026-03-31' },
    { item: 'D채널 상태 감시 임계치 추가', owner: '최수아', dueDate: '2026-04-15' },
  ],
  recordedBy: spm,
  recordedAt: kst('2026-03-12T10:00:00'),
  revision: 1,
};

function reportData(state = pbxOutage(), rca: Rca | null = RCA): IncidentReportData {
  return { incident: incidentView(state, kst('2026-03-12T12:00:00'), { explain: true }), rca };
}

const DOCUMENT_DATE = new Date('2026-03-12T03:00:00Z');
const koInput = (data = reportData()) => incidentReportInput(data, { locale: 'ko', documentDate: DOCUMENT_DATE });

describe('incident report (real Chromium)', () => {
  const { render } = useReportRenderer('incident-report');
  let ko: Awaited<ReturnType<typeof render>>;

  beforeAll(async () => {
    ko = await render(koInput(), 'ko');
  });

  it('prints the summary, SLA result with its explanation, timeline and RCA in Korean', () => {
    const text = ko.text();
    for (const heading of ['장애 보고서 INC-000012', '장애 개요', 'SLA 결과', 'SLA 산정 근거', '처리 경과', '장애 원인 분석 (RCA)', '재발 방지 대책']) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/응답\s+15분\s+7분\s+46\.7%.*충족/);
    expect(text).toMatch(/복구\s+4시간\s+4시간 35분\s+114\.6%.*위반/);
    expect(text).toContain('restore: elapsed 16500 s of 14400 s');
    expect(text).toContain('상담 1센터');
    expect(text).toContain('L1 → L2'); // the escalation
    expect(text).toContain('벤더 대기');
    expect(text).toContain('2026. 03. 10. 09:05');
    expect(text).toContain('PBX PRI 인터페이스 카드의 전원부 불량');
    expect(text).toMatch(/예비 PRI 카드 현장 비치\s+박지호\s+2026\. 03\. 31\./);
    expect(text).toContain('최수아');
    expect(text).not.toContain('RCA 미작성');
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
    // The builder is pure: the same data gives an equal input.
    expect(koInput()).toEqual(koInput());
  });

  it('says clearly when there is no RCA yet', async () => {
    const without = await render(koInput(reportData(pbxOutage(), null)), 'no-rca');
    const text = without.text();
    expect(text).toContain('RCA 미작성');
    expect(text).not.toContain('재발 방지 대책');
  });

  it('renders English headings in the English locale', async () => {
    const en = await render(incidentReportInput(reportData(), { locale: 'en', documentDate: DOCUMENT_DATE }), 'en');
    const text = en.text();
    for (const heading of [
      'Incident report INC-000012',
      'Incident summary',
      'SLA result',
      'How the SLA was counted',
      'Timeline',
      'Root-cause analysis (RCA)',
      'Recurrence-prevention plan',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/Restore\s+4 ?h\s+4 ?h 35 ?min\s+114\.6%.*Breached/);
    expect(text).toContain('Waiting on vendor');
    expect(text).not.toContain('장애 개요');
  });

  it('repeats the timeline header on every page of a long timeline', async () => {
    const long = await render(koInput(reportData(pbxOutage(300))), 'long');
    const pages = Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [long.file]))![1]);
    expect(pages).toBeGreaterThan(4);
    const header = /#\s+일시\s+이벤트\s+처리자\s+상태 변경\s+내용/;
    expect(long.text(3)).toMatch(header);
    expect(long.text(3)).toContain('점검 로그');
    expect(long.text(pages - 1)).toMatch(header);
    expect(long.text(3)).toContain('장애 보고서 INC-000012'); // running header
  });
});

describe('incidentReportInput', () => {
  it('renders the same HTML from its input stored as JSON (the reports table keeps it so)', () => {
    const input = koInput();
    const stored = JSON.parse(JSON.stringify(input)) as ReportInput;
    expect(renderReportHtml({ ...stored, documentDate: input.documentDate })).toBe(renderReportHtml(input));
  });

  it('needs the SLA explanation, so a report never silently drops it', () => {
    const incident = incidentView(pbxOutage(), kst('2026-03-12T12:00:00'));
    expect(() => incidentReportInput({ incident, rca: RCA }, { locale: 'ko', documentDate: DOCUMENT_DATE })).toThrow(/explain: true/);
  });

  it('renders HTML without a browser, titles in both locales', () => {
    const html = renderReportHtml(koInput());
    expect(html).toContain('<title>장애 보고서 INC-000012</title>');
    expect(incidentReportInput(reportData(), { locale: 'en', documentDate: DOCUMENT_DATE }).title).toBe('Incident report INC-000012');
  });
});
