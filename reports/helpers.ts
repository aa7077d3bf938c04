import Handlebars from 'handlebars';
import { dateFormat, DEFAULT_TIME_ZONE, formatDate, formatDateTime } from '../domain/calendar/format';
import { INTL_LOCALE, type ReportLocale } from '../domain/report/contracts';
import { FINDING_TITLES } from '../domain/billing/contracts';
import { SAVING_TITLES } from '../domain/billing/savings';

export { dateFormat, DEFAULT_TIME_ZONE, formatDate, formatDateTime, type ReportLocale };

/**
 * Template helpers for reports, registered on an isolated Handlebars instance.
 * Formatting goes through Intl formatters cached per locale + options; every
 * helper reads the report's locale and time zone from the render data
 * (`template(context, { data: { locale, timeZone } })`).
 */

const numberFormats = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: ReportLocale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(INTL_LOCALE[locale], options)));
  return f;
}

export function formatNumber(value: number, locale: ReportLocale, fractionDigits = 0): string {
  return numberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** `ratio` is a fraction: 0.934 → "93.4%". */
export function formatPercent(ratio: number, locale: ReportLocale, fractionDigits = 1): string {
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

const DURATION_UNITS: Record<ReportLocale, { h: string; m: string; s: string; sep: string }> = {
  ko: { h: '시간', m: '분', s: '초', sep: '' },
  en: { h: 'h', m: 'min', s: 's', sep: ' ' },
};

/** Milliseconds → "3시간 20분" / "3 h 20 min"; under a minute → "45초" / "45 s". */
export function formatDuration(ms: number, locale: ReportLocale): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  const u = DURATION_UNITS[locale];
  const n = (v: number) => formatNumber(v, locale);
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${n(totalSeconds)}${u.sep}${u.s}`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${n(h)}${u.sep}${u.h}`);
  if (m > 0 || h === 0) parts.push(`${n(m)}${u.sep}${u.m}`);
  return parts.join(' ');
}

/** The stand-ins a report can name in its SIMULATED DATA banner (by `STAND_IN_NAMES`); others print as named. */
const STAND_IN_LABELS: Record<string, Record<ReportLocale, string>> = {
  'telemetry-simulator': { ko: '텔레메트리 시뮬레이터 (합성 호스트 지표·백업)', en: 'telemetry simulator (synthetic host metrics and backups)' },
  'pbx-simulator': { ko: 'PBX 시뮬레이터 (SIP 미발신)', en: 'PBX simulator (no SIP sent)' },
  'cti-emulator': { ko: 'CTI 에뮬레이터', en: 'CTI emulator' },
};

