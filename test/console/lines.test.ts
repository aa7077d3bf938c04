/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'puppeteer-core';
import { seoulDateOf } from '../../domain/calendar/seoul';
import { addMonths, settle } from '../../domain/line/settlement';
import { useHarness } from '../api/harness';
import { eventually } from '../support/eventually';
import type { Json } from '../support/json';
import { accessibilityViolations, errorBeside, setValue, typeOver, useBrowser } from './browser';

/**
 * The lines area of the console (회선: 개통, 계약, 해지) in a real browser against the real stack,
 * the worker driving the real Kamailio (SIPp acceptance) and the CTI emulator, as the API's line tests do.
 */

const h = useHarness({ vendors: true });
const browser = useBrowser(h);

/**
 * Signed on the first of last month (Seoul) for 24 months: whenever the test runs, 23 months of the
 * term are left today (a started month counts whole), so terminating today costs 30 % of 23 × 22,000 KRW.
 */
const today = seoulDateOf(Date.now());
const CONTRACT = { contractNo: 'KT-2026-31', carrier: 'KT', monthlyFee: 22_000, termMonths: 24, signedAt: addMonths(`${today.slice(0, 7)}-01`, -1) };
let dnSerial = 0;
const dn = () => `52${String(++dnSerial).padStart(3, '0')}`;

/** The line as the API reads it. */
const readLine = async (id: string): Promise<Json> => (await h.call('get', `/api/v1/lines/${id}`, { token: h.tokens.auditor })).body;

async function activeLine(center = '상담 1센터'): Promise<string> {
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center, dn: dn(), displayName: '콘솔 회선', lineType: 'extension' },
  });
  expect(created.status).toBe(201);
  expect((await h.call('post', `/api/v1/lines/${created.body.id}/contract`, { token: h.tokens.spm, body: CONTRACT })).status).toBe(200);
  expect(
    await eventually(
      () => readLine(created.body.id),
      (l) => l.status === 'ACTIVE',
      60_000,
    ),
  ).toMatchObject({ status: 'ACTIVE' });
  return created.body.id as string;
}

/** The status the line's page shows. */
const shownStatus = (page: Page, status: string, timeout = 60_000) =>
  page.waitForFunction((s) => document.querySelector('dl.overview .line-status')?.getAttribute('data-status') === s, { timeout }, status);

