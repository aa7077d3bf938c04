/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'puppeteer-core';
import { SUBJECTS, useHarness } from '../api/harness';
import { accessibilityViolations, text, typeOver, useBrowser } from './browser';

/**
 * The admin pages in a real browser against the real stack: SLA policies and auto-close, the
 * holiday calendar's year view, the contact roster and API tokens; what the server recorded is
 * read back through the API.
 */

const h = useHarness();
const browser = useBrowser(h);

const textIs = (page: Page, selector: string, wanted: string) =>
  page.waitForFunction((s, w) => document.querySelector(s)?.textContent === w, {}, selector, wanted);
const policy = async (key: string) => (await h.call('get', `/api/v1/sla-policies/${key}`, { token: h.tokens.auditor })).body;

test('an admin edits an SLA policy: the table shows the new target and the API returns it; the auto-close delay too', async () => {
  const page = await browser.signedIn('admin', '/admin');
  await page.waitForSelector('ul.admin-index');
  expect(await page.$$eval('ul.admin-index a', (as) => as.map((a) => a.getAttribute('href')))).toEqual([
    '/admin/sla',
    '/admin/holidays',
    '/admin/contacts',
    '/admin/tokens',
  ]);
  expect(await accessibilityViolations(page)).toEqual([]);

  await Promise.all([page.waitForSelector('table.sla-policies tbody tr'), page.click('a[href="/admin/sla"]')]);
  expect(await page.$$eval('table.sla-policies tbody tr', (rows) => rows.length)).toBe(8);
  expect(await text(page, '[role=note]')).toContain('이후에 접수되는 장애부터 적용');
  expect(await accessibilityViolations(page)).toEqual([]);

  await Promise.all([page.waitForSelector('input[name=responseMinutes]'), page.click('a[href="/admin/sla/P2/simple"]')]);
  expect(new URL(page.url()).pathname).toBe('/admin/sla/P2/simple');
  expect(await accessibilityViolations(page)).toEqual([]);
  await typeOver(page, 'input[name=responseMinutes]', '45');
  await page.select('select[name=clock]', '24x7');
  await page.click('form.admin-form button[type=submit]');
  await page.waitForFunction(() => location.pathname === '/admin/sla');
  await textIs(page, 'table.sla-policies tr[data-id="P2-simple"] td.col-responseTargetSeconds', '45분');
  expect(await text(page, 'table.sla-policies tr[data-id="P2-simple"] td.col-clock')).toContain('24x7');
  expect(await text(page, 'table.sla-policies tr[data-id="P2-simple"] td.col-updatedAt')).toContain(SUBJECTS.admin);
  expect(await policy('P2/simple')).toMatchObject({ responseTargetSeconds: 45 * 60, clock: '24x7', updatedBy: SUBJECTS.admin });

  await typeOver(page, 'input[name=afterHours]', '48');
  await page.click('section[aria-labelledby=auto-close-title] button[type=submit]');
  await textIs(page, '.auto-close-now', '2일');
  expect((await h.call('get', '/api/v1/sla-policies', { token: h.tokens.auditor })).body.autoCloseAfterSeconds).toBe(48 * 3600);
  await page.browserContext().close();
});

test('a bad value is refused by the API and its complaint shows beside the field; nothing changes', async () => {
  const before = await policy('P3/simple');
  const page = await browser.signedIn('admin', '/admin/sla/P3/simple');
  await page.waitForSelector('input[name=restoreMinutes]');
  await typeOver(page, 'input[name=restoreMinutes]', '-5');
  await page.click('form.admin-form button[type=submit]');
  const error = await page.waitForSelector('input[name=restoreMinutes] ~ .field-error');
  expect(await error!.evaluate((el) => el.textContent)).toMatch(/greater than 0/);
  expect(await page.$eval('input[name=restoreMinutes]', (el) => [el.getAttribute('aria-invalid'), el.getAttribute('aria-describedby')])).toEqual([
    'true',
    await error!.evaluate((el) => el.id),
  ]);
  // Only that field: the others carry no complaint, and the page stays (nothing saved).
  expect(await page.$$('.field-error')).toHaveLength(1);
  expect(new URL(page.url()).pathname).toBe('/admin/sla/P3/simple');
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(await policy('P3/simple')).toEqual(before);
  await page.browserContext().close();
});

