/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'puppeteer-core';
import { operationIdOf } from '../../api/openapi';
import type { Role } from '../../domain/actor';
import { incidentBody, SUBJECTS, useHarness } from '../api/harness';
import { accessibilityViolations, renderedFonts, useBrowser } from './browser';

/**
 * The web console in a real browser (Debian's Chromium through puppeteer-core) against the real
 * stack: the API serving the built console (npm test builds it first), Temporal and PostgreSQL.
 */

const h = useHarness();
const browser = useBrowser(h);
const freshPage = () => browser.page();
const signedIn = async (role: keyof typeof SUBJECTS): Promise<Page> => {
  const page = await browser.signedIn(role);
  await page.waitForSelector('table.queue, main p');
  return page;
};

const rowIds = (page: Page) => page.$$eval('table.queue tbody td.col-id a', (links) => links.map((a) => a.textContent));

let p1 = '';
let p3 = '';
beforeAll(async () => {
  const open = async (body: Record<string, unknown>) =>
    (await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody(body) })).body.id as string;
  // The P1 first: on the 24x7 clock its 4 h restore is due first at any hour. The P3's 4 h run on business hours,
  // so opened during them (a Monday morning) it would fall due just after the P1's only if opened after it.
  p1 = await open({ title: '상담 1센터 교환기 장애', severity: 'P1', system: 'PBX' });
  p3 = await open({ title: '녹취 서버 디스크 부족', severity: 'P3', system: 'REC' });
});

test('an SPM signs in with a token, sees the queue by time to restore-breach with ticking countdowns, and assigns one to herself', async () => {
  const page = await signedIn('spm');
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length >= 2);
  // The P1's restore is due first.
  expect((await rowIds(page)).slice(0, 2)).toEqual([p1, p3]);
  expect(await page.$eval('html', (el) => el.lang)).toBe('ko');
  expect(await page.$eval('h1', (el) => el.textContent)).toBe('장애 대기열');
  // Korean is drawn with Nanum Gothic (fonts-nanum), not a fallback that happens to have Hangul.
  expect(await renderedFonts(page, 'h1')).toEqual(['NanumGothic']);
  expect(await accessibilityViolations(page)).toEqual([]);

  const countdown = () => page.$eval('table.queue tbody tr:first-child td.col-restore .band', (el) => el.textContent ?? '');
  const first = await countdown();
  expect(first).toMatch(/^\d+:\d{2}:\d{2}$/);
  // Computed in the browser from the absolute due instant: it moves without a reload.
  await page.waitForFunction((before) => document.querySelector('table.queue tbody tr:first-child td.col-restore .band')?.textContent !== before, {}, first);

  const assign = await page.$('table.queue tbody tr:first-child td.col-assignee button');
  expect(await assign?.evaluate((b) => b.textContent)).toBe('나에게 배정');
  await assign!.click();
  await page.waitForFunction((who) => document.querySelector('table.queue tbody tr:first-child td.col-assignee')?.textContent === who, {}, SUBJECTS.spm);
  expect((await h.call('get', `/api/v1/incidents/${p1}`, { token: h.tokens.auditor })).body).toMatchObject({ status: 'ASSIGNED', assignee: SUBJECTS.spm });

  // The incident's page: its SLA panel and its timeline, which names the assignment.
  await Promise.all([page.waitForSelector('table.timeline'), page.click(`a[href="/incidents/${p1}"]`)]);
  expect(new URL(page.url()).pathname).toBe(`/incidents/${p1}`);
  expect(await page.$eval('h1', (el) => el.textContent)).toContain('상담 1센터 교환기 장애');
  expect(await page.$$eval('table.timeline tbody tr', (rows) => rows.map((r) => r.textContent ?? ''))).toEqual(
    expect.arrayContaining([expect.stringContaining('배정 (접수 → 배정됨)')]),
  );
  expect(await page.$$eval('table.sla tbody th', (cells) => cells.map((c) => c.textContent))).toEqual(['응답', '복구']);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});

test('filters live in the URL: they survive a reload and Back returns to the unfiltered queue; English on request', async () => {
  const page = await signedIn('engineer');
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length >= 2);
  const severity = (await page.$$('form.filters select'))[0]!;
  await severity.select('P3');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'P3');
  await page.waitForFunction((id) => [...document.querySelectorAll('table.queue tbody td.col-id a')].map((a) => a.textContent).join() === id, {}, p3);

  await page.reload();
  await page.waitForFunction((id) => [...document.querySelectorAll('table.queue tbody td.col-id a')].map((a) => a.textContent).join() === id, {}, p3);
  expect(await page.$eval('form.filters select', (s) => (s as HTMLSelectElement).value)).toBe('P3');

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length >= 2);
  expect(new URL(page.url()).searchParams.get('severity')).toBeNull();

  await page.click('header button');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Incident queue');
  expect(await page.$eval('html', (el) => el.lang)).toBe('en');
  await page.browserContext().close();
});

