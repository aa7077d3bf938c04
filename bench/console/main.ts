/**
 * The console's figures (issue 14), on the whole stack as `npm start` runs it: the built bundle's
 * sizes; the first load of the queue on loopback with N open incidents (a fresh browser context
 * each time: no cache, as a new visitor), and again with a warm cache; re-rendering the queue after
 * a filter change; and the list query the queue makes, timed from Node. Prints figures; asserts
 * nothing (targets: queue render ≤ 500 ms with 1,000 open incidents, initial bundle ≤ 300 KB gzip).
 *
 *   npm run bench:console -- [--open 1000] [--runs 10]
 *
 * Needs the built console (npm run console:build), Debian's chromium and fonts-nanum.
 */
import { cpus } from 'node:os';
import type { Page } from 'puppeteer-core';
import { runBenchmark } from '../line-provisioning/cleanup';
import { launchBrowser, signedInPage } from './browser';
import { bundleFigures } from './bundle';
import { seedOpenIncidents } from './seed';
import { startConsoleStack } from './stack';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const count = (name: string, fallback: number) => {
  const v = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number ≥ 1, not ${args.get(name)}`);
  return v;
};
const OPEN = count('open', 1000);
const RUNS = count('runs', 10);
const PAGE = 50;
const ROWS = Math.min(PAGE, OPEN);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (xs: number[]) => `${Math.round(quantile(xs, 0.5))} / ${Math.round(quantile(xs, 0.95))}`;

/** Milliseconds from the navigation's start to the first page of rows in the DOM, and the bytes it transferred. */
async function loadQueue(page: Page, url: string): Promise<{ ms: number; transferred: number }> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction((n) => document.querySelectorAll('table.queue tbody tr').length === n, { polling: 'raf', timeout: 60_000 }, ROWS);
  return page.evaluate(() => ({
    ms: performance.now(),
    transferred: performance.getEntriesByType('resource').reduce((sum, e) => sum + (e as PerformanceResourceTiming).transferSize, 0),
  }));
}

/**
 * Milliseconds from choosing a severity ('' = any) to the queue showing the new rows (another set
 * of ids, all of that severity when one is chosen); the stamps are taken in the page, on the frame
 * that shows them.
 */
async function filterQueue(page: Page, severity: string): Promise<number> {
  const before = await page.evaluate(() => {
    (window as unknown as { benchStart: number }).benchStart = performance.now();
    return [...document.querySelectorAll('table.queue tbody tr')].map((r) => r.getAttribute('data-id')).join();
  });
  await page.select('form.filters select', severity);
  const done = await page.waitForFunction(
    (s, previous) => {
      const rows = [...document.querySelectorAll('table.queue tbody tr')];
      const ids = rows.map((r) => r.getAttribute('data-id')).join();
      const ok = rows.length > 0 && ids !== previous && (!s || rows.every((r) => r.querySelector('td.col-severity')?.textContent === s));
      return ok ? performance.now() - (window as unknown as { benchStart: number }).benchStart : false;
    },
    { polling: 'raf', timeout: 60_000 },
    severity,
    before,
  );
  return (await done.jsonValue()) as number;
}

async function main(): Promise<void> {
  const bundle = bundleFigures();
  console.log(`machine: ${cpus().length} cores; ${OPEN} open incidents; ${RUNS} runs of each`);
  console.log(`bundle: initial ${bundle.initial.files.join(' + ')} = ${kb(bundle.initial.bytes)} (${kb(bundle.initial.gzip)} gzip)`);
  for (const c of bundle.lazy.slice(0, 8)) console.log(`  lazy ${c.file}: ${kb(c.bytes)} (${kb(c.gzip)} gzip)`);
  console.log(
    `  lazy, all ${bundle.lazy.length} chunks: ${kb(bundle.lazy.reduce((s, c) => s + c.bytes, 0))} (${kb(bundle.lazy.reduce((s, c) => s + c.gzip, 0))} gzip)`,
  );

  const stack = await startConsoleStack();
  const seeded = await seedOpenIncidents(stack, OPEN);
  console.log(`seeded ${OPEN} open incidents through the API in ${(seeded / 1000).toFixed(1)} s`);

  const api: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    const t = performance.now();
    await stack.call('engineer', 'get', `/api/v1/incidents?open=true&sort=restoreDue&limit=${PAGE}`);
    api.push(performance.now() - t);
  }

  const browser = await launchBrowser();
  const cold: number[] = [];
  const warm: number[] = [];
  const filter: number[] = [];
  let transferred = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const page = await signedInPage(browser, 'spm');
    const first = await loadQueue(page, `${stack.baseUrl}/`);
    const again = await loadQueue(page, `${stack.baseUrl}/`);
    const narrowed = await filterQueue(page, 'P2');
    const widened = await filterQueue(page, '');
    await page.browserContext().close();
    // The first round warms the server (its pools, the JIT), not counted.
    if (i === 0) continue;
    cold.push(first.ms);
    warm.push(again.ms);
    filter.push(narrowed, widened);
    transferred = first.transferred;
  }

  console.log('');
  console.log('| measure | p50 / p95 ms |');
  console.log('| --- | --- |');
  console.log(`| first load, fresh context (no cache; ${kb(transferred)} transferred): navigation → ${ROWS} rows of ${OPEN} open | ${ms(cold)} |`);
  console.log(`| reload, warm cache: navigation → ${ROWS} rows | ${ms(warm)} |`);
  console.log(`| filter change (severity) → the queue re-rendered | ${ms(filter)} |`);
  console.log(`| GET /api/v1/incidents?open=true&sort=restoreDue&limit=${PAGE} from Node | ${ms(api)} |`);
}

runBenchmark(main);