test('an SPM requests a line in the browser: a DN already held is refused beside the DN field; she records the contract and sees the line ACTIVE with its installed items and acceptance record', async () => {
  const held = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.engineer,
    body: { center: '상담 2센터', dn: dn(), displayName: '먼저 신청된 회선', lineType: 'did' },
  });
  expect(held.status).toBe(201);

  const page = await browser.signedIn('spm', '/lines');
  await page.waitForSelector('main h1');
  expect(await page.$eval('main h1', (el) => el.textContent)).toBe('회선 목록');
  await Promise.all([page.waitForSelector('form[aria-label="단일 개통"]'), page.click('a[href="/lines/new"]')]);
  expect(new URL(page.url()).pathname).toBe('/lines/new');

  const form = 'form[aria-label="단일 개통"]';
  await page.type(`${form} input[name=center]`, '상담 2센터');
  await page.type(`${form} input[name=dn]`, held.body.dn as string);
  await page.type(`${form} input[name=displayName]`, '2센터 신규 상담원');
  await page.click(`${form} input[name=withAgent]`);
  await page.waitForSelector(`${form} input[name="agent.loginId"]`);
  await page.type(`${form} input[name="agent.loginId"]`, 'console.agent@center2.example');
  await page.type(`${form} input[name="agent.name"]`, '김콘솔');
  await page.type(`${form} input[name="agent.team"]`, '상담2팀');
  await page.type(`${form} input[name="agent.skills"]`, '상담:3');
  await page.click(`${form} button[type=submit]`);

  // The API's 409 names the DN: shown beside the DN field, naming the line that holds it.
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-invalid') === 'true', {}, `${form} input[name=dn]`);
  expect(await errorBeside(page, `${form} input[name=dn]`)).toContain(held.body.id as string);
  expect(await errorBeside(page, `${form} input[name=center]`)).toBeNull();
  expect(new URL(page.url()).pathname).toBe('/lines/new');
  expect(await accessibilityViolations(page)).toEqual([]);

  const number = dn();
  await typeOver(page, `${form} input[name=dn]`, number);
  await Promise.all([page.waitForSelector('dl.overview'), page.click(`${form} button[type=submit]`)]);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  expect(id).toMatch(/^LN-\d{6}$/);
  await shownStatus(page, 'PENDING_CONTRACT');
  expect(await page.$eval('main h1', (el) => el.textContent)).toBe(`${id} · ${number} 2센터 신규 상담원`);
  const requested = await readLine(id);
  expect(requested).toMatchObject({ dn: number, center: '상담 2센터', agent: { team: '상담2팀', skills: [{ name: '상담', proficiency: 3 }] } });
  expect(requested.history[0]).toMatchObject({ type: 'requested', actor: { id: 'spm-kim' } });
  expect(await accessibilityViolations(page)).toEqual([]);

  // The contract (약정/계약), recorded from the line's page.
  const contract = 'form[aria-label="계약 등록"]';
  await page.type(`${contract} input[name=contractNo]`, CONTRACT.contractNo);
  await page.type(`${contract} input[name=carrier]`, CONTRACT.carrier);
  await page.type(`${contract} input[name=monthlyFee]`, String(CONTRACT.monthlyFee));
  await typeOver(page, `${contract} input[name=termMonths]`, String(CONTRACT.termMonths));
  await setValue(page, `${contract} input[name=signedAt]`, CONTRACT.signedAt);
  await page.click(`${contract} button[type=submit]`);

  // Installation and acceptance run on the PBX and the CTI; the page follows without a reload.
  await shownStatus(page, 'ACTIVE');
  const line = await readLine(id);
  expect(line).toMatchObject({ status: 'ACTIVE', contract: { ...CONTRACT, recordedBy: { id: 'spm-kim', role: 'spm' } }, acceptance: { source: 'vendor' } });
  await page.waitForFunction(() => document.querySelectorAll('table.installed tbody tr').length > 0);
  expect(await page.$$eval('table.installed tbody tr', (rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(
    line.installed.map((i: { kind: string }) => i.kind),
  );
  expect(await page.$$eval('table.installed tbody tr td:first-child', (cells) => cells.map((c) => c.textContent))).toEqual(
    expect.arrayContaining(['PBX 내선', 'CTI 상담원', 'CTI 팀 소속', 'CTI 스킬']),
  );
  const acceptance = await page.$eval('dl.acceptance', (el) => el.textContent ?? '');
  expect(acceptance).toContain(line.acceptance.calledNumber);
  expect(acceptance).toContain('실제 PBX에서 SIP로 시험');
  expect(await page.$eval('dl.contract', (el) => el.textContent)).toContain('22,000원');
  // Contract recorded: the contract form and the cancel are gone; the termination and the SIP account are offered.
  expect(await page.$(contract)).toBeNull();
  expect(await page.$('form[aria-label="해지 신청"]')).not.toBeNull();
  expect(await page.$('.action.sip button')).not.toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);

  // The SIP account, once.
  await page.click('.action.sip button');
  await page.waitForSelector('dl.sip-credentials');
  expect(await page.$eval('dl.sip-credentials', (el) => el.textContent)).toContain(number);
  expect((await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens.spm })).status).toBe(410);
  await page.browserContext().close();
});