/** Labels our templates use; a missing key is a template bug and fails the render. */
export const LABELS: Record<string, Record<ReportLocale, string>> = {
  page: { ko: '쪽', en: 'Page' },
  generatedAt: { ko: '작성 일시', en: 'Generated' },
  period: { ko: '기간', en: 'Period' },
  sourceHistory: { ko: '근거 이력 (sha256)', en: 'Source history (sha256)' },
  historyEvents: { ko: '개 이벤트', en: ' events' },
  auditAnchor: { ko: '감사 로그 앵커', en: 'Audit chain anchor' },
  anchorKey: { ko: '키', en: 'key' },
  anchorSealedFrom: { ko: '봉인 시작', en: 'sealed from' },
  anchorSignature: { ko: '앵커 서명 (Ed25519)', en: 'Anchor signature (Ed25519)' },
  simulatedNotice: {
    ko: '이 보고서의 일부 입력은 실제 시스템이 아닌 모의 시스템에서 나왔습니다',
    en: 'Some inputs of this report came from stand-ins, not from real systems',
  },
  summary: { ko: '요약', en: 'Summary' },
  note: { ko: '비고', en: 'Note' },
  date: { ko: '날짜', en: 'Date' },
  agent: { ko: '상담사', en: 'Agent' },
  channel: { ko: '채널', en: 'Channel' },
  calls: { ko: '통화 수', en: 'Calls' },
  handleTime: { ko: '처리 시간', en: 'Handle time' },
  answerRate: { ko: '응대율', en: 'Answer rate' },
  totalCalls: { ko: '총 통화 수', en: 'Total calls' },
  totalHandleTime: { ko: '총 처리 시간', en: 'Total handle time' },
  callsByChannel: { ko: '채널별 통화 수', en: 'Calls by channel' },
  callsByDay: { ko: '일별 통화 수 추이', en: 'Calls by day' },
  details: { ko: '상세 내역', en: 'Details' },
  // ---- shared by the incident, inspection and QSR reports
  severity: { ko: '심각도', en: 'Severity' },
  system: { ko: '시스템', en: 'System' },
  center: { ko: '센터', en: 'Center' },
  status: { ko: '상태', en: 'Status' },
  owner: { ko: '담당자', en: 'Owner' },
  dueDate: { ko: '완료 예정일', en: 'Due date' },
  dueAt: { ko: '기한', en: 'Due' },
  reason: { ko: '사유', en: 'Reason' },
  noData: { ko: '해당 데이터 없음', en: 'No data' },
  // ---- the SLA what-if (SLA 가정 분석)
  whatIfTitle: { ko: 'SLA 가정 분석', en: 'SLA what-if' },
  whatIfAsked: { ko: '가정', en: 'What was asked' },
  whatIfIntro: {
    ko: '기간 중 종료된 장애를, 보관된 워크플로 이력에서 읽은 시계 이벤트로 후보 정책·휴일 기준에 따라 다시 판정했습니다(읽은 결과는 감사 키로 봉인해 보관하고, 봉인이 맞을 때만 다시 씁니다). 저장된 결과는 바뀌지 않습니다. 취소된 장애는 취소 전 위반만 셉니다.',
    en: 'The incidents closed in the period, judged again from the clock events in their archived workflow histories under the candidate policies and holidays (what is read is kept sealed with the audit key, and used again only while the seal holds). No stored result changes. A cancelled incident counts only its breaches before the cancellation.',
  },
  whatIfIncidents: { ko: '장애 수', en: 'Incidents' },
  whatIfAddHolidays: { ko: '추가한 휴일', en: 'Holidays added' },
  whatIfRemoveHolidays: { ko: '뺀 휴일', en: 'Holidays removed' },
  whatIfCandidatePolicies: { ko: '후보 정책', en: 'Candidate policies' },
  whatIfNoPolicies: { ko: '후보 정책 없음: 각 장애는 접수 당시 정책으로 판정됩니다', en: 'No candidate policy: each incident is judged by its own' },
  whatIfComplexity: { ko: '복잡도', en: 'Complexity' },
  whatIfClock: { ko: '시계', en: 'Clock' },
  whatIfBusinessHours: { ko: '업무시간', en: 'business hours' },
  whatIfResponse: { ko: '응답', en: 'Response' },
  whatIfRestore: { ko: '복구', en: 'Restore' },
  whatIfBreaches: { ko: 'SLA 위반: 현재 대 후보', en: 'SLA breaches: now vs candidate' },
  whatIfNowTargets: { ko: '현재 목표 (응답 / 복구)', en: 'Targets now' },
  whatIfCandidateTargets: { ko: '후보 목표', en: 'Candidate' },
  whatIfResponseNow: { ko: '응답 위반 (현재)', en: 'Response, now' },
  whatIfResponseCandidate: { ko: '응답 위반 (후보)', en: 'Response, cand.' },
  whatIfRestoreNow: { ko: '복구 위반 (현재)', en: 'Restore, now' },
  whatIfRestoreCandidate: { ko: '복구 위반 (후보)', en: 'Restore, cand.' },
  whatIfTotal: { ko: '합계', en: 'Total' },
  whatIfDistribution: { ko: '복구 시간 분포 (목표 대비)', en: 'Restore times against the target' },
  whatIfShareOfTarget: { ko: '목표 대비', en: 'Share of target' },
  whatIfNow: { ko: '현재', en: 'Now' },
  whatIfCandidate: { ko: '후보', en: 'Candidate' },
  whatIfPercentiles: { ko: '복구 시간 (후보 시계)', en: 'Restore time (candidate clock)' },
  whatIfPercentileLine: { ko: '중앙값(p50)', en: 'median (p50)' },
  whatIfMax: { ko: '최대', en: 'max' },
  whatIfCancelledLeftOut: { ko: '취소되어 분포에서 뺀 장애', en: 'cancelled, left out of the distribution:' },
  whatIfFlips: { ko: '판정이 바뀌는 장애', en: 'Incidents that flip' },
  whatIfNoFlips: { ko: '판정이 바뀌는 장애가 없습니다', en: 'No incident flips' },
  whatIfIncident: { ko: '장애', en: 'Incident' },
  whatIfBecomes: { ko: '후보 기준', en: 'Under the candidate' },
  whatIfBreachesOne: { ko: '위반', en: 'breached' },
  whatIfMeets: { ko: '준수', en: 'met' },
  whatIfExplanation: { ko: '설명', en: 'Explanation' },
  whatIfSkipped: { ko: '판정하지 못한 장애', en: 'Incidents not judged' },
  // ---- audit trail (감사 추적) of one workflow history
  auditTrail: { ko: '감사 추적 보고서', en: 'Audit trail' },
  trailWorkflow: { ko: '워크플로', en: 'Workflow' },
  trailWorkflowId: { ko: '워크플로 ID', en: 'Workflow ID' },
  trailWorkflowType: { ko: '유형', en: 'Type' },
  trailRunId: { ko: '실행 ID', en: 'Run ID' },
  trailSource: { ko: '이력 출처', en: 'History source' },
  trailSource_archive: { ko: '보관 이력 (종료된 실행)', en: 'Archive (closed run)' },
  trailSource_export: { ko: '수시 추출 (실행 중 스냅숏)', en: 'On-demand export (running snapshot)' },
  trailCapturedAt: { ko: '이력 기준 일시', en: 'History taken at' },
  trailEvents: { ko: '이벤트 수', en: 'Events' },
  trailHash: { ko: '이력 해시 (sha256)', en: 'History hash (sha256)' },
  trailEventId: { ko: '번호', en: '#' },
  trailSlaProof: { ko: 'SLA 재계산 검증', en: 'SLA recomputed from the history' },
  trailSlaMatches: {
    ko: '이력에서 재계산한 SLA 결과가 워크플로 기록과 일치합니다.',
    en: 'The SLA result recomputed from the history matches what the workflow recorded.',
  },
  trailSlaDiffers: {
    ko: '이력에서 재계산한 SLA 결과가 워크플로 기록과 다릅니다:',
    en: 'The SLA result recomputed from the history differs from what the workflow recorded:',
  },
  // ---- incident report (장애 보고서)
  incidentReport: { ko: '장애 보고서', en: 'Incident report' },
  incidentSummary: { ko: '장애 개요', en: 'Incident summary' },
  incidentId: { ko: '장애 번호', en: 'Incident ID' },
  incidentTitle: { ko: '장애명', en: 'Title' },
  complexity: { ko: '복잡도', en: 'Complexity' },
  complexity_simple: { ko: '단순 장애', en: 'Simple' },
  complexity_complex: { ko: '복합 장애', en: 'Complex' },
  supportLevel: { ko: '지원 단계', en: 'Support level' },
  assignee: { ko: '담당자', en: 'Assignee' },
  openedAt: { ko: '접수 일시', en: 'Opened' },
  resolvedAt: { ko: '해결 일시', en: 'Resolved' },
  closedAt: { ko: '종료 일시', en: 'Closed' },
  description: { ko: '장애 내용', en: 'Description' },
  slaResult: { ko: 'SLA 결과', en: 'SLA result' },
  slaClock: { ko: 'SLA 구분', en: 'SLA clock' },
  clock_response: { ko: '응답', en: 'Response' },
  clock_restore: { ko: '복구', en: 'Restore' },
  clockKind_24x7: { ko: '24×7 (연중무휴)', en: '24×7' },
  clockKind_business: { ko: '업무 시간 (평일 09:00–18:00, 공휴일 제외)', en: 'Business hours (Mon–Fri 09:00–18:00, excl. holidays)' },
  calendarVersion: { ko: '휴일 달력 버전', en: 'Holiday calendar version' },
  target: { ko: '목표', en: 'Target' },
  countedTime: { ko: '산정 시간', en: 'Counted time' },
  targetUsed: { ko: '목표 대비', en: 'Of target' },
  result: { ko: '결과', en: 'Result' },
  slaMet: { ko: '충족', en: 'Met' },
  slaBreached: { ko: '위반', en: 'Breached' },
  slaPaused: { ko: '일시 정지', en: 'Paused' },
  slaRunning: { ko: '진행 중', en: 'Running' },
  slaNotApplicable: { ko: '해당 없음 (취소)', en: 'Not applicable (cancelled)' },
  slaReached: { ko: '도달', en: 'Reached' },
  slaExplanation: { ko: 'SLA 산정 근거', en: 'How the SLA was counted' },
  timeline: { ko: '처리 경과', en: 'Timeline' },
  time: { ko: '일시', en: 'Time' },
  event: { ko: '이벤트', en: 'Event' },
  actor: { ko: '처리자', en: 'Actor' },
  transition: { ko: '상태 변경', en: 'Status change' },
  detail: { ko: '내용', en: 'Detail' },
  resolution: { ko: '조치 내용', en: 'Resolution' },
  noteText: { ko: '메모', en: 'Note' },
  pend_customer: { ko: '고객 대기', en: 'Waiting on customer' },
  pend_vendor: { ko: '벤더 대기', en: 'Waiting on vendor' },
  evOpened: { ko: '접수', en: 'Opened' },
  evAssigned: { ko: '배정', en: 'Assigned' },
  evStarted: { ko: '처리 시작', en: 'Started' },
  evPended: { ko: '보류', en: 'Pending' },
  evResumed: { ko: '재개', en: 'Resumed' },
  evResolved: { ko: '해결', en: 'Resolved' },
  evReopened: { ko: '재오픈', en: 'Reopened' },
  evClosed: { ko: '종료', en: 'Closed' },
  evCancelled: { ko: '취소', en: 'Cancelled' },
  evEscalated: { ko: '에스컬레이션', en: 'Escalated' },
  evNote: { ko: '메모', en: 'Note' },
  evSlaWarning: { ko: 'SLA 경고', en: 'SLA warning' },
  evSlaBreached: { ko: 'SLA 위반', en: 'SLA breached' },
  evStatusReport: { ko: '상황 보고', en: 'Status report' },
  evRcaRecorded: { ko: '원인 분석 등록', en: 'RCA recorded' },
  evReportPublished: { ko: '보고서 발행', en: 'Report published' },
  evAlert: { ko: '모니터링 경보', en: 'Monitoring alert' },
  rca: { ko: '장애 원인 분석 (RCA)', en: 'Root-cause analysis (RCA)' },
  rcaMissing: { ko: 'RCA 미작성: 장애 원인 분석이 아직 등록되지 않았습니다.', en: 'No RCA yet: the root-cause analysis has not been recorded.' },
  revision: { ko: '개정', en: 'Revision' },
  rcaCause: { ko: '장애 원인', en: 'Cause' },
  rcaActions: { ko: '조치 사항', en: 'Actions taken' },
  preventionPlan: { ko: '재발 방지 대책', en: 'Recurrence-prevention plan' },
  preventionItem: { ko: '대책', en: 'Item' },
  // ---- monthly inspection report (월간 정기점검 보고서)
  inspectionReport: { ko: '월간 정기점검 보고서', en: 'Monthly inspection report' },
  inspectionSummary: { ko: '점검 개요', en: 'Inspection summary' },
  inspectionId: { ko: '점검 번호', en: 'Inspection ID' },
  inspectionPeriod: { ko: '점검 대상 월', en: 'Month inspected' },
  centers: { ko: '대상 센터', en: 'Centers' },
  startedAt: { ko: '점검 시작', en: 'Started' },
  asOf: { ko: '기준 일시', en: 'As of' },
  review: { ko: 'SPM 검토', en: 'SPM review' },
  reviewPending: { ko: '검토 전', en: 'Not yet reviewed' },
  review_approved: { ko: '승인', en: 'Approved' },
  review_returned: { ko: '반려', en: 'Returned' },
  devices: { ko: '점검 장비', en: 'Devices' },
  collectors: { ko: '수집 완료', en: 'Collections done' },
  collectorsFailed: { ko: '수집 실패', en: 'failed' },
  findings: { ko: '점검 결과 (발견 사항)', en: 'Findings' },
  sev_critical: { ko: '심각', en: 'Critical' },
  sev_warning: { ko: '경고', en: 'Warning' },
  incidentsOpened: { ko: '장애 등록', en: 'Incidents opened' },
  incident: { ko: '장애 번호', en: 'Incident' },
  device: { ko: '장비', en: 'Device' },
  metric: { ko: '점검 항목', en: 'Metric' },
  valueVsThreshold: { ko: '측정값 / 기준값', en: 'Value / threshold' },
  proposal: { ko: '개선 제안', en: 'Proposal' },
  collectionFailed: { ko: '수집 실패', en: 'Collection failed' },
  noFindings: { ko: '발견 사항 없음', en: 'No findings' },
  readingsBySystem: { ko: '시스템별 측정값', en: 'Readings by system' },
  readingsSummarised: {
    ko: '측정값이 많아 센터·항목별 측정 건수와 가장 나쁜 값만 싣습니다. 전체 측정값',
    en: 'Too many readings to print: per center and metric, how many were read and the worst. All readings',
  },
  readingsAvailableAt: { ko: '건은 다음 주소에서 받을 수 있습니다', en: ' are available at' },
  readingsCount: { ko: '측정 건수', en: 'Readings' },
  worstReading: { ko: '가장 나쁜 값', en: 'Worst reading' },
  value: { ko: '측정값', en: 'Value' },
  capacity: { ko: '용량', en: 'Capacity' },
  usage: { ko: '사용률', en: 'Usage' },
  monthlyTrends: { ko: '월별 추이', en: 'Month-over-month trends' },
  trendUsage: { ko: '사용률 추이 (시스템별 월간 최댓값)', en: 'usage (worst per system and month)' },
  trendDays: { ko: '추이 (시스템별 월간 최댓값)', en: 'trend (worst per system and month)' },
  eosAssets: { ko: 'EOS/EOL 도래 자산', en: 'Assets nearing EOS/EOL' },
  eosWithin: { ko: '기준: 남은 기간', en: 'Listed: due within' },
  model: { ko: '모델', en: 'Model' },
  milestone: { ko: '구분', en: 'Milestone' },
  milestone_eos: { ko: 'EOS (판매 종료)', en: 'EOS (end of sale)' },
  milestone_eol: { ko: 'EOL (지원 종료)', en: 'EOL (end of life)' },
  daysLeft: { ko: '남은 기간', en: 'Days left' },
  passedBy: { ko: '경과', en: 'passed' },
  unitDays: { ko: '일', en: ' d' },
  improvements: { ko: '개선사항', en: 'Improvement proposals' },
  relatedFindings: { ko: '관련 발견 건수', en: 'Findings' },
  metric_cpu: { ko: 'CPU', en: 'CPU' },
  metric_memory: { ko: '메모리', en: 'Memory' },
  metric_disk: { ko: '디스크', en: 'Disk' },
  metric_ports: { ko: '포트', en: 'Ports' },
  metric_trunks: { ko: '트렁크', en: 'Trunks' },
  'metric_trunk-peak': { ko: '트렁크 통화 피크', en: 'Trunk call peak' },
  metric_lines: { ko: '회선', en: 'Lines' },
  metric_licences: { ko: '라이선스', en: 'Licences' },
  metric_phones: { ko: '등록 전화기', en: 'Registered phones' },
  'metric_backup-age': { ko: '백업 경과일', en: 'Backup age' },
  metric_eos: { ko: 'EOS 잔여일', en: 'Days to EOS' },
  metric_eol: { ko: 'EOL 잔여일', en: 'Days to EOL' },
  system_BACKUP: { ko: '백업', en: 'Backup' },
  system_ASSET: { ko: '자산', en: 'Assets' },
  // ---- quarterly service review (분기 서비스 리뷰)
  qsrReport: { ko: '분기 서비스 리뷰', en: 'Quarterly service review' },
  qsrId: { ko: '리뷰 번호', en: 'Review ID' },
  quarter: { ko: '분기', en: 'Quarter' },
  qsrNotes: { ko: '참고: 이 리뷰는 다음 사항 없이 작성되었습니다.', en: 'Note: this review was prepared without the following.' },
  kpiSummary: { ko: 'SLA 지표 요약', en: 'SLA indicators' },
  totalIncidents: { ko: '총 장애 건수', en: 'Total incidents' },
  mttr: { ko: '평균 복구 시간 (MTTR)', en: 'Mean time to restore (MTTR)' },
  restoredComplex: { ko: '복합 장애 4시간 내 복구율', en: 'Complex restored within 4 h' },
  restoredAll: { ko: '전체 목표 내 복구율', en: 'All restored within target' },
  responseAttainment: { ko: '응답 목표 달성률', en: 'Response within target' },
  l1Resolution: { ko: 'L1 해결률', en: 'L1 resolution rate' },
  reopenRate: { ko: '재오픈율', en: 'Reopen rate' },
  incidentsBySeverity: { ko: '심각도별 장애 건수', en: 'Incidents by severity' },
  incidentsBySystem: { ko: '시스템별 장애 건수', en: 'Incidents by system' },
  incidentsByCenter: { ko: '센터별 장애 건수', en: 'Incidents by center' },
  incidentCount: { ko: '건수', en: 'Incidents' },
  shareOfTotal: { ko: '비율', en: 'Share' },
  noCenter: { ko: '센터 미지정', en: 'No center' },
  slaBreaches: { ko: 'SLA 위반 내역', en: 'SLA breaches' },
  noBreaches: { ko: 'SLA 위반 없음', en: 'No SLA breaches' },
  cancelledIncidents: { ko: '취소된 장애', en: 'Cancelled incidents' },
  cancelledAfterBreach: { ko: '위반 후 취소', en: 'cancelled after a breach' },
  cancelledMark: { ko: '취소됨', en: 'cancelled' },
  cancelReasons: { ko: '취소 사유', en: 'Reasons for cancellation' },
  cancelledNote: {
    ko: '취소된 장애는 건수와 비율에서 제외되지만, 취소 전에 발생한 SLA 위반은 위반 내역에 남습니다.',
    en: 'Cancelled incidents are left out of the counts and shares; an SLA breach before the cancellation stays in the breaches.',
  },
  systemStatus: { ko: '시스템 상태 추이', en: 'System status trends' },
  callVolume: { ko: '콜 인입량', en: 'Call volume' },
  callVolumeCaption: { ko: '센터별 일별 인입 콜 수 (핀: 이상치)', en: 'Daily offered calls per center (pins: anomalies)' },
  offeredCalls: { ko: '인입 콜', en: 'Offered' },
  trunkUsage: { ko: '트렁크 사용률 (일별 최대)', en: 'Trunk utilization (daily peak)' },
  trunkPeakCaption: {
    ko: '트렁크별 하루 중 동시 통화 최대치 ÷ 채널 수 (PBX 통화 기록, 점선: 경고 수준)',
    en: 'Most calls a trunk carried at once each day ÷ its channels (PBX call records; dashed: warning level)',
  },
  trunkPeakAxis: { ko: '최대 사용률 (%)', en: 'Peak (%)' },
  trunk: { ko: '트렁크', en: 'Trunk' },
  channels: { ko: '채널', en: 'Channels' },
  trunkCalls: { ko: '통화', en: 'Calls' },
  trunkPeak: { ko: '최대 동시 통화', en: 'Peak at once' },
  daysAtWarning: { ko: '경고 수준 도달 일수', en: 'Days at warning' },
  answeredCalls: { ko: '응대 콜', en: 'Answered' },
  anomalies: { ko: '콜 인입 이상치', en: 'Call volume anomalies' },
  anomalyKind: { ko: '유형', en: 'Kind' },
  anomaly_spike: { ko: '급증', en: 'Spike' },
  anomaly_drop: { ko: '급감', en: 'Drop' },
  expected: { ko: '예상값', en: 'Expected' },
  anomalyScore: { ko: '이상 점수', en: 'Score' },
  noAnomalies: { ko: '이상치 없음', en: 'No anomalies' },
  proposalTitle: { ko: '개선 과제', en: 'Proposal' },
  proposalDetail: { ko: '내용', en: 'Detail' },
  noProposals: { ko: '등록된 개선사항 없음', en: 'No proposals' },
  emergencyChanges: { ko: '긴급 변경 내역', en: 'Emergency changes' },
  emergencyChangesNote: {
    ko: '고객 사전 승인 없이 SPM 승인으로 즉시 적용된 변경입니다. 24시간 안에 고객 사후 승인이 없거나 고객이 반려한 건은 표시됩니다.',
    en: "Changes applied at once on the SPM's approval, without the customer's beforehand. Those without the customer's approval within 24 hours, or rejected by the customer, are flagged.",
  },
  emergencyChangesTotal: { ko: '긴급 변경', en: 'Emergency changes:' },
  emergencyFlaggedTotal: { ko: '고객 승인 누락·반려', en: 'without customer approval:' },
  unitCases: { ko: '건', en: '' },
  changeId: { ko: '변경 번호', en: 'Change' },
  changeType: { ko: '변경 유형', en: 'Type' },
  changeTarget: { ko: '대상', en: 'Target' },
  appliedAt: { ko: '적용 일시', en: 'Applied at' },
  changeOutcome: { ko: '결과', en: 'Outcome' },
  retroApproval: { ko: '고객 사후 승인', en: 'Customer approval afterwards' },
  flag: { ko: '표시', en: 'Flag' },
  emergencyFlag: { ko: '고객 승인 누락', en: 'NO CUSTOMER APPROVAL' },
  noEmergencyChanges: { ko: '긴급 변경 없음', en: 'No emergency changes' },
  retro_pending: { ko: '대기 중', en: 'Awaited' },
  retro_given: { ko: '승인', en: 'Given' },
  retro_rejected: { ko: '반려', en: 'Rejected' },
  retro_missing: { ko: '기한(24시간) 경과', en: 'Missing (24 h passed)' },
  retro_none: { ko: '해당 없음 (미적용)', en: 'Not asked (nothing applied)' },
  outcome_COMPLETED: { ko: '완료', en: 'Completed' },
  outcome_ROLLED_BACK: { ko: '원복', en: 'Rolled back' },
  outcome_FAILED: { ko: '실패 (변경 없음)', en: 'Failed (nothing changed)' },
  // ---- line cost analysis (회선 요금 분석) of a month's carrier bills
  billingReport: { ko: '회선 요금 분석', en: 'Line cost analysis' },
  billingReportId: { ko: '보고서 번호', en: 'Report ID' },
  billingMonth: { ko: '대상 월', en: 'Month' },
  billingNotes: { ko: '참고: 이 보고서는 다음 사항 없이 작성되었습니다.', en: 'Note: this report was prepared without the following.' },
  billSummary: { ko: '청구 요약', en: 'Bills of the month' },
  totalCost: { ko: '총 요금', en: 'Total cost' },
  billCount: { ko: '청구서', en: 'Bills' },
  unpaidBills: { ko: '미납 청구서', en: 'Unpaid bills' },
  billId: { ko: '청구서 번호', en: 'Bill' },
  carrier: { ko: '통신사', en: 'Carrier' },
  billLines: { ko: '회선 수', en: 'Lines' },
  billedTotal: { ko: '청구 금액', en: 'Billed' },
  billDueDate: { ko: '납부 기한', en: 'Due date' },
  billPaidOn: { ko: '납부일', en: 'Paid on' },
  billUnpaid: { ko: '미납', en: 'Unpaid' },
  noBills: { ko: '이 달의 청구서 없음', en: 'No bills this month' },
  billStatus_RECONCILING: { ko: '대사 중', en: 'Reconciling' },
  billStatus_AWAITING_REVIEW: { ko: '검토 대기', en: 'Awaiting review' },
  billStatus_APPROVED: { ko: '지급 승인', en: 'Approved for payment' },
  billStatus_PAID: { ko: '납부 완료', en: 'Paid' },
  billStatus_WITHDRAWN: { ko: '철회', en: 'Withdrawn' },
  billStatus_FAILED: { ko: '실패', en: 'Failed' },
  costByCenter: { ko: '센터별·통신사별 요금', en: 'Cost by center and carrier' },
  costByCenterCaption: {
    ko: '청구서 회선 번호를 회선 대장의 번호(DN)와 대조해 센터별로 합산 (대장에 없는 번호: 미확인)',
    en: "Each bill line's number matched to the inventory line with that DN (numbers not in the inventory: unidentified)",
  },
  unidentifiedCenter: { ko: '미확인', en: 'Unidentified' },
  rowTotal: { ko: '합계', en: 'Total' },
  unitKrw: { ko: '원', en: 'KRW' },
  costTrend: { ko: '최근 12개월 요금 추이', en: 'Cost over the last 12 months' },
  costTrendCaption: { ko: '통신사별 월 청구 금액 (청구서가 없는 달은 비어 있음)', en: 'Billed per carrier and month (gaps: no bill)' },
  trendMonth: { ko: '청구 월', en: 'Month' },
  noBillThatMonth: { ko: '청구서 없음', en: 'no bill' },
  billingFindings: { ko: '대사 결과와 이의 제기', en: 'Findings and disputes' },
  findingKind: { ko: '유형', en: 'Kind' },
  findingCount: { ko: '건수', en: 'Findings' },
  amountAtStake: { ko: '관련 금액', en: 'Amount at stake' },
  largestFindings: { ko: '금액이 큰 발견 사항 (상위 20건)', en: 'Largest findings (top 20)' },
  findingNumber: { ko: '번호', en: 'Number' },
  findingDetail: { ko: '내용', en: 'Detail' },
  disputeId: { ko: '이의 제기', en: 'Dispute' },
  noBillFindings: { ko: '발견 사항 없음', en: 'No findings' },
  disputes: { ko: '통신사 이의 제기', en: 'Disputes with carriers' },
  carrierReference: { ko: '통신사 접수 번호', en: 'Carrier reference' },
  amountClaimed: { ko: '청구 이의 금액', en: 'Amount claimed' },
  creditObtained: { ko: '환급·감면 금액', en: 'Credit obtained' },
  dispute_OPEN: { ko: '진행 중', en: 'Open' },
  dispute_SETTLED: { ko: '종결', en: 'Settled' },
  noDisputes: { ko: '이의 제기 없음', en: 'No disputes' },
  savingsProposals: { ko: '절감 제안', en: 'Savings proposals' },
  savingsAsOf: { ko: '기준일', en: 'As of' },
  savingKind: { ko: '제안', en: 'Proposal' },
  savingSubject: { ko: '대상', en: 'Subject' },
  monthlySaving: { ko: '월 절감액', en: 'Monthly saving' },
  totalMonthlySaving: { ko: '월 절감액 합계', en: 'Total monthly saving' },
  noSavings: { ko: '절감 제안 없음', en: 'No savings proposed' },
  savingsUnavailable: { ko: '절감 제안을 불러오지 못했습니다 (참고 사항 참조)', en: 'The savings proposals were not available (see the note above)' },
  subjectLine: { ko: '회선', en: 'Line' },
  subjectTrunk: { ko: '트렁크', en: 'Trunk' },
  'findingKind_unknown-number': { ko: FINDING_TITLES['unknown-number'], en: 'Unknown number' },
  'findingKind_missing-from-bill': { ko: FINDING_TITLES['missing-from-bill'], en: 'Line missing from the bill' },
  'findingKind_charged-after-termination': { ko: FINDING_TITLES['charged-after-termination'], en: 'Charged after termination' },
  'findingKind_base-fee-mismatch': { ko: FINDING_TITLES['base-fee-mismatch'], en: 'Base fee ≠ contract' },
  'findingKind_usage-spike': { ko: FINDING_TITLES['usage-spike'], en: 'Usage spike' },
  'findingKind_duplicate-number': { ko: FINDING_TITLES['duplicate-number'], en: 'Duplicate number' },
  'savingKind_idle-line': { ko: SAVING_TITLES['idle-line'], en: 'Terminate idle line' },
  'savingKind_oversized-trunk': { ko: SAVING_TITLES['oversized-trunk'], en: 'Fewer trunk channels' },
  'savingKind_plan-dearer-than-use': { ko: SAVING_TITLES['plan-dearer-than-use'], en: 'Change plan' },
};