test('someone else’s transition shows without a reload: the event stream refreshes the queue (its own refresh is a minute apart)', async () => {
  const page = await signedIn('auditor');
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length >= 2);
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ title: '실시간 반영 확인', severity: 'P2' }) });
  const id = opened.body.id as string;
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll('table.queue tbody td.col-id a')].some((a) => a.textContent === wanted),
    { timeout: 10_000 },
    id,
  );
  expect((await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park' } })).status).toBe(200);
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('table.queue tbody tr')].some(
        (tr) => tr.querySelector('td.col-id a')?.textContent === wanted && tr.querySelector('td.col-assignee')?.textContent === 'eng-park',
      ),
    { timeout: 10_000 },
    id,
  );
  await page.browserContext().close();
});

test('a link opened without a session returns to its page once signed in', async () => {
  const page = await freshPage();
  await page.goto(`${h.baseUrl}/incidents/${p3}`);
  await page.waitForSelector('input#token');
  expect(new URL(page.url()).searchParams.get('next')).toBe(`/incidents/${p3}`);
  await page.type('input#token', h.tokens.engineer);
  await Promise.all([page.waitForSelector('table.timeline'), page.click('button[type=submit]')]);
  expect(new URL(page.url()).pathname).toBe(`/incidents/${p3}`);
  await page.browserContext().close();
});

test('an auditor sees no action buttons, and the server refuses the action anyway', async () => {
  const page = await signedIn('auditor');
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length >= 2);
  expect(await page.$$('table.queue tbody button')).toHaveLength(0);
  expect(await page.$$('table.queue input[type=checkbox]')).toHaveLength(0);
  expect(await page.$$('a[href="/incidents/new"]')).toHaveLength(0);
  const forged = await page.evaluate(
    async (id, token) =>
      (
        await fetch(`/api/v1/incidents/${id}/assign`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ assignee: 'audit-lee' }),
        })
      ).status,
    p3,
    h.tokens.auditor,
  );
  expect(forged).toBe(403);
  await page.browserContext().close();
});

test('a wrong token is refused on the sign-in page; the API and its document keep their paths beside the console', async () => {
  const page = await freshPage();
  await page.goto(`${h.baseUrl}/signin`);
  await page.type('input#token', 'not-a-token');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role=alert]');
  expect(await page.$eval('[role=alert]', (el) => el.textContent)).toBe('토큰이 올바르지 않습니다.');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
  expect((await h.call('get', '/openapi.json')).status).toBe(200);
  expect((await h.call('get', '/api/v1/nope', { token: h.tokens.spm })).status).toBe(404);
  const me = await h.call<{ id: string; role: string; operations: string[] }>('get', '/api/v1/me', { token: h.tokens.spm });
  expect(me.body).toMatchObject({ id: SUBJECTS.spm, role: 'spm' });
  // The actions the console offers are the operations the role may call, as the route table says: exactly those.
  const mayCall = (role: Role) =>
    h.routes
      .filter((r) => r.roles.includes(role))
      .map((r) => operationIdOf(r.method, r.path))
      .sort();
  expect(me.body.operations).toEqual(mayCall('spm'));
  expect(me.body.operations).toEqual(expect.arrayContaining(['getIncidents', 'postIncidentsByIdAssign', 'postChangesByIdApprove']));
  const auditor = await h.call<{ operations: string[] }>('get', '/api/v1/me', { token: h.tokens.auditor });
  expect(auditor.body.operations).toEqual(mayCall('auditor'));
  expect(auditor.body.operations).toContain('getAuditVerify');
  expect(auditor.body.operations).not.toContain('postIncidentsByIdAssign');
  // A page URL gets the console's index; a client asking for anything gets the API's 404.
  expect((await fetch(`${h.baseUrl}/incidents/INC-000001`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('text/html');
  expect((await fetch(`${h.baseUrl}/incidents/INC-000001`)).status).toBe(404);
  // The built assets (named by their content's hash) are cached for good and sent compressed.
  const index = await (await fetch(`${h.baseUrl}/`, { headers: { accept: 'text/html' } })).text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${h.baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(asset.headers.get('content-encoding')).toBe('gzip');
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
});

test('the accessibility check finds what it is for: a field without a label and text without contrast', async () => {
  const page = await freshPage();
  await page.setContent('<html lang="ko"><body><main><input type="text"><p style="color:#eee;background:#fff">흐린 글씨</p></main></body></html>');
  const found = await accessibilityViolations(page);
  expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^label: input/), expect.stringMatching(/^color-contrast: p/)]));
  await page.browserContext().close();
});