test('termination shows the settlement before confirming: a future date is scheduled and withdrawn; today’s termination, the equipment returned, reaches TERMINATED', async () => {
  const id = await activeLine();
  const page = await browser.signedIn('spm', `/lines/${id}`);
  const form = 'form[aria-label="해지 신청"]';
  await page.waitForSelector(form);
  await shownStatus(page, 'ACTIVE');

  // A date ahead: the settlement for that date first, nothing sent yet.
  await page.type(`${form} textarea[name=reason]`, '센터 이전');
  await setValue(page, `${form} input[name=effectiveDate]`, '2099-03-02');
  expect(await page.$(`${form} .settlement-preview`)).toBeNull();
  await page.click(`${form} button[type=submit]`);
  await page.waitForSelector(`${form} .settlement-preview`);
  expect(await page.$eval(`${form} .settlement-preview dl`, (el) => el.textContent)).toContain('term completed: no early-termination fee');
  expect((await readLine(id)).status).toBe('ACTIVE');
  await page.click(`${form} .settlement-preview button[type=submit]`);
  await shownStatus(page, 'TERMINATION_SCHEDULED');
  expect(await readLine(id)).toMatchObject({
    status: 'TERMINATION_SCHEDULED',
    termination: { reason: '센터 이전', effectiveDate: '2099-03-02', requestedBy: { id: 'spm-kim' } },
  });
  expect(await accessibilityViolations(page)).toEqual([]);

  // Withdrawn before its date: ACTIVE again.
  const withdraw = 'form[aria-label="해지 철회"]';
  await page.type(`${withdraw} textarea[name=reason]`, '고객 철회');
  await page.click(`${withdraw} button[type=submit]`);
  await shownStatus(page, 'ACTIVE');
  await page.waitForSelector(form);

  // Today: the settlement (the early-termination fee for what is left of the term) is shown, then confirmed.
  await page.type(`${form} textarea[name=reason]`, '센터 축소');
  await page.click(`${form} button[type=submit]`);
  await page.waitForSelector(`${form} .settlement-preview`);
  const preview = (await h.call('get', `/api/v1/lines/${id}/termination/settlement`, { token: h.tokens.spm })).body;
  expect(preview).toMatchObject({ effectiveDate: seoulDateOf(Date.now()), remainingMonths: 23, monthlyFee: 22_000, earlyTerminationFee: 151_800 });
  expect(preview).toEqual(settle(CONTRACT, preview.effectiveDate));
  const fee = `${preview.earlyTerminationFee.toLocaleString('ko-KR')}원`;
  expect(await page.$eval(`${form} .settlement-preview dd.fee`, (el) => el.textContent)).toBe(fee);
  expect(await page.$eval(`${form} .settlement-preview dl`, (el) => el.textContent)).toContain(preview.termEndDate);
  // Changing the date takes the confirmation away until the settlement for the new date is shown.
  await setValue(page, `${form} input[name=effectiveDate]`, addMonths(today, 1));
  await page.waitForFunction((sel) => !document.querySelector(sel), {}, `${form} .settlement-preview`);
  await setValue(page, `${form} input[name=effectiveDate]`, preview.effectiveDate);
  await page.click(`${form} button[type=submit]`);
  await page.waitForSelector(`${form} .settlement-preview`);
  expect((await readLine(id)).status).toBe('ACTIVE');
  await page.click(`${form} .settlement-preview button[type=submit]`);

  await shownStatus(page, 'TERMINATING');
  const terminating = await readLine(id);
  expect(terminating.settlement).toEqual(preview);
  expect(await page.$eval('dl.settlement dd.fee', (el) => el.textContent)).toBe(fee);

  // The equipment (장비 회수), confirmed in the browser: deprovisioning, then TERMINATED.
  const equipment = 'form[aria-label="장비 회수 확인"]';
  await page.waitForSelector(equipment);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.type(`${equipment} textarea[name=note]`, '전화기 회수 완료');
  await page.click(`${equipment} button[type=submit]`);
  await shownStatus(page, 'TERMINATED');
  const terminated = await readLine(id);
  expect(terminated).toMatchObject({ status: 'TERMINATED', installed: [], termination: { equipmentNote: '전화기 회수 완료' } });
  await page.waitForSelector('section[aria-labelledby="installed-title"] p');
  expect(await page.$$('main form')).toHaveLength(0);
  await page.browserContext().close();
});

test('the inventory’s filters (center, status, DN) live in the URL and survive a reload', async () => {
  const made = async (center: string) =>
    (
      await h.call('post', '/api/v1/lines/provisioning', {
        token: h.tokens.spm,
        body: { center, dn: dn(), displayName: '필터 확인', lineType: 'did' },
      })
    ).body as Json;
  const a1 = await made('필터 A센터');
  const a2 = await made('필터 A센터');
  await made('필터 B센터');
  await h.call('post', `/api/v1/lines/${a2.id}/cancel`, { token: h.tokens.spm, body: { reason: '필터 확인' } });

  const page = await browser.signedIn('engineer', '/lines');
  await page.waitForSelector('table.lines');
  const ids = () => page.$$eval('table.lines tbody tr td.id a', (links) => links.map((a) => a.textContent).join());
  await page.type('form.filters label:nth-of-type(1) input', '필터 A센터');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('center') === '필터 A센터');
  await page.waitForFunction(
    (want) => [...document.querySelectorAll('table.lines tbody tr td.id a')].map((a) => a.textContent).join() === want,
    {},
    `${a2.id},${a1.id}`,
  );
  await page.select('form.filters select', 'PENDING_CONTRACT');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'PENDING_CONTRACT');
  await page.waitForFunction((want) => [...document.querySelectorAll('table.lines tbody tr td.id a')].map((a) => a.textContent).join() === want, {}, a1.id);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.reload();
  await page.waitForFunction((want) => [...document.querySelectorAll('table.lines tbody tr td.id a')].map((a) => a.textContent).join() === want, {}, a1.id);
  expect(await page.$eval('form.filters select', (s) => (s as HTMLSelectElement).value)).toBe('PENDING_CONTRACT');
  expect(await page.$eval('form.filters label:nth-of-type(1) input', (i) => (i as HTMLInputElement).value)).toBe('필터 A센터');

  // By DN: one line, whatever the other filters said before.
  await page.goto(`${h.baseUrl}/lines?dn=${a2.dn}`);
  await page.waitForFunction((want) => [...document.querySelectorAll('table.lines tbody tr td.id a')].map((a) => a.textContent).join() === want, {}, a2.id);
  expect(await page.$eval('table.lines tbody tr td.status', (el) => el.textContent)).toBe('개통 취소');
  expect(await ids()).toBe(a2.id);
  await page.browserContext().close();
});