export function label(key: string, locale: ReportLocale): string {
  const entry = LABELS[key];
  if (!entry) throw new Error(`unknown report label: ${key}`);
  return entry[locale];
}

/** A CSS string literal safe inside a <style> element (for @page margin boxes). */
export function cssString(value: string): string {
  return `"${String(value).replace(/[^\p{L}\p{N} .,:\-_()/]/gu, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

type HelperOptions = Handlebars.HelperOptions;
interface RenderData {
  locale: ReportLocale;
  timeZone?: string;
}

function renderData(options: HelperOptions): RenderData {
  const data = options.data as RenderData | undefined;
  if (!data?.locale) throw new Error('report templates need { data: { locale } } at render time');
  return data;
}

/** Numeric hash argument or default, e.g. `{{number x digits=1}}`. */
const digits = (options: HelperOptions, fallback: number) => (typeof options.hash.digits === 'number' ? (options.hash.digits as number) : fallback);

/** A fresh Handlebars instance with the report helpers registered (and nothing global). */
export function createTemplateEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('number', (v: number, o: HelperOptions) => formatNumber(v, renderData(o).locale, digits(o, 0)));
  hb.registerHelper('percent', (v: number, o: HelperOptions) => formatPercent(v, renderData(o).locale, digits(o, 1)));
  hb.registerHelper('date', (v: unknown, o: HelperOptions) => formatDate(v, renderData(o).locale, renderData(o).timeZone));
  hb.registerHelper('datetime', (v: unknown, o: HelperOptions) => formatDateTime(v, renderData(o).locale, renderData(o).timeZone));
  hb.registerHelper('duration', (v: number, o: HelperOptions) => formatDuration(v, renderData(o).locale));
  hb.registerHelper('t', (key: string, o: HelperOptions) => label(key, renderData(o).locale));
  // Returns a SafeString: cssString escapes everything that could end the string or the <style> element.
  hb.registerHelper('cssString', (v: string) => new hb.SafeString(cssString(v)));
  hb.registerHelper('standIn', (name: string, o: HelperOptions) => STAND_IN_LABELS[name]?.[renderData(o).locale] ?? name);
  return hb;
}
