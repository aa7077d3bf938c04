import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBrowserPool, type BrowserPool } from '../../reports/browser-pool';
import { createReportRenderer, type ReportInput } from '../../reports/render-report';
import { createReportStore, parseReportInput } from '../../reports/report-store';
import { latestReport, reportInput, reportPdf } from '../../db/reports.repo';
import { freshDatabase } from '../support/db';
import { poppler } from './pdf-harness';

/** Stored reports: PDF, sha256 and input in PostgreSQL; the stored input re-renders to the same bytes; a retry renders nothing. */

const input = (note: string): ReportInput => ({
  template: 'sample/report',
  locale: 'ko',
  title: '보관 보고서 시험',
  documentDate: new Date('2026-10-01T00:00:00Z'),
  data: {
    period: { from: '2026-09-01T00:00:00+09:00', to: '2026-09-30T00:00:00+09:00' },
    note,
    totals: { calls: 1234, handleTimeMs: 3_600_000, answerRate: 0.9 },
    rows: [{ day: '2026-09-01T03:00:00Z', agent: '김민준', channel: '전화', calls: 12, handleTimeMs: 60_000, answerRate: 0.95 }],
  },
  charts: {
    byChannel: {
      width: 400,
      height: 200,
      option: { xAxis: { type: 'category', data: ['전화'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [12] }] },
    },
  },
});

let db: Awaited<ReturnType<typeof freshDatabase>>;
let browser: BrowserPool;
let renders = 0;

beforeAll(async () => {
  db = await freshDatabase();
  browser = createBrowserPool();
});
afterAll(async () => {
  await browser?.close();
  await db?.drop();
});

function store() {
  const renderer = createReportRenderer({ browser });
  return createReportStore({
    pool: db.pool,
    renderer: { renderReport: (i: ReportInput) => ((renders += 1), renderer.renderReport(i)) },
  });
}

test('the stored PDF, its hash and its input; re-rendering the stored input gives the same bytes', async () => {
  const ref = await store()('qsr', 'QSR-000077', 1, input('첫 판'));
  expect(ref).toMatchObject({ reportId: 'QSR-000077-R1', kind: 'qsr', subjectId: 'QSR-000077', version: 1 });

  const stored = (await reportPdf(db.pool, ref.reportId))!;
  expect(createHash('sha256').update(stored.pdf).digest('hex')).toBe(ref.sha256);
  expect(stored.pdf.byteLength).toBe(ref.bytes);
  const file = path.join(tmpdir(), `${ref.reportId}-${process.pid}.pdf`);
  writeFileSync(file, stored.pdf);
  expect(ref.pages).toBe(Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))![1]));
  rmSync(file);

  const again = await createReportRenderer({ browser }).renderReport(parseReportInput((await reportInput(db.pool, ref.reportId))!));
  expect(again.sha256).toBe(ref.sha256);
});

test('a retried render of the same version finds the stored row and renders nothing', async () => {
  const first = await store()('inspection', 'INS-000042', 1, input('원본'));
  const before = renders;
  const retried = await store()('inspection', 'INS-000042', 1, input('원본'));
  expect(renders).toBe(before);
  expect(retried).toEqual(first);

  const second = await store()('inspection', 'INS-000042', 2, input('수정본'));
  expect(second.sha256).not.toBe(first.sha256);
  expect((await latestReport(db.pool, 'INS-000042'))?.version).toBe(2);
});
