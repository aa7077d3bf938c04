import { saveQsr } from '../../db/qsrs.repo';
import type { QsrState } from '../../domain/qsr/contracts';
import { QsrSummary } from '../../domain/qsr/view';
import type { ReviewStatus } from '../../domain/report/contracts';
import { fieldPaths, SUBJECTS, useHarness } from './harness';

/**
 * GET /api/v1/qsr: the quarterly service reviews newest first, filtered by quarter and status,
 * paged like the other lists; rows count the indicators, anomalies and proposals instead of listing them.
 * The rows are written by the workflow's own projection (saveQsr), as a run would leave them.
 */
const h = useHarness();

function qsr(n: number, quarter: string, status: ReviewStatus, startedAt: string, withKpis = false): QsrState {
  const share = { numerator: 1, denominator: 2, ratio: 0.5 };
  return {
    id: `QSR-${String(900000 + n)}`,
    quarter,
    status,
    requestedBy: { id: SUBJECTS.spm, role: 'spm' },
    startedAt,
    updatedAt: startedAt,
    kpis: withKpis
      ? {
          from: '2026-06-30T15:00:00.000Z',
          to: '2026-09-30T15:00:00.000Z',
          incidents: { total: 7, bySeverity: { P1: 2, P2: 2, P3: 2, P4: 1 }, bySystem: { PBX: 7 }, byCenter: { 상담1센터: 7 } },
          mttrMs: 3_600_000,
          restoredWithinTarget: { complex: share, all: share },
          responseAttainment: share,
          l1Resolution: share,
          reopenRate: share,
          breaches: [
            {
              incidentId: 'INC-000001',
              title: '교환기 장애',
              severity: 'P1',
              system: 'PBX',
              center: null,
              clock: 'restore',
              targetSeconds: 14_400,
              elapsedSeconds: 18_000,
              dueAt: null,
            },
          ],
        }
      : null,
    anomalies: withKpis ? [{ date: '2026-08-11', center: '상담1센터', offered: 9000, expected: 900, score: 12, kind: 'spike' }] : [],
    proposals: withKpis ? [{ title: '교환기 이중화', detail: '예비 교환기 도입' }] : [],
    report: null,
    review: null,
    deliveredAt: null,
    failure: null,
    notes: [],
  };
}

beforeAll(async () => {
  const rows = [
    qsr(1, '2026-Q1', 'DELIVERED', '2026-04-02T00:00:00.000Z'),
    qsr(2, '2026-Q2', 'RETURNED', '2026-07-02T00:00:00.000Z'),
    qsr(3, '2026-Q2', 'DELIVERED', '2026-07-03T00:00:00.000Z'),
    qsr(4, '2026-Q3', 'AWAITING_REVIEW', '2026-10-02T00:00:00.000Z', true),
  ];
  for (const r of rows) await saveQsr(h.pool, `qsr-${r.id}`, r, 1);
});

const list = (query = '', token = h.tokens.auditor) => h.call('get', `/api/v1/qsr${query}`, { token });

test('newest first, every role may read it; a row counts what the review holds, field for field as documented', async () => {
  for (const role of ['admin', 'spm', 'engineer', 'auditor', 'automation'] as const) expect((await list('', h.tokens[role])).status).toBe(200);
  const all = await list();
  expect(all.body.total).toBe(4);
  expect(all.body.items.map((r: { id: string }) => r.id)).toEqual(['QSR-900004', 'QSR-900003', 'QSR-900002', 'QSR-900001']);
  const [newest, older] = all.body.items;
  expect(QsrSummary.strict().parse(newest)).toEqual(newest);
  expect(newest).toMatchObject({ quarter: '2026-Q3', status: 'AWAITING_REVIEW', incidents: 7, breaches: 1, anomalies: 1, proposals: 1 });
  expect(newest).not.toHaveProperty('kpis');
  expect(older).toMatchObject({ quarter: '2026-Q2', incidents: null, breaches: null, anomalies: 0, proposals: 0 });
});

test('filters by quarter and status, pages with limit and offset (total counts every match)', async () => {
  const q2 = await list('?quarter=2026-Q2');
  expect(q2.body.items.map((r: { id: string }) => r.id)).toEqual(['QSR-900003', 'QSR-900002']);
  expect(q2.body.total).toBe(2);
  const delivered = await list('?status=DELIVERED');
  expect(delivered.body.items.map((r: { id: string }) => r.id)).toEqual(['QSR-900003', 'QSR-900001']);
  expect((await list('?quarter=2026-Q2&status=RETURNED')).body.items.map((r: { id: string }) => r.id)).toEqual(['QSR-900002']);
  const page = await list('?limit=2&offset=1');
  expect(page.body).toMatchObject({ total: 4 });
  expect(page.body.items.map((r: { id: string }) => r.id)).toEqual(['QSR-900003', 'QSR-900002']);
  expect((await list('?quarter=2025-Q4')).body).toEqual({ items: [], total: 0 });
});

test('a bad filter is a 400 naming the field', async () => {
  const bad = await list('?quarter=2026-3&status=DONE&limit=0&colour=red');
  expect(bad.status).toBe(400);
  expect(fieldPaths(bad.body)).toEqual(['query.colour', 'query.limit', 'query.quarter', 'query.status']);
});

test('the OpenAPI document carries the list, the QSR and the KPI response schemas', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const row = doc.paths['/api/v1/qsr'].get.responses['200'].content['application/json'].schema.properties.items.items;
  expect(Object.keys(row.properties)).toEqual(expect.arrayContaining(['id', 'quarter', 'status', 'incidents', 'breaches', 'anomalies', 'proposals']));
  expect(doc.paths['/api/v1/qsr'].get.operationId).toBe('getQsr');
  const one = doc.paths['/api/v1/qsr/{id}'].get.responses['200'].content['application/json'].schema;
  expect(Object.keys(one.properties)).toEqual(expect.arrayContaining(['kpis', 'anomalies', 'proposals', 'report', 'review']));
  const inspection = doc.paths['/api/v1/inspections/{id}'].get.responses['200'].content['application/json'].schema;
  expect(Object.keys(inspection.properties)).toEqual(expect.arrayContaining(['progress', 'collectors', 'findings', 'incidents', 'report']));
  const kpis = doc.paths['/api/v1/kpis'].get.responses['200'].content['application/json'].schema;
  expect(Object.keys(kpis.properties)).toEqual(expect.arrayContaining(['incidents', 'mttrMs', 'responseAttainment', 'breaches']));
});
