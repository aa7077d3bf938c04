/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'puppeteer-core';
import { SUBJECTS, useHarness } from '../api/harness';
import { accessibilityViolations, errorBeside, setValue, useBrowser } from './browser';

/**
 * The changes pages (변경 관리) in a real browser against the real stack, with the PBX and the CTI
 * emulator (a change is applied to them): the request form, the change page and its actions, the
 * calendar of windows, the list's filters.
 */

const h = useHarness({ vendors: true });
const browser = useBrowser(h);

/** An instant as a datetime-local value in Seoul (+09:00 all year). */
// As a datetime-local input holds it: whole seconds, and none written when they are :00 (the input drops them).
const seoulLocal = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19).replace(/:00$/, '');
const seoulDay = (ms: number) => seoulLocal(ms).slice(0, 10);

/** A change through the API, as an engineer would request it (an IVR schedule group needs nothing to exist first). */
async function requested(target: string, window: { start: string; end: string }, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('post', '/api/v1/changes', {
    token: h.tokens.engineer,
    body: { type: 'ivr-holidays', target, params: { from: '2027-01-01', to: '2027-12-31' }, window, reason: '공휴일 반영', ...extra },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const inAnHour = () => ({ start: new Date(Date.now() + 3_600_000).toISOString(), end: new Date(Date.now() + 7_200_000).toISOString() });

/** From submitting the change to its approval: a page load, an accessibility check, the approval (seconds). */
const APPROVAL_MARGIN_MS = 25_000;
/** From the window's start to COMPLETED: the snapshot, the apply on the PBX and the CTI, the verification. */
const APPLY_MS = 60_000;

const statusOnPage = (page: Page) => page.$eval('main .facts [data-status]', (el) => el.getAttribute('data-status'));

test(
  'an SPM requests a change in the browser (a 400 shows beside its field), approves it on its page and watches it complete; the calendar shows it on its day',
  async () => {
    const page = await browser.signedIn('spm', '/changes/new');
    await page.waitForSelector('form.change-form');
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('변경 요청서 작성');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.select('select[name=type]', 'ivr-holidays');
    await page.type('input[name=target]', '콘솔 휴일 그룹');
    await setValue(page, 'input[name="params.from"]', '2027-01-01');
    await setValue(page, 'input[name="params.to"]', '2027-12-31');
    // A window for now, an hour ahead; the one the change runs in is set just before it is submitted.
    const setWindow = async (start: number) => {
      await setValue(page, 'input[name="window.start"]', seoulLocal(start));
      await setValue(page, 'input[name="window.end"]', seoulLocal(start + 3_600_000));
    };
    await setWindow(Date.now() + 3_600_000);

    // No reason: the API's 400 names the field, and the page shows it beside the reason.
    await page.click('form.change-form button[type=submit]');
    await page.waitForSelector('textarea[name=reason][aria-invalid=true]');
    expect(await errorBeside(page, 'textarea[name=reason]')).toMatch(/at least 1 character/);
    expect(await page.$$('[aria-invalid=true]')).toHaveLength(1);
    expect((await h.call('get', '/api/v1/changes', { token: h.tokens.auditor })).body.total).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.type('textarea[name=reason]', '2027년 공휴일을 IVR에 반영');
    // The window opens during this test: approvals are taken until it starts, then the change is applied.
    // Until then come a page load, an accessibility check and the approval, a few seconds even on a loaded
    // machine; 25 s leaves them ample room, and the wait for COMPLETED below is sized from the start.
    const start = Date.now() + APPROVAL_MARGIN_MS;
    await setWindow(start);
    await Promise.all([page.waitForSelector('main.change h1'), page.click('form.change-form button[type=submit]')]);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(id).toMatch(/^CHG-\d{6}$/);
    expect(await page.$eval('h1', (el) => el.textContent)).toContain('콘솔 휴일 그룹');
    expect(await statusOnPage(page)).toBe('PENDING_APPROVAL');
    expect(await page.$eval('main .facts [data-status]', (el) => el.textContent)).toBe('승인 대기');
    expect(await page.$eval('table.approvals tr[data-approver=customer] td', (el) => el.textContent)).toBe('대기 중');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The customer's approval, recorded by the SPM with a comment: the change is scheduled for its window.
    expect(await page.$$eval('form.change-decide select option', (options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['customer']);
    await page.type('form.change-decide textarea', '고객 승인 (전화 확인)');
    await page.click('form.change-decide button.approve');
    await page.waitForFunction(() => document.querySelector('main .facts [data-status]')?.getAttribute('data-status') !== 'PENDING_APPROVAL');
    expect(['SCHEDULED', 'APPLYING', 'VERIFYING', 'COMPLETED']).toContain(await statusOnPage(page));
    const stored = (await h.call('get', `/api/v1/changes/${id}`, { token: h.tokens.auditor })).body;
    expect(stored.approvals).toEqual([
      expect.objectContaining({ approver: 'customer', actor: { id: SUBJECTS.spm, role: 'spm' }, comment: '고객 승인 (전화 확인)' }),
    ]);
    // Taken before the window opened (the margin above was enough), so the change waits for it.
    expect(Date.parse(stored.approvals[0].at)).toBeLessThan(Date.parse(stored.window.start));
    expect(await page.$eval('table.approvals tr[data-approver=customer]', (el) => el.textContent)).toContain(SUBJECTS.spm);

    // Applied at the window's start and verified: the page follows without a reload.
    await page.waitForFunction(() => document.querySelector('main .facts [data-status]')?.getAttribute('data-status') === 'COMPLETED', {
      timeout: Math.max(0, start - Date.now()) + APPLY_MS,
    });
    expect(await page.$eval('main .facts [data-status]', (el) => el.textContent)).toBe('완료');
    await page.waitForSelector('table.checks tbody tr');
    expect(await page.$$eval('table.checks td.check-ok', (cells) => cells.length)).toBeGreaterThan(0);
    expect(await page.$$eval('table.checks td.check-failed', (cells) => cells.length)).toBe(0);
    expect(await page.$$eval('table.change-history tbody td:nth-child(2)', (cells) => cells.map((c) => c.textContent))).toEqual(
      expect.arrayContaining(['snapshot-taken', 'applied', 'verified']),
    );
    expect(await page.$$('form.change-decide')).toHaveLength(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The calendar of its month shows it on its Seoul day, linked to it, its status in words.
    await page.goto(`${h.baseUrl}/changes/calendar?month=${seoulDay(start).slice(0, 7)}`);
    const cell = `td[data-day="${seoulDay(start)}"]`;
    await page.waitForSelector(`${cell} a[href="/changes/${id}"]`);
    expect(await page.$eval(`${cell} li`, (el) => el.textContent)).toContain('완료');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.browserContext().close();
  },
  APPROVAL_MARGIN_MS + APPLY_MS + 120_000,
);

test('the calendar places a window on the days it touches in Asia/Seoul (one across midnight and a month end), moving by month in the URL', async () => {
  // 23:30 on 31 January to 01:00 on 1 February, Seoul: 14:30–16:00 UTC on 31 January, of next year (ahead whenever this runs).
  const y = Number(seoulDay(Date.now()).slice(0, 4)) + 1;
  const id = await requested('달력 휴일 그룹', { start: `${y}-01-31T23:30:00+09:00`, end: `${y}-02-01T01:00:00+09:00` });
  const page = await browser.signedIn('engineer', `/changes/calendar?month=${y}-01`);
  await page.waitForSelector(`td[data-day="${y}-01-31"] a[href="/changes/${id}"]`);
  expect(await page.$eval('h1', (el) => el.textContent)).toContain(`${y}년 1월`);
  expect(await page.$$(`a[href="/changes/${id}"]`)).toHaveLength(1);
  expect(await page.$eval(`td[data-day="${y}-01-31"] li`, (el) => el.textContent)).toContain('승인 대기');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.click('nav.month-nav button:last-child');
  await page.waitForFunction((m) => new URL(location.href).searchParams.get('month') === m, {}, `${y}-02`);
  await page.waitForSelector(`td[data-day="${y}-02-01"] a[href="/changes/${id}"]`);
  expect(await page.$$(`td[data-day="${y}-02-02"] a`)).toHaveLength(0);
  expect(await page.$eval('h1', (el) => el.textContent)).toContain(`${y}년 2월`);

  await page.reload();
  await page.waitForSelector(`td[data-day="${y}-02-01"] a[href="/changes/${id}"]`);
  await page.click('nav.month-nav button:first-child');
  await page.waitForSelector(`td[data-day="${y}-01-31"] a[href="/changes/${id}"]`);
  expect(new URL(page.url()).searchParams.get('month')).toBe(`${y}-01`);
  await page.browserContext().close();
});

test('filters live in the URL and survive a reload and Back; the list shows the emergency mark', async () => {
  const normal = await requested('목록 휴일 그룹', inAnHour());
  const emergency = await requested(
    '긴급 목록 휴일 그룹',
    { start: new Date().toISOString(), end: new Date(Date.now() + 7_200_000).toISOString() },
    { emergency: true },
  );
  const page = await browser.signedIn('engineer', '/changes');
  const ids = () => page.$$eval('table.changes tbody td.col-id a', (links) => links.map((a) => a.textContent));
  await page.waitForFunction(
    (a, b) => [a, b].every((id) => [...document.querySelectorAll('table.changes td.col-id a')].some((x) => x.textContent === id)),
    {},
    normal,
    emergency,
  );
  expect(await page.$eval(`table.changes tbody tr:has(a[href="/changes/${emergency}"]) td.col-emergency`, (el) => el.textContent)).toContain('긴급');
  expect(await page.$eval(`table.changes tbody tr:has(a[href="/changes/${normal}"]) td.col-emergency`, (el) => el.textContent)).toBe('');
  expect(await accessibilityViolations(page)).toEqual([]);

  const emergencySelect = (await page.$$('form.filters select'))[1]!;
  await emergencySelect.select('true');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('emergency') === 'true');
  await page.waitForFunction((id) => [...document.querySelectorAll('table.changes td.col-id a')].map((a) => a.textContent).join() === id, {}, emergency);

  await page.reload();
  await page.waitForFunction((id) => [...document.querySelectorAll('table.changes td.col-id a')].map((a) => a.textContent).join() === id, {}, emergency);
  expect(await page.$$eval('form.filters select', (s) => s.map((x) => (x as HTMLSelectElement).value))).toEqual(['', 'true']);

  await page.type('form.filters input', '목록 휴일 그룹');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('target') === '목록 휴일 그룹');
  const none = () => document.querySelector('main')?.textContent?.includes('해당하는 변경 요청이 없습니다.') === true;
  await page.waitForFunction(none);
  expect(await ids()).toEqual([]);
  await page.reload();
  await page.waitForFunction(none);
  expect(await page.$eval('form.filters input', (el) => (el as HTMLInputElement).value)).toBe('목록 휴일 그룹');
  expect(new URL(page.url()).searchParams.get('emergency')).toBe('true');

  // Typing replaced the entry; choosing added one: Back returns to the unfiltered list.
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).search === '');
  await page.waitForFunction(
    (a, b) => [a, b].every((id) => [...document.querySelectorAll('table.changes td.col-id a')].some((x) => x.textContent === id)),
    {},
    normal,
    emergency,
  );
  await page.browserContext().close();
});

test('an auditor reads a change but sees no approve, reject or cancel; the server refuses the forged approval', async () => {
  const id = await requested('감사 휴일 그룹', inAnHour());
  const page = await browser.signedIn('auditor', `/changes/${id}`);
  await page.waitForSelector('table.approvals');
  expect(await statusOnPage(page)).toBe('PENDING_APPROVAL');
  expect(await page.$$('main button')).toHaveLength(0);
  expect(await page.$$('.change-actions')).toHaveLength(0);
  expect(await accessibilityViolations(page)).toEqual([]);
  const forged = await page.evaluate(
    async (change, token) =>
      (
        await fetch(`/api/v1/changes/${change}/approve`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ approver: 'customer' }),
        })
      ).status,
    id,
    h.tokens.auditor,
  );
  expect(forged).toBe(403);
  expect((await h.call('get', `/api/v1/changes/${id}`, { token: h.tokens.auditor })).body.approvals).toEqual([]);

  // Nor is the form offered: the list has no link to it, the page says so.
  await page.goto(`${h.baseUrl}/changes`);
  await page.waitForSelector('table.changes');
  expect(await page.$$('a[href="/changes/new"]')).toHaveLength(0);
  await page.browserContext().close();
});

