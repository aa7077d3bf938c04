/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'puppeteer-core';
import { DEFAULT_BILL_PROFILES } from '../../domain/billing/default-profiles';
import { seedLines } from '../../db/line-seed';
import { useHarness } from '../api/harness';
import { writeBillFile } from '../support/bill-files';
import { eventually } from '../support/eventually';
import type { Json } from '../support/json';
import { accessibilityViolations, errorBeside, text, texts, useBrowser } from './browser';

/**
 * The bill pages (요금 청구서) in a real browser against the real stack: KT's October bill, uploaded
 * as CP949 CSV and reconciled by the real worker against two seeded lines (one billed over its
 * contract), reviewed by the SPM on its page (dispute, approve, pay) and read by an auditor.
 */

const h = useHarness();
const browser = useBrowser(h);

let billId = '';

async function bill(): Promise<Json> {
  const res = await h.call('get', `/api/v1/bills/${billId}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

const statusOnPage = (page: Page) => page.$eval('main .facts [data-status]', (el) => el.getAttribute('data-status'));

beforeAll(async () => {
  await seedLines(h.pool, [
    { id: 'LN-940001', dn: '0231400001', carrier: 'KT', monthlyFee: 30_000, activatedAt: '2025-03-02T10:00:00+09:00' },
    { id: 'LN-940002', dn: '0231400002', carrier: 'KT', monthlyFee: 30_000, activatedAt: '2025-03-02T10:00:00+09:00' },
  ]);
  const file = await writeBillFile(
    DEFAULT_BILL_PROFILES.KT!,
    [
      { number: '02-3140-0001', baseFee: 30_000, usageFee: 4_800 },
      // 3,000 KRW over the contract's 30,000.
      { number: '02-3140-0002', baseFee: 33_000, usageFee: 5_000 },
    ],
    { format: 'csv', encoding: 'cp949', thousands: true, month: '2026-10', dueDate: '2026-11-25' },
  );
  const res = await h.call('post', '/api/v1/bills?carrier=KT&month=2026-10&fileName=KT-2026-10.csv', {
    token: h.tokens.spm,
    body: file,
    headers: { 'content-type': 'text/csv' },
  });
  expect(res.status).toBe(201);
  billId = res.body.id;
  expect((await eventually(bill, (b) => b.status !== 'RECONCILING', 60_000)).status).toBe('AWAITING_REVIEW');
});

test('an auditor reads the bill and its findings but is offered no action form', async () => {
  const page = await browser.signedIn('auditor', `/bills/${billId}`);
  await page.waitForSelector('table.bill-findings tbody tr');
  expect(await statusOnPage(page)).toBe('AWAITING_REVIEW');
  expect(await page.$$('main form, main input[type=checkbox]')).toHaveLength(0);
  expect(await texts(page, 'main h2')).not.toContain('처리');
  expect(await accessibilityViolations(page)).toEqual([]);
  // The navigation offers the bills to those who may read them.
  expect(await texts(page, 'header nav a')).toContain('요금 청구서');
  await page.browserContext().close();
});

test('an SPM finds the bill in the list, disputes its finding (a 400 beside its field first), approves, records the payment and settles the dispute', async () => {
  const page = await browser.signedIn('spm', '/bills');
  await page.waitForSelector(`table.bills tbody tr[data-id="${billId}"]`);
  const row = `table.bills tbody tr[data-id="${billId}"]`;
  expect(await text(page, `${row} td.col-carrier`)).toBe('KT');
  expect(await text(page, `${row} td.col-month`)).toBe('2026-10');
  expect(await text(page, `${row} td.col-status`)).toBe('검토 대기');
  expect(await text(page, `${row} td.col-lines`)).toBe('2');
  expect(await text(page, `${row} td.col-total`)).toBe('72,800원');
  expect(await text(page, `${row} td.col-findings`)).toBe('1건');
  expect(await text(page, `${row} td.col-atStake`)).toBe('3,000원');
  expect(await text(page, `${row} td.col-dueDate`)).toBe('2026-11-25');
  expect(await texts(page, 'header nav a')).toContain('요금 청구서');
  expect(await accessibilityViolations(page)).toEqual([]);

  // The status filter lives in the URL.
  await page.select('form.filters select', 'PAID');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('status') === 'PAID');
  await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('해당하는 청구서가 없습니다.'));
  await page.goBack();
  await page.waitForSelector(row);

  await Promise.all([page.waitForSelector('table.bill-findings tbody tr'), page.click(`a[href="/bills/${billId}"]`)]);
  expect(await text(page, 'h1')).toBe(`${billId} KT 2026-10`);
  expect(await statusOnPage(page)).toBe('AWAITING_REVIEW');
  expect(await text(page, 'dd.total')).toBe('72,800원');
  expect(await text(page, 'dd.due-date')).toBe('2026-11-25');
  const finding = 'table.bill-findings tbody tr';
  expect(await texts(page, `${finding} td.col-kind`)).toEqual(['기본료 불일치']);
  expect(await text(page, `${finding} td.col-number`)).toBe('0231400002');
  expect(await text(page, `${finding} td.col-amount`)).toBe('3,000원');
  expect(await text(page, `${finding} td.col-dispute`)).toBe('');
  expect(await accessibilityViolations(page)).toEqual([]);

  // Chosen, but without the carrier's reference: the API's 400 shows beside that field.
  await page.click(`${finding} input[type=checkbox]`);
  await page.waitForFunction(() => document.querySelectorAll('.selected-findings li').length === 1);
  await page.click('form.bill-dispute button[type=submit]');
  await page.waitForSelector('input[name=carrierReference][aria-invalid=true]');
  expect(await errorBeside(page, 'input[name=carrierReference]')).toBeTruthy();

  await page.type('input[name=carrierReference]', 'KT-CLAIM-2611');
  await page.type('form.bill-dispute textarea[name=note]', '기본료 3,000원 초과 청구');
  await page.click('form.bill-dispute button[type=submit]');
  await page.waitForSelector('table.bill-disputes tbody tr');
  const dispute = (await bill()).disputes[0];
  expect(dispute).toMatchObject({ carrierReference: 'KT-CLAIM-2611', amountKrw: 3_000, status: 'OPEN' });
  expect(await text(page, 'table.bill-disputes tbody tr th')).toBe(dispute.id);
  expect(await text(page, 'table.bill-disputes tbody tr td.amount')).toBe('3,000원');
  await page.waitForFunction((id) => document.querySelector('table.bill-findings tbody tr td.col-dispute')?.textContent === id, {}, dispute.id);
  // Disputed: no longer offered for another dispute; a settle form for the open dispute instead.
  expect(await page.$$(`${finding} input[type=checkbox]`)).toHaveLength(0);
  expect(await page.$$(`form.bill-settle[data-dispute="${dispute.id}"]`)).toHaveLength(1);
  expect(await accessibilityViolations(page)).toEqual([]);

  // Approved at the default: the total less what the open dispute holds back.
  await page.type('form.bill-approve textarea[name=comment]', '분쟁 금액 제외 승인');
  await page.click('form.bill-approve button[type=submit]');
  await page.waitForFunction(() => document.querySelector('main .facts [data-status]')?.getAttribute('data-status') === 'APPROVED');
  expect((await bill()).approval).toMatchObject({ amountKrw: 69_800, comment: '분쟁 금액 제외 승인' });
  expect(await text(page, 'dd.approval')).toContain('69,800원');
  expect(await page.$$('form.bill-approve')).toHaveLength(0);

  await page.waitForSelector('form.bill-pay');
  expect(await page.$eval('form.bill-pay input[name=amountKrw]', (el) => (el as HTMLInputElement).value)).toBe('69800');
  await page.type('form.bill-pay input[name=reference]', '이체 2611-01');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.click('form.bill-pay button[type=submit]');
  await page.waitForFunction(() => document.querySelector('main .facts [data-status]')?.getAttribute('data-status') === 'PAID');
  expect((await bill()).payment).toMatchObject({ amountKrw: 69_800, reference: '이체 2611-01' });
  expect(await text(page, 'dd.payment')).toContain('69,800원');
  expect(await page.$$('form.bill-pay, form.bill-dispute')).toHaveLength(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  // The carrier credits the claim: settled from its own form, which then goes.
  await page.click(`form.bill-settle[data-dispute="${dispute.id}"] button[type=submit]`);
  await page.waitForFunction(() => document.querySelector('table.bill-disputes tbody tr td[data-status]')?.getAttribute('data-status') === 'SETTLED');
  expect((await bill()).disputes[0].settlement).toMatchObject({ creditKrw: 3_000 });
  expect(await page.$$('form.bill-settle')).toHaveLength(0);
  await page.browserContext().close();
});