test('a batch (일괄 개통): a DN named twice is refused beside the second row’s DN; the batch page counts its lines, links each, and takes the contract for all', async () => {
  const page = await browser.signedIn('spm', '/lines/new?mode=batch');
  const form = 'form[aria-label="일괄 개통"]';
  await page.waitForSelector(form);
  expect(await accessibilityViolations(page)).toEqual([]);
  const first = dn();
  const second = dn();
  await page.type(`${form} input[name=center]`, '상담 3센터');
  await page.type(`${form} input[name=team]`, '상담2팀');
  await page.type(`${form} input[name="lines.0.dn"]`, first);
  await page.type(`${form} input[name="lines.0.displayName"]`, '신규팀 1');
  await page.type(`${form} input[name="lines.0.agent.loginId"]`, 'batch.console1@team.example');
  await page.type(`${form} input[name="lines.0.agent.name"]`, '상담원 하나');
  await page.click(`${form} button::-p-text(행 추가)`);
  await page.waitForSelector(`${form} input[name="lines.1.dn"]`);
  await page.type(`${form} input[name="lines.1.dn"]`, first);
  await page.type(`${form} input[name="lines.1.displayName"]`, '신규팀 대표');
  await page.select(`${form} select[name="lines.1.lineType"]`, 'did');
  await page.click(`${form} button[type=submit]`);

  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-invalid') === 'true', {}, `${form} input[name="lines.1.dn"]`);
  expect(await errorBeside(page, `${form} input[name="lines.1.dn"]`)).toContain('lines.0.dn');
  expect(await errorBeside(page, `${form} input[name="lines.0.dn"]`)).toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);

  await typeOver(page, `${form} input[name="lines.1.dn"]`, second);
  await Promise.all([page.waitForSelector('table.batch-lines'), page.click(`${form} button[type=submit]`)]);
  const batchId = new URL(page.url()).pathname.split('/').pop()!;
  expect(batchId).toMatch(/^LB-\d{6}$/);
  await page.waitForFunction(() => document.querySelector('table.counts tr[data-status="PENDING_CONTRACT"] td')?.textContent === '2');
  const created = (await h.call('get', `/api/v1/line-batches/${batchId}`, { token: h.tokens.auditor })).body;
  expect(created.lines.map((l: Json) => l.dn)).toEqual([first, second]);
  expect(await page.$$eval('table.batch-lines tbody td.lineId a', (links) => links.map((a) => a.getAttribute('href')))).toEqual(
    created.lines.map((l: Json) => `/lines/${l.lineId}`),
  );
  expect(await accessibilityViolations(page)).toEqual([]);

  const contract = 'form[aria-label="일괄 계약"]';
  await page.type(`${contract} input[name=contractNo]`, 'LGU-2026-88');
  await page.type(`${contract} input[name=carrier]`, 'LG U+');
  await page.type(`${contract} input[name=monthlyFee]`, '18000');
  await page.click(`${contract} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector('dd.batch-status')?.getAttribute('data-status') === 'COMPLETED', { timeout: 120_000 });
  expect(await page.$eval('table.counts tr[data-status="ACTIVE"] td', (el) => el.textContent)).toBe('2');
  const done = (await h.call('get', `/api/v1/line-batches/${batchId}`, { token: h.tokens.auditor })).body;
  expect(done).toMatchObject({ status: 'COMPLETED', contract: { contractNo: 'LGU-2026-88', recordedBy: { id: 'spm-kim' } } });
  expect((await readLine(done.lines[0].lineId)).agent).toMatchObject({ team: '상담2팀' });
  await page.browserContext().close();
});

test('an auditor reads the inventory and a line but sees no action buttons; the server refuses a forged termination', async () => {
  const id = await activeLine('감사 센터');
  const page = await browser.signedIn('auditor', '/lines');
  await page.waitForSelector('table.lines');
  expect(await page.$('a[href="/lines/new"]')).toBeNull();
  await Promise.all([page.waitForSelector('dl.overview'), page.click(`a[href="/lines/${id}"]`)]);
  await shownStatus(page, 'ACTIVE');
  expect(await page.$$('main button')).toHaveLength(0);
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await page.$('#actions-title')).toBeNull();
  expect(await accessibilityViolations(page)).toEqual([]);
  const forged = await page.evaluate(
    async (lineId, token) =>
      (
        await fetch(`/api/v1/lines/${lineId}/termination`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reason: '위조' }),
        })
      ).status,
    id,
    h.tokens.auditor,
  );
  expect(forged).toBe(403);
  expect((await readLine(id)).status).toBe('ACTIVE');
  await page.browserContext().close();
});
