/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { ElementHandle, Page } from 'puppeteer-core';
import { incidentBody, SUBJECTS, useHarness } from '../api/harness';
import type { Json } from '../support/json';
import { accessibilityViolations, pdfPagesDrawn, setValue, text, texts, useBrowser } from './browser';
import { webhook } from '../support/alertmanager';

/**
 * The incident pages in a real browser against the real stack: an SPM works an incident from the
 * new-incident form to CLOSED without leaving the console; a seconds-long policy breaches in front
 * of her; the queue's bulk assignment and its "not updated in 24 h" tile.
 */

const h = useHarness();
const browser = useBrowser(h);

/** The control of the form field whose label reads `label` (Field ties them by id). */
async function field(page: Page, label: string, within = 'main'): Promise<ElementHandle<HTMLInputElement>> {
  const handle = await page.waitForFunction(
    (scope, text) => {
      const found = [...document.querySelectorAll(`${scope} .field label`)].find((l) => l.textContent === text) as HTMLLabelElement | undefined;
      return found ? document.getElementById(found.htmlFor) : null;
    },
    {},
    within,
    label,
  );
  return handle as ElementHandle<HTMLInputElement>;
}

/** The complaint shown under the field labelled `label`, or null. */
const fieldError = (page: Page, label: string) =>
  page.$$eval(
    'main .field',
    (fields, text) => fields.find((f) => f.querySelector('label')?.textContent === text)?.querySelector('.field-error')?.textContent ?? null,
    label,
  );

async function clickButton(page: Page, scope: string, label: string): Promise<void> {
  const button = await page.waitForFunction(
    (s, t) => [...document.querySelectorAll(`${s} button`)].find((b) => b.textContent === t && !(b as HTMLButtonElement).disabled) ?? null,
    {},
    scope,
    label,
  );
  await (button as ElementHandle<HTMLButtonElement>).click();
}

const statusIs = (page: Page, status: string) =>
  page.waitForFunction((s) => document.querySelector('dd.status')?.getAttribute('data-status') === s, {}, status);

async function incident(id: string): Promise<Record<string, Json>> {
  return (await h.call<Record<string, Json>>('get', `/api/v1/incidents/${id}`, { token: h.tokens.auditor })).body;
}

