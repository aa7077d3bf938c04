import { emergencyChangesBetween, saveChange } from '../../db/changes.repo';
import { makeCalendar } from '../../domain/calendar/calendar-version';
import { applyTransition, openIncident } from '../../domain/incident/lifecycle';
import { incidentView } from '../../domain/incident/view';
import { incidentReportInput } from '../../reports/incident-report';
import { submitChange } from '../../domain/change/lifecycle';
import { moveTo } from '../../domain/event-log';
import { computeKpis } from '../../domain/qsr/kpis';
import { monthBounds, quarterBounds } from '../../domain/report/periods';
import { inspectionReportInput, type InspectionReportData } from '../../reports/inspection-report';
import { qsrReportInput, type QsrReportData } from '../../reports/qsr-report';
import { renderReportHtml } from '../../reports/render-report';
import { freshDatabase } from '../support/db';
import { seedEmergencyChange } from '../support/emergency-changes';
import { useReportRenderer } from './pdf-harness';

/**
 * Every report lists the period's emergency changes (긴급 변경): read from the change read model in PostgreSQL,
 * printed by real Chromium, read back with pdftotext; those without the customer's approval are flagged.
 */

let db: Awaited<ReturnType<typeof freshDatabase>>;
const { render } = useReportRenderer('emergency-changes');
const JANUARY = monthBounds('2026-01');
const SPM = { id: 'spm.kim', role: 'spm' } as const;
const Q1 = quarterBounds('2026-Q1');

beforeAll(async () => {
  db = await freshDatabase();
  // January (Seoul): one flagged (no approval within 24 h), one approved afterwards.
  await seedEmergencyChange(db.pool, { id: 'CHG-000501', target: '1센터 휴일', appliedAt: '2026-01-10T02:00:00.000Z', retro: 'missing' });
  await seedEmergencyChange(db.pool, { id: 'CHG-000502', target: '2센터 휴일', appliedAt: '2026-01-20T02:00:00.000Z', outcome: 'ROLLED_BACK', retro: 'given' });
  // February: rejected by the customer afterwards (flagged); only the quarter lists it.
  await seedEmergencyChange(db.pool, { id: 'CHG-000503', target: '3센터 휴일', appliedAt: '2026-02-03T02:00:00.000Z', retro: 'rejected' });
  // 2025-12-31 23:30 in Seoul: December's, not January's.
  await seedEmergencyChange(db.pool, { id: 'CHG-000500', target: '1센터 휴일', appliedAt: '2025-12-31T14:30:00.000Z', retro: 'missing' });
  // A normal change applied in January is no emergency change.
  const normal = submitChange({
    id: 'CHG-000504',
    type: 'ivr-holidays',
    target: '1센터 휴일',
    params: {},
    window: { start: '2026-01-15T01:00:00.000Z', end: '2026-01-15T03:00:00.000Z' },
    reason: '정기 반영',
    requestedBy: { id: 'eng.lee', role: 'engineer' },
    requestedAt: '2026-01-12T01:00:00.000Z',
    timing: { approvalDeadlineMs: 3_600_000, approvalReminderMs: 3_600_000 },
  });
  moveTo(normal, 'APPLYING', 'taking a snapshot', { id: 'butler', role: 'system' }, '2026-01-15T01:00:00.000Z');
  moveTo(normal, 'COMPLETED', 'completed', { id: 'butler', role: 'system' }, '2026-01-15T01:02:00.000Z');
  await saveChange(db.pool, normal);
});
afterAll(() => db?.drop());

test('the month and the quarter read the emergency changes applied in them, flagging those without the customer approval', async () => {
  const month = await emergencyChangesBetween(db.pool, JANUARY.from, JANUARY.to);
  expect(month.map((e) => [e.id, e.outcome, e.retroApproval, e.flagged])).toEqual([
    ['CHG-000501', 'COMPLETED', 'missing', true],
    ['CHG-000502', 'ROLLED_BACK', 'given', false],
  ]);
  expect(month[0]).toMatchObject({ type: 'ivr-holidays', target: '1센터 휴일', appliedAt: '2026-01-10T02:00:00.000Z' });
  const quarter = await emergencyChangesBetween(db.pool, Q1.from, Q1.to);
  expect(quarter.map((e) => [e.id, e.flagged])).toEqual([
    ['CHG-000501', true],
    ['CHG-000502', false],
    ['CHG-000503', true],
  ]);
});

const inspectionData = (overrides: Partial<InspectionReportData> = {}): InspectionReportData => ({
  inspection: { id: 'INS-000050', period: '2026-01', centers: ['상담 1센터'], startedAt: '2026-02-01T00:00:00.000Z', review: null },
  collectors: [],
  findings: [],
  incidents: [],
  devices: [],
  readings: [],
  trends: [],
  asOf: '2026-02-02T00:30:00.000Z',
  ...overrides,
});