test('the holiday year view: twelve months with holidays named and weekends marked; a holiday added and removed (after confirming)', async () => {
  const page = await browser.signedIn('admin', '/admin/holidays?year=2026');
  await page.waitForSelector('table.month td[data-date="2026-03-01"]');
  expect(await page.$$eval('table.month', (ts) => ts.length)).toBe(12);
  expect(await page.$$eval('table.month caption', (cs) => cs.map((c) => c.textContent))).toEqual([
    '1월',
    '2월',
    '3월',
    '4월',
    '5월',
    '6월',
    '7월',
    '8월',
    '9월',
    '10월',
    '11월',
    '12월',
  ]);
  // A seeded holiday: marked and named in its cell, and said in words to a screen reader.
  const march1 = 'table.month td[data-date="2026-03-01"]';
  expect(await page.$eval(march1, (td) => td.className)).toContain('holiday');
  expect(await text(page, `${march1} .holiday-name`)).toBe('삼일절');
  expect(await page.$eval(`${march1} button`, (b) => b.textContent)).toMatch(/^●1 .*삼일절/);
  // 2026-06-13 is a Saturday: a weekend, not a holiday, in class and in words.
  expect(await page.$eval('table.month td[data-date="2026-06-13"]', (td) => td.className)).toBe('day weekend');
  expect(await page.$eval('table.month td[data-date="2026-06-13"] button', (b) => b.textContent)).toMatch(/^13 .*주말/);
  expect(await page.$eval('table.month td[data-date="2026-06-15"]', (td) => td.className)).toBe('day');
  expect(await accessibilityViolations(page)).toEqual([]);

  // Add: the day picked in the grid lands in the form.
  await page.click('table.month td[data-date="2026-06-15"] button');
  await page.waitForFunction(() => (document.querySelector('input[name=date]') as HTMLInputElement | null)?.value === '2026-06-15');
  await page.type('input[name=name]', '창립기념일');
  await page.select('select[name=kind]', 'company');
  await page.click('section[aria-labelledby=holiday-form-title] button[type=submit]');
  await textIs(page, 'table.month td[data-date="2026-06-15"] .holiday-name', '창립기념일');
  expect(await page.$eval('table.month td[data-date="2026-06-15"]', (td) => td.className)).toContain('holiday');
  const listed = (await h.call('get', '/api/v1/calendar/holidays?year=2026', { token: h.tokens.auditor })).body.items;
  expect(listed).toEqual(expect.arrayContaining([{ date: '2026-06-15', name: '창립기념일', kind: 'company', source: 'admin', updatedBy: SUBJECTS.admin }]));

  // Remove: the first click only asks.
  const row = 'table.holidays tr[data-id="2026-06-15"]';
  await page.click(`${row} button.danger-outline`);
  await page.waitForSelector(`${row} .confirm button.danger`);
  expect(await text(page, `${row} .confirm`)).toContain('정말 삭제할까요?');
  expect(await accessibilityViolations(page)).toEqual([]);
  expect((await h.call('get', '/api/v1/calendar/holidays?year=2026', { token: h.tokens.auditor })).body.items.map((x: { date: string }) => x.date)).toContain(
    '2026-06-15',
  );
  await page.click(`${row} .confirm button.danger`);
  await page.waitForFunction(() => document.querySelector('table.month td[data-date="2026-06-15"]')?.className === 'day');
  expect(await page.$(row)).toBeNull();
  const after = (await h.call('get', '/api/v1/calendar/holidays?year=2026', { token: h.tokens.auditor })).body.items;
  expect(after.map((x: { date: string }) => x.date)).not.toContain('2026-06-15');

  // The year lives in the URL: the next year, then Back.
  await page.click('nav.year-nav a[href$="year=2027"]');
  await page.waitForSelector('table.month td[data-date="2027-01-01"]');
  expect(new URL(page.url()).searchParams.get('year')).toBe('2027');
  await page.goBack();
  await page.waitForSelector('table.month td[data-date="2026-01-01"]');
  await page.browserContext().close();
});

test('an admin adds a contact to the roster: a missing address shows beside its field first', async () => {
  const page = await browser.signedIn('admin', '/admin/contacts');
  await page.waitForSelector('input[name=name]');
  await page.type('input[name=name]', '야간 당직 정');
  await page.select('select[name=audience]', 'oncall');
  await page.select('select[name=hours]', 'after-hours');
  await page.click('section[aria-labelledby=contact-form-title] button[type=submit]');
  const error = await page.waitForSelector('input[name=email] ~ .field-error');
  expect(await error!.evaluate((el) => el.textContent)).toContain('email or a webhookUrl');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.type('input[name=email]', 'oncall.jung@customer.example');
  await page.type('input[name=center]', '상담 1센터');
  await page.click('section[aria-labelledby=contact-form-title] button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('table.contacts td.col-name')].some((td) => td.textContent === '야간 당직 정'));
  const contacts = (await h.call('get', '/api/v1/contacts', { token: h.tokens.auditor })).body.items;
  expect(contacts).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: '야간 당직 정',
        email: 'oncall.jung@customer.example',
        audience: 'oncall',
        hours: 'after-hours',
        center: '상담 1센터',
        active: true,
      }),
    ]),
  );

  // The on-call roster: a filter in the URL.
  await page.select('form.filters select', 'oncall');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('audience') === 'oncall');
  expect(await page.$$eval('table.contacts td.col-audience', (tds) => [...new Set(tds.map((td) => td.textContent))])).toEqual(['당직']);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});