test('an SPM takes an incident from the new-incident form to CLOSED in the browser, the API’s complaints beside their fields', async () => {
  const page = await browser.signedIn('spm', '/incidents/new');
  await page.waitForSelector('main form.form');
  expect(await accessibilityViolations(page)).toEqual([]);

  // Nothing typed: the API's 400 names title and description, and each shows under its own field.
  await clickButton(page, 'main form.form', '접수');
  await page.waitForFunction(() => document.querySelectorAll('main .field-error').length >= 2);
  expect(await fieldError(page, '제목')).toBeTruthy();
  expect(await fieldError(page, '설명')).toBeTruthy();
  expect(await fieldError(page, '심각도')).toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);

  await (await field(page, '제목')).type('3센터 IVR 시나리오 오류');
  await (await field(page, '설명')).type('영업시간 외 안내 멘트가 재생되지 않음');
  await (await field(page, '심각도')).select('P2');
  await (await field(page, '시스템')).select('IVR');
  await clickButton(page, 'main form.form', '접수');
  await page.waitForFunction(() => /^\/incidents\/INC-\d+$/.test(location.pathname));
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await statusIs(page, 'OPEN');
  expect(await incident(id)).toMatchObject({ title: '3센터 IVR 시나리오 오류', severity: 'P2', system: 'IVR', openedBy: { id: SUBJECTS.spm } });

  // Only what OPEN allows is offered.
  const offered = () => page.$$eval('section.actions .action-buttons button', (b) => b.map((x) => x.textContent));
  expect(await offered()).toEqual(['배정', '취소', '에스컬레이션']);

  await clickButton(page, 'section.actions .action-buttons', '배정');
  expect(await (await field(page, '담당자', 'section.actions')).evaluate((el) => el.value)).toBe(SUBJECTS.spm);
  expect(await accessibilityViolations(page)).toEqual([]);
  await clickButton(page, 'section.actions form', '배정');
  await statusIs(page, 'ASSIGNED');
  await clickButton(page, 'section.actions .action-buttons', '작업 시작');
  await clickButton(page, 'section.actions form', '작업 시작');
  await statusIs(page, 'IN_PROGRESS');

  await (await field(page, '메모 추가')).type('IVR 시나리오 롤백 진행');
  await clickButton(page, 'main', '메모 저장');
  await page.waitForFunction(() => [...document.querySelectorAll('table.timeline td')].some((td) => td.textContent === 'IVR 시나리오 롤백 진행'));

  // Resolving needs a resolution: the 400 shows under it.
  await clickButton(page, 'section.actions .action-buttons', '해결');
  await clickButton(page, 'section.actions form', '해결');
  await page.waitForFunction(() => !!document.querySelector('section.actions .field-error'));
  expect(await fieldError(page, '해결 내용')).toBeTruthy();
  await (await field(page, '해결 내용', 'section.actions')).type('시나리오 이전 버전으로 복구');
  await clickButton(page, 'section.actions form', '해결');
  await statusIs(page, 'RESOLVED');

  // The RCA: a prevention item without its due date is refused beside that field.
  await clickButton(page, 'main', 'RCA 작성');
  await (await field(page, '원인')).type('시나리오 배포 시 휴일 분기 누락');
  await (await field(page, '조치 내용')).type('이전 버전 복구 후 재배포');
  await (await field(page, '대책 1')).type('배포 전 휴일 분기 점검표 적용');
  await (await field(page, '담당')).type('eng-park');
  await clickButton(page, 'main form[aria-label="근본 원인 분석(RCA)"]', 'RCA 저장');
  await page.waitForFunction(() => !!document.querySelector('main form .field-error'));
  expect(await fieldError(page, '기한')).toBeTruthy();
  await setValue(page, await field(page, '기한'), '2027-01-29');
  await clickButton(page, 'main form[aria-label="근본 원인 분석(RCA)"]', 'RCA 저장');
  await page.waitForFunction(() => document.querySelector('.rca')?.textContent?.includes('배포 전 휴일 분기 점검표 적용 — eng-park, 2027-01-29'));

  // Published, then read inline: pdf.js draws its pages, and the hash shown is the one the API recorded.
  await clickButton(page, 'main', '보고서 발행');
  expect(await pdfPagesDrawn(page)).toBeGreaterThan(0);
  const reports = (await incident(id)).reports as Array<{ sha256: string }>;
  expect(reports).toHaveLength(1);
  expect(await text(page, '.pdf-view .sha')).toBe(reports[0]!.sha256);
  expect(await accessibilityViolations(page)).toEqual([]);

  await clickButton(page, 'section.actions .action-buttons', '종료');
  await clickButton(page, 'section.actions form', '종료');
  await statusIs(page, 'CLOSED');
  // Closed: nothing left to do, so nothing is offered.
  await page.waitForFunction(() => !document.querySelector('section.actions'));
  const closed = await incident(id);
  expect(closed).toMatchObject({ status: 'CLOSED', assignee: SUBJECTS.spm, rca: { revision: 1 }, actions: [] });
  expect(JSON.stringify(closed.timeline)).toContain('IVR 시나리오 롤백 진행');
  await page.browserContext().close();
});