test('someone else moved the change on: the approval is refused (409 INVALID_TRANSITION) and the page says so, then shows the change as it is', async () => {
  const id = await requested('충돌 휴일 그룹', inAnHour());
  const page = await browser.signedIn('spm', '/changes');
  // This page hears no events (as when its stream is down), so it still offers the approval after the cancel.
  await page.setRequestInterception(true);
  page.on('request', (req) => void (req.url().endsWith('/api/v1/events') ? req.abort() : req.continue()));
  await page.goto(`${h.baseUrl}/changes/${id}`);
  await page.waitForSelector('form.change-decide');
  expect((await h.call('post', `/api/v1/changes/${id}/cancel`, { token: h.tokens.engineer, body: { reason: '요청 철회' } })).body.status).toBe('CANCELLED');

  await page.click('form.change-decide button.approve');
  await page.waitForSelector('.change-actions [role=alert][data-code=INVALID_TRANSITION]');
  const alert = await page.$eval('.change-actions [role=alert]', (el) => el.textContent ?? '');
  expect(alert).toContain('지금 상태에서는 할 수 없는 조치입니다');
  expect(alert).toContain('CANCELLED');
  await page.waitForFunction(() => document.querySelector('main .facts [data-status]')?.getAttribute('data-status') === 'CANCELLED');
  // The refusal stays in view; the approval is no longer offered.
  expect(await page.$$('.change-actions [role=alert]')).toHaveLength(1);
  expect(await page.$$('form.change-decide')).toHaveLength(0);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.browserContext().close();
});