test('a token issued in the browser (its secret shown once) works against the API; revoked in the browser, the API refuses it', async () => {
  const page = await browser.signedIn('admin', '/admin/tokens');
  await page.browserContext().overridePermissions(h.baseUrl, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  await page.waitForSelector('input[name=name]');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.type('input[name=name]', 'browser-bot');
  await page.select('select[name=role]', 'auditor');
  await page.click('section[aria-labelledby=issue-title] button[type=submit]');
  await page.waitForSelector('input.secret');
  const secret = await page.$eval('input.secret', (el) => (el as HTMLInputElement).value);
  expect(secret).toMatch(/^butler_[A-Za-z0-9_-]{43}$/);
  expect(await text(page, '.issued-secret .warning')).toContain('한 번만 표시');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.click('.issued-secret .secret-row button');
  await textIs(page, '.issued-secret [role=status]', '복사했습니다');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // The token is listed (never its secret) and answers for its holder.
  const row = await page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLElement>('table.tokens tbody tr')].find((tr) => tr.querySelector('td.col-name')?.textContent === 'browser-bot')?.dataset
        .id,
  );
  const id = (await row.jsonValue()) as string;
  expect(await text(page, `table.tokens tr[data-id="${id}"] td.col-createdAt`)).toContain(SUBJECTS.admin);
  expect(await page.$eval('table.tokens', (t) => t.textContent)).not.toContain(secret);
  const used = await h.call('get', '/api/v1/audit/log', { token: secret });
  expect(used.status).toBe(200);
  expect((await h.call('get', '/api/v1/me', { token: secret })).body).toMatchObject({ id: 'browser-bot', role: 'auditor' });

  // Closed, the secret is gone from the page.
  await page.click('.issued-secret > button');
  await page.waitForFunction(() => !document.querySelector('input.secret'));
  expect(await page.content()).not.toContain(secret);

  // Revoked after confirming: the API refuses the token on its next request.
  await page.click(`table.tokens tr[data-id="${id}"] button.danger-outline`);
  await page.waitForSelector(`table.tokens tr[data-id="${id}"] .confirm button.danger`);
  expect((await h.call('get', '/api/v1/me', { token: secret })).status).toBe(200);
  await page.click(`table.tokens tr[data-id="${id}"] .confirm button.danger`);
  await page.waitForSelector(`table.tokens tr[data-id="${id}"] td.col-revokedAt .revoked`);
  expect(await text(page, `table.tokens tr[data-id="${id}"] td.col-revokedAt`)).toContain(SUBJECTS.admin);
  const refused = await h.call('get', '/api/v1/audit/log', { token: secret });
  expect(refused.status).toBe(401);
  expect(refused.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });
  const { rows } = await h.pool.query(`SELECT action, actor FROM audit_log WHERE subject = $1 ORDER BY seq`, [id]);
  expect(rows).toEqual([
    { action: 'issue-token', actor: SUBJECTS.admin },
    { action: 'revoke-token', actor: SUBJECTS.admin },
  ]);
  await page.browserContext().close();
});

test('an SPM sees the admin pages she may read, with no edit controls where she may not edit; tokens are not hers', async () => {
  const page = await browser.signedIn('spm', '/admin');
  await page.waitForSelector('ul.admin-index');
  // She keeps the roster, so the header leads her to the settings.
  expect(await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')))).toContain('/admin');
  expect(await page.$$eval('ul.admin-index a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['/admin/sla', '/admin/holidays', '/admin/contacts']);
  expect(await accessibilityViolations(page)).toEqual([]);

  await Promise.all([page.waitForSelector('table.sla-policies tbody tr'), page.click('a[href="/admin/sla"]')]);
  expect(await page.$$('table.sla-policies a')).toHaveLength(0);
  expect(await page.$$eval('table.sla-policies th', (ths) => ths.map((th) => th.textContent))).not.toContain('작업');
  expect(await page.$('input[name=afterHours]')).toBeNull();
  expect(await page.$('.auto-close-now')).not.toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.goto(`${h.baseUrl}/admin/sla/P1/complex`);
  await page.waitForSelector('main [role=alert]');
  expect(await page.$('input[name=responseMinutes]')).toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.goto(`${h.baseUrl}/admin/holidays?year=2026`);
  await page.waitForSelector('table.holidays tbody tr');
  expect(await page.$$('table.month button, table.holidays button, input[name=date]')).toHaveLength(0);
  expect(await page.$eval('table.month td[data-date="2026-03-01"] .admin-sr-only', (el) => el.textContent)).toMatch(/삼일절/);
  expect(await accessibilityViolations(page)).toEqual([]);

  // The roster is hers to keep (the route table lets an SPM add and remove contacts).
  await page.goto(`${h.baseUrl}/admin/contacts`);
  await page.waitForSelector('input[name=name]');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.goto(`${h.baseUrl}/admin/tokens`);
  await page.waitForSelector('main [role=alert]');
  expect(await text(page, 'main [role=alert]')).toBe('이 역할로는 볼 수 없는 페이지입니다.');
  expect(await page.$('input[name=name]')).toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});