test('the monthly inspection report lists them under 긴급 변경 내역, the missing approval flagged', async () => {
  const emergencyChanges = await emergencyChangesBetween(db.pool, JANUARY.from, JANUARY.to);
  const pdf = await render(
    inspectionReportInput(inspectionData({ emergencyChanges }), { locale: 'ko', documentDate: new Date('2026-02-02T00:30:00Z') }),
    'inspection',
  );
  const text = pdf.text();
  expect(text).toContain('긴급 변경 내역');
  expect(text).toMatch(/긴급 변경 2건\s*·\s*고객 승인 누락·반려 1건/);
  expect(text).toMatch(/CHG-000501\s+ivr-holidays\s+1센터 휴일\s+.*완료\s+기한\(24시간\) 경과\s+고객 승인 누락/);
  expect(text).toMatch(/CHG-000502\s+ivr-holidays\s+2센터 휴일\s+.*원복\s+승인\s+—/);
  expect(text).not.toContain('CHG-000503');
  expect(text).not.toContain('CHG-000504');
});

test('the QSR lists the quarter’s and flags the missing and the rejected; English too', async () => {
  const emergencyChanges = await emergencyChangesBetween(db.pool, Q1.from, Q1.to);
  const data: QsrReportData = {
    qsr: { id: 'QSR-000050', quarter: '2026-Q1', ...Q1 },
    kpis: computeKpis([], Q1, '2026-04-03T01:00:00Z'),
    trends: [],
    callVolume: [],
    anomalies: [],
    proposals: [],
    emergencyChanges,
  };
  const ko = (await render(qsrReportInput(data, { locale: 'ko', documentDate: new Date('2026-04-03T01:00:00Z') }), 'qsr-ko')).text();
  expect(ko).toContain('긴급 변경 내역');
  expect(ko).toMatch(/긴급 변경 3건\s*·\s*고객 승인 누락·반려 2건/);
  expect(ko).toMatch(/CHG-000503\s+ivr-holidays\s+3센터 휴일\s+.*완료\s+반려\s+고객 승인 누락/);
  const en = (await render(qsrReportInput(data, { locale: 'en', documentDate: new Date('2026-04-03T01:00:00Z') }), 'qsr-en')).text();
  expect(en).toContain('Emergency changes');
  expect(en).toMatch(/CHG-000501\s+.*Missing \(24 h passed\)\s+NO CUSTOMER APPROVAL/);
});

test('the incident report lists those applied while the incident was open', async () => {
  const state = openIncident({
    id: 'INC-000051',
    title: '1센터 IVR 휴일 안내 오류',
    description: '휴일 안내가 평일에 재생됨',
    severity: 'P2',
    complexity: 'simple',
    system: 'IVR',
    center: '상담 1센터',
    source: 'customer',
    openedBy: SPM,
    openedAt: '2026-01-10T01:00:00.000Z',
    sla: {
      severity: 'P2',
      complexity: 'simple',
      clock: '24x7',
      responseTargetSeconds: 1800,
      restoreTargetSeconds: 4 * 3600,
      statusReportIntervalSeconds: 3600,
      autoCloseAfterSeconds: 5 * 86400,
      calendar: makeCalendar([]),
    },
  });
  applyTransition(state, { action: 'assign', body: { assignee: 'eng.lee' }, actor: SPM }, '2026-01-10T01:05:00.000Z');
  applyTransition(state, { action: 'start', body: {}, actor: { id: 'eng.lee', role: 'engineer' } }, '2026-01-10T01:10:00.000Z');
  applyTransition(state, { action: 'resolve', body: { resolution: '긴급 변경으로 휴일 일정 복구' }, actor: SPM }, '2026-01-10T03:00:00.000Z');
  applyTransition(state, { action: 'close', body: {}, actor: SPM }, '2026-01-11T00:00:00.000Z');
  // As the report activity reads them: from the opening to the closing.
  const emergencyChanges = await emergencyChangesBetween(db.pool, state.openedAt, state.closedAt!);
  const input = incidentReportInput(
    { incident: incidentView(state, '2026-01-12T00:00:00.000Z', { explain: true }), rca: null, emergencyChanges },
    { locale: 'ko', documentDate: new Date('2026-01-12T00:00:00Z') },
  );
  const text = (await render(input, 'incident')).text();
  expect(text).toContain('긴급 변경 내역');
  expect(text).toMatch(/긴급 변경 1건\s*·\s*고객 승인 누락·반려 1건/);
  expect(text).toMatch(/CHG-000501\s+ivr-holidays\s+1센터 휴일/);
  expect(text).not.toContain('CHG-000502');
});

test('a report input stored before emergency changes were reported renders as it did: no section', () => {
  const old = inspectionReportInput(inspectionData(), { locale: 'ko', documentDate: new Date('2026-02-02T00:30:00Z') });
  expect(old.data).not.toHaveProperty('emergencyChanges');
  expect(renderReportHtml(old)).not.toContain('긴급 변경');
  const none = inspectionReportInput(inspectionData({ emergencyChanges: [] }), { locale: 'ko', documentDate: new Date('2026-02-02T00:30:00Z') });
  expect(renderReportHtml(none)).toContain('긴급 변경 없음');
});
