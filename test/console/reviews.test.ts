/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { demoDevices } from '../../db/device-seed';
import { upsertDevices } from '../../db/devices.repo';
import { incidentBody, SUBJECTS, useHarness } from '../api/harness';
import { archiveFixtureIncidents } from '../support/archived-incidents';
import { eventually } from '../support/eventually';
import type { Json } from '../support/json';
import { accessibilityViolations, errorBeside, pdfPagesDrawn, setValue, text, texts, useBrowser } from './browser';

/**
 * The reviews area of the console in a real browser against the real stack: a monthly inspection
 * run by the real worker (collectors reading the real Kamailio, the CTI emulator and the telemetry
 * simulator) and a quarterly review, each awaiting review; the SPM reviews them from their PDF pages.
 */

const h = useHarness({ vendors: true });
const browser = useBrowser(h);

const CENTER = '상담3센터';
const GIB = 2 ** 30;
let inspectionId = '';
let qsrId = '';

async function simulator(method: string, route: string, body?: unknown): Promise<void> {
  const res = await fetch(`${h.vendors!.telemetrySimulator.url}/__simulator${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /__simulator${route} → ${res.status} ${await res.text()}`);
}

/** A run as the API reads it (the workflow runs in real time: read it again until it has moved on). */
async function run(path: string): Promise<Json> {
  const res = await h.call('get', path, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

const memory = (ratio: number) => [
  { name: 'cpu', value: 20, capacity: 100, unit: 'percent' },
  { name: 'memory', value: ratio * 32 * GIB, capacity: 32 * GIB, unit: 'bytes' },
  { name: 'disk', value: 300e9, capacity: 960e9, unit: 'bytes' },
];

beforeAll(async () => {
  await upsertDevices(
    h.pool,
    demoDevices().filter((d) => d.center === CENTER),
  );
  // One recording server past the critical line (95 %), the other past the warning line (80 %).
  await simulator('PUT', '/devices/C3-REC-01/metrics', { metrics: memory(0.97) });
  await simulator('PUT', '/devices/C3-REC-02/metrics', { metrics: memory(0.85) });
  for (const severity of ['P1', 'P3'])
    expect((await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ severity }) })).status).toBe(201);

  const inspection = await h.call('post', '/api/v1/inspections', { token: h.tokens.spm, body: { period: '2026-10', centers: [CENTER] } });
  expect(inspection.status).toBe(201);
  inspectionId = inspection.body.id;
  const qsr = await h.call('post', '/api/v1/qsr', { token: h.tokens.spm, body: { quarter: '2026-Q3' } });
  expect(qsr.status).toBe(201);
  qsrId = qsr.body.id;
  for (const path of [`/api/v1/inspections/${inspectionId}`, `/api/v1/qsr/${qsrId}`])
    expect(
      (
        await eventually(
          () => run(path),
          (s) => s.status !== 'RUNNING',
          90_000,
        )
      ).status,
    ).not.toBe('RUNNING');
});

test('the lists: inspections and QSRs in tabs, the tab and filters in the URL (reload, Back); axe passes on both', async () => {
  const page = await browser.signedIn('spm', '/reviews');
  await page.waitForSelector('table.inspections tbody tr');
  expect(await texts(page, 'table.inspections tbody td.id')).toEqual([inspectionId]);
  expect(await text(page, 'table.inspections tbody td.status')).toBe('검토 대기');
  expect(await texts(page, 'table.inspections thead th[scope=col]')).toContain('점검 결과 수');
  // The SPM may run one: the form is offered.
  expect(await texts(page, '.action-form summary')).toEqual(['점검 실행']);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.select('form.filters select', 'DELIVERED');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'DELIVERED');
  await page.waitForFunction(() => document.querySelector('main section p')?.textContent === '해당하는 점검이 없습니다.');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('main section p')?.textContent === '해당하는 점검이 없습니다.');
  expect(await page.$eval('form.filters select', (s) => (s as HTMLSelectElement).value)).toBe('DELIVERED');
  await page.goBack();
  await page.waitForSelector('table.inspections tbody tr');

  await Promise.all([page.waitForSelector('table.qsrs tbody tr'), page.click('nav.views a[href="/reviews?tab=qsr"]')]);
  expect(new URL(page.url()).searchParams.get('tab')).toBe('qsr');
  expect(await texts(page, 'table.qsrs tbody td.id')).toEqual([qsrId]);
  expect(await text(page, 'table.qsrs tbody td.quarter')).toBe('2026-Q3');
  expect(await texts(page, '.action-form summary')).toEqual(['분기 리뷰 준비']);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.reload();
  await page.waitForSelector('table.qsrs tbody tr');
  await page.browserContext().close();
});