test('a countdown turns red when a seconds-long test policy breaches, and the breached tile counts it, without a reload', async () => {
  expect(
    (
      await h.call('put', '/api/v1/sla-policies/P4/simple', {
        token: h.tokens.admin,
        body: { clock: '24x7', responseTargetSeconds: 5, restoreTargetSeconds: 15 },
      })
    ).status,
  ).toBe(200);
  const page = await browser.signedIn('engineer');
  await page.waitForSelector('.tile.breached .tile-value');
  const breachedTile = () => page.$eval('.tile.breached .tile-value', (el) => el.textContent);
  await page.waitForFunction(() => document.querySelector('.tile.breached .tile-value')?.textContent !== '…');
  const before = Number(await breachedTile());

  const opened = await h.call<{ id: string }>('post', '/api/v1/incidents', {
    token: h.tokens.automation,
    body: incidentBody({ title: '초 단위 정책 위반 확인', severity: 'P4', complexity: 'simple' }),
  });
  const id = opened.body.id;
  const band = (wanted: string) =>
    page.waitForFunction(
      (i, b) => document.querySelector(`table.queue tr[data-id="${i}"] td.col-restore .band`)?.classList.contains(b) ?? false,
      { timeout: 40_000 },
      id,
      wanted,
    );
  await band('critical');
  await band('breached');
  expect(await page.$eval(`table.queue tr[data-id="${id}"] td.col-restore .band`, (el) => el.textContent)).toMatch(/^-0:00:\d\d$/);
  // The server's own breach (the workflow's timer, projected and pushed over the event stream) reaches the tile.
  await page.waitForFunction((n) => Number(document.querySelector('.tile.breached .tile-value')?.textContent) === n, { timeout: 40_000 }, before + 1);
  expect((await incident(id)).sla).toMatchObject({ breached: true });
  await page.browserContext().close();
});

test('bulk assign: an SPM selects two unassigned incidents and assigns both to an engineer at once; the stale tile counts what nobody touched for a day', async () => {
  const open = async (title: string) =>
    (await h.call<{ id: string }>('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ title, severity: 'P3' }) })).body.id;
  const [a, b] = [await open('녹취 누락 1'), await open('녹취 누락 2')];
  await h.pool.query(`UPDATE incidents SET updated_at = now() - interval '30 hours' WHERE id = $1`, [a]);

  const page = await browser.signedIn('spm', '/?view=unassigned');
  await page.waitForSelector(`table.queue tr[data-id="${a}"]`);
  await page.waitForFunction(() => Number(document.querySelector('.tile.stale .tile-value')?.textContent) >= 1);
  expect(Number(await page.$eval('.tile.stale .tile-value', (el) => el.textContent))).toBe(1);
  for (const id of [a, b]) await page.click(`table.queue tr[data-id="${id}"] input[type=checkbox]`);
  await page.waitForSelector('form.bulk');
  expect(await accessibilityViolations(page)).toEqual([]);
  const assignee = await page.$('form.bulk input');
  await assignee!.click({ count: 3 });
  await assignee!.type('eng-park');
  await clickButton(page, 'form.bulk', '선택 항목 배정');
  // Both leave the unassigned view, and the server has them assigned.
  await page.waitForFunction((ids) => ids.every((id) => !document.querySelector(`table.queue tr[data-id="${id}"]`)), {}, [a, b]);
  for (const id of [a, b]) expect(await incident(id)).toMatchObject({ status: 'ASSIGNED', assignee: 'eng-park' });
  await page.browserContext().close();
});

test("an incident monitoring opened shows the alert's labels and a link to where it fired, on its timeline", async () => {
  const labels = { alertname: 'PbxUnreachable', instance: 'pbx-console:5060', center: '상담 1센터', severity: 'critical' };
  const res = await h.call('post', '/api/v1/alerts/alertmanager', { token: h.tokens.automation, body: webhook([{ labels }]) });
  expect(res.status).toBe(200);
  const id = res.body.alerts[0].incidentId as string;
  const page = await browser.signedIn('spm', `/incidents/${id}`);
  await page.waitForSelector('.timeline .alert-details');
  expect(await texts(page, '.timeline .alert-details ul.labels li')).toEqual([
    'alertname=PbxUnreachable',
    'center=상담 1센터',
    'instance=pbx-console:5060',
    'severity=critical',
  ]);
  const link = await page.$eval('.timeline .alert-details a', (a) => ({
    href: (a as HTMLAnchorElement).href,
    text: a.textContent,
    rel: a.getAttribute('rel'),
  }));
  expect(link).toEqual({ href: expect.stringContaining('http://prometheus.test:9090/graph'), text: '경보 출처 보기 (Prometheus)', rel: 'noreferrer noopener' });
  expect(await text(page, '.timeline .alert-details strong')).toBe('경보 발생');
  expect(await accessibilityViolations(page)).toEqual([]);
});