test('an auditor reads an inspection awaiting review but is offered no approve or send back (and the server refuses a forged one)', async () => {
  const page = await browser.signedIn('auditor', `/reviews/inspections/${inspectionId}`);
  await page.waitForSelector('.review-panel p');
  expect(await text(page, '.review-panel p')).toBe('SPM의 검토를 기다리고 있습니다.');
  expect(await page.$$('.review-panel button, .review-panel textarea')).toHaveLength(0);
  expect(await accessibilityViolations(page)).toEqual([]);
  const forged = await page.evaluate(
    async (id, token) =>
      (
        await fetch(`/api/v1/inspections/${id}/approve`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    inspectionId,
    h.tokens.auditor,
  );
  expect(forged).toBe(403);

  await page.goto(`${h.baseUrl}/reviews`);
  await page.waitForSelector('table.inspections tbody tr');
  expect(await page.$$('.action-form')).toHaveLength(0);
  await page.browserContext().close();
});

test('an SPM opens the inspection from the list, sees its findings by severity and its PDF drawn inline, and approves it there; the server records it', async () => {
  const page = await browser.signedIn('spm', '/reviews');
  await page.waitForSelector('table.inspections tbody tr');
  await Promise.all([page.waitForSelector('.review-form'), page.click(`a[href="/reviews/inspections/${inspectionId}"]`)]);
  expect(await text(page, 'h1')).toBe(`${inspectionId} 월간 점검 2026-10`);
  expect(await text(page, 'dl.facts dd .review-status')).toBe('검토 대기');

  // Findings grouped by severity, the severity in words: the critical group first.
  expect(await texts(page, '.finding-group h3')).toEqual([expect.stringMatching(/^심각 \(\d+\)$/), expect.stringMatching(/^경고 \(\d+\)$/)]);
  const critical = await texts(page, '.finding-group.critical tbody tr');
  expect(critical).toEqual(expect.arrayContaining([expect.stringMatching(/^심각.*C3-REC-01/)]));
  expect(await texts(page, '.finding-group.warning tbody tr')).toEqual(expect.arrayContaining([expect.stringMatching(/^경고.*C3-REC-02/)]));
  const server = (await h.call('get', `/api/v1/inspections/${inspectionId}`, { token: h.tokens.auditor })).body;
  expect(await page.$$eval('.finding-group tbody tr', (rows) => rows.length)).toBe(server.findings.length);
  // The incidents its critical findings opened, each a link to the incident's page.
  expect(server.incidents.length).toBeGreaterThan(0);
  expect(await page.$$eval('a[href^="/incidents/"]', (links) => links.map((a) => a.textContent))).toEqual(
    server.incidents.map((i: { incidentId: string }) => i.incidentId),
  );

  expect(await pdfPagesDrawn(page)).toBeGreaterThan(0);
  expect(await text(page, '.pdf-view .sha')).toBe(server.report.sha256);

  // The readings, read when asked for.
  await page.click('section[aria-labelledby="readings-title"] summary');
  await page.waitForSelector('table.readings tbody tr');
  expect(await page.$$eval('table.readings tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.type('.review-form textarea', '점검 결과 확인, 고객사 발송 승인');
  await page.click('.review-form button.approve');
  await page.waitForFunction(() => document.querySelector('dl.facts dd .review-status')?.textContent === '승인·발송됨');
  expect(await texts(page, '.review-decision dd')).toEqual(expect.arrayContaining(['승인', `${SUBJECTS.spm} (spm)`, '점검 결과 확인, 고객사 발송 승인']));
  expect(await page.$$('.review-form')).toHaveLength(0);

  const recorded = (await h.call('get', `/api/v1/inspections/${inspectionId}`, { token: h.tokens.auditor })).body;
  expect(recorded).toMatchObject({
    status: 'DELIVERED',
    review: { decision: 'approved', by: { id: SUBJECTS.spm, role: 'spm' }, comments: '점검 결과 확인, 고객사 발송 승인' },
  });
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});

test('a QSR is shown with its indicators and PDF; send back without comments shows the API’s complaint beside the field and records nothing', async () => {
  const page = await browser.signedIn('spm', `/reviews/qsr/${qsrId}`);
  await page.waitForSelector('.review-form');
  expect(await text(page, 'h1')).toBe(`${qsrId} 분기 리뷰 2026-Q3`);
  expect(await texts(page, 'table.indicators tbody th')).toEqual(expect.arrayContaining(['장애 건수', '응답 목표 달성률', 'SLA 위반']));
  expect(await pdfPagesDrawn(page)).toBeGreaterThan(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.click('.review-form button.return');
  await page.waitForSelector('.review-form .field-error');
  expect(await text(page, '.review-form .field-error')).toMatch(/^반려하려면 의견을 입력하세요/);
  // Tied to the field (aria-invalid, aria-describedby): a screen reader reads the complaint with it.
  expect(await errorBeside(page, '.review-form textarea')).toMatch(/^반려하려면 의견을 입력하세요/);
  expect(await accessibilityViolations(page)).toEqual([]);
  expect((await h.call('get', `/api/v1/qsr/${qsrId}`, { token: h.tokens.auditor })).body).toMatchObject({ status: 'AWAITING_REVIEW', review: null });

  // An improvement proposal, entered on the page: the report is rendered again with it.
  const before = (await h.call('get', `/api/v1/qsr/${qsrId}`, { token: h.tokens.auditor })).body.report.version;
  const fields = await page.$$('.proposal-form input, .proposal-form textarea');
  await fields[0]!.type('야간 교환기 이중화');
  await fields[1]!.type('야간 시간대 장애 복구 지연을 줄이기 위해 예비 교환기를 상시 대기로 둡니다.');
  await page.click('.proposal-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('ol.proposals li strong')?.textContent === '야간 교환기 이중화');
  const proposed = (await h.call('get', `/api/v1/qsr/${qsrId}`, { token: h.tokens.auditor })).body;
  expect(proposed.proposals).toEqual([{ title: '야간 교환기 이중화', detail: expect.stringContaining('예비 교환기') }]);
  expect(proposed.report.version).toBeGreaterThan(before);
  expect(await pdfPagesDrawn(page)).toBeGreaterThan(0);

  // Sent back with what to fix: recorded as returned.
  await page.type('.review-form textarea', '콜 인입량 이상 원인을 보완해 주세요');
  await page.click('.review-form button.return');
  await page.waitForFunction(() => document.querySelector('dl.facts dd .review-status')?.textContent === '반려됨');
  expect((await h.call('get', `/api/v1/qsr/${qsrId}`, { token: h.tokens.auditor })).body).toMatchObject({
    status: 'RETURNED',
    review: { decision: 'returned', by: { id: SUBJECTS.spm }, comments: '콜 인입량 이상 원인을 보완해 주세요' },
  });
  await page.browserContext().close();
});

test('the KPIs page draws its charts (SVG) beside tables of the same numbers as the API; the period lives in the URL', async () => {
  const day = (offset: number) => new Date(Date.now() + 9 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [day(-30), day(2)];
  const page = await browser.signedIn('engineer', `/reviews/kpis?from=${from}&to=${to}`);
  await page.waitForSelector('.kpi-chart svg');
  expect(await page.$$eval('.kpi-chart svg', (svgs) => svgs.length)).toBe(2);
  // The bars are drawn: paths inside the SVG.
  expect(await page.$$eval('.kpi-chart svg path', (paths) => paths.length)).toBeGreaterThan(0);

  const api = (await h.call('get', `/api/v1/kpis?from=${from}&to=${to}`, { token: h.tokens.engineer })).body;
  expect(api.incidents.bySeverity.P1).toBeGreaterThanOrEqual(1);
  const rows = await page.$$eval('table.kpi-severity tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
  );
  expect(rows).toEqual(['P1', 'P2', 'P3', 'P4'].map((s) => [s, String(api.incidents.bySeverity[s])]));
  expect(await texts(page, 'table.indicators tbody tr td')).toContain(String(api.incidents.total));
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.reload();
  await page.waitForSelector('.kpi-chart svg');
  expect(await page.$eval('form.filters input[type=date]', (el) => (el as HTMLInputElement).value)).toBe(from);
  await page.browserContext().close();
});

test('an SPM runs an inspection from the list: a month left out is refused beside its field; the new run’s page follows it until it awaits review', async () => {
  const page = await browser.signedIn('spm', '/reviews');
  await page.waitForSelector('table.inspections tbody tr');
  await page.click('.action-form summary');
  await page.click('.action-form button[type=submit]');
  await page.waitForSelector('.action-form .field-error');
  expect(await page.$eval('.action-form input[type=month]', (el) => el.getAttribute('aria-invalid'))).toBe('true');
  expect(await accessibilityViolations(page)).toEqual([]);

  // A month input is typed differently per locale; its value is set as the browser would on a pick.
  await setValue(page, '.action-form input[type=month]', '2026-11');
  await page.type('.action-form input[type=text]', CENTER);
  await Promise.all([page.waitForFunction(() => location.pathname.startsWith('/reviews/inspections/INS-')), page.click('.action-form button[type=submit]')]);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  expect(id).not.toBe(inspectionId);
  await page.waitForFunction(() => document.querySelector('dl.facts dd .review-status')?.textContent === '검토 대기', { timeout: 90_000 });
  expect(await text(page, 'h1')).toBe(`${id} 월간 점검 2026-11`);
  expect((await h.call('get', `/api/v1/inspections/${id}`, { token: h.tokens.auditor })).body).toMatchObject({
    period: '2026-11',
    centers: [CENTER],
    status: 'AWAITING_REVIEW',
    requestedBy: { id: SUBJECTS.spm, role: 'spm' },
  });
  await page.browserContext().close();
});

test('the SLA what-if: the SPM ticks a candidate from the current policies, judges again and reads the flips as the API gives them; an engineer is not offered it', async () => {
  const archived = await archiveFixtureIncidents(h.pool, '2026-11-10T03:00:00.000Z');
  const p1 = [...archived.values()].find((a) => a.proof.policy.severity === 'P1')!.proof.policy;
  const page = await browser.signedIn('spm', '/reviews/what-if');
  await page.waitForSelector('table.what-if-policies tbody tr');
  // Every severity and complexity, starting from the current policies.
  expect((await texts(page, 'table.what-if-policies tbody th')).length).toBe(8);
  const dates = await page.$$('form[aria-label] input[type=date]');
  await setValue(page, dates[0]!, '2026-11-01');
  await setValue(page, dates[1]!, '2026-12-01');
  const row = `${p1.severity} ${p1.complexity === 'complex' ? '복합' : '단순'}`;
  await page.click(`input[type=checkbox][aria-label="후보에 포함: ${row}"]`);
  const restore = `input[aria-label="복구 목표 (분): ${row}"]`;
  await page.$eval(restore, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(restore, '1');
  await page.click('.what-if .actions button[type=submit]');
  await page.waitForSelector('.what-if-answer');

  const api = (
    await h.call('post', '/api/v1/sla/what-if', {
      token: h.tokens.spm,
      body: {
        from: '2026-11-01',
        to: '2026-12-01',
        policies: [
          { severity: p1.severity, complexity: p1.complexity, clock: p1.clock, responseTargetSeconds: p1.responseTargetSeconds, restoreTargetSeconds: 60 },
        ],
      },
    })
  ).body as { incidents: number; flips: Array<{ incidentId: string; title: string; explanation: { ko: string } }> };
  expect(api.flips.length).toBeGreaterThan(0);
  expect(await texts(page, '.what-if-flips li')).toEqual(api.flips.map((f) => `${f.incidentId} ${f.title} ${f.explanation.ko}`));
  expect(await text(page, '#what-if-answer')).toBe(`판정 결과 (${api.incidents}건)`);
  expect(await accessibilityViolations(page)).toEqual([]);

  // A bad holiday is refused beside the form, naming the field.
  await page.type('form[aria-label] > label:nth-of-type(1) input', '2026-13-01');
  await page.click('.what-if .actions button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('[role=alert]')].some((e) => e.textContent?.includes('calendar.addHolidays.0')));
  await page.browserContext().close();

  const engineer = await browser.signedIn('engineer', '/reviews/what-if');
  await engineer.waitForSelector('[role=alert]');
  expect(await text(engineer, '[role=alert]')).toBe('SLA 가정 분석은 관리자, SPM, 감사인만 할 수 있습니다.');
  expect(await texts(engineer, '.area-nav a')).not.toContain('SLA 가정 분석 (What-if)');
  await engineer.browserContext().close();
});
