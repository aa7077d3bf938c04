/**
 * The README's pictures of the console (docs/console/*.png), taken anew from the running product:
 * the whole stack on free ports, a small realistic data set made through the API (the same calls
 * people make), then each main page in Korean, 1440×900, in Debian's Chromium.
 *
 *   npm run console:screenshots
 *
 * Needs the built console (npm run console:build), Debian's chromium and fonts-nanum.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { runBenchmark } from '../line-provisioning/cleanup';
import { launchBrowser, signedInPage } from './browser';
import { seedShowcase, type Showcase } from './showcase';
import { startConsoleStack, type Person } from './stack';

const OUT = path.join(__dirname, '..', '..', 'docs', 'console');

interface Shot {
  name: string;
  person: Person;
  /** The URL, once the data set is made (some name what it made). */
  url: (made: Showcase) => string;
  /** What must be on the page before it is taken. */
  ready: string;
  /** Scrolled to the top of the picture, when the page's point is further down. */
  focus?: string;
}

const SHOTS: Shot[] = [
  { name: 'queue', person: 'spm', url: () => '/', ready: 'table.queue tbody tr' },
  { name: 'incident', person: 'spm', url: (s) => `/incidents/${s.resolvedIncident}`, ready: '.pdf-view canvas', focus: '#rca-title' },
  { name: 'new-incident', person: 'spm', url: () => '/incidents/new', ready: 'main form' },
  { name: 'lines', person: 'spm', url: () => '/lines', ready: 'main table' },
  { name: 'line', person: 'spm', url: (s) => `/lines/${s.line}`, ready: 'main h1' },
  { name: 'changes-calendar', person: 'spm', url: () => '/changes/calendar', ready: 'main h1' },
  { name: 'change', person: 'spm', url: (s) => `/changes/${s.change}`, ready: 'main h1' },
  { name: 'inspection', person: 'spm', url: (s) => `/reviews/inspections/${s.inspection}`, ready: '.pdf-view canvas' },
  { name: 'kpis', person: 'spm', url: () => '/reviews/kpis', ready: 'main svg' },
  { name: 'audit', person: 'auditor', url: () => '/audit', ready: 'main h1' },
  { name: 'admin-sla', person: 'admin', url: () => '/admin/sla', ready: 'main table' },
  { name: 'admin-holidays', person: 'admin', url: () => '/admin/holidays', ready: 'main h1' },
];

async function shoot(page: Page, base: string, shot: Shot, url: string): Promise<void> {
  await page.goto(`${base}${url}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(shot.ready, { timeout: 60_000 });
  // Quiet but for the event stream, which stays open.
  await page.waitForNetworkIdle({ idleTime: 500, concurrency: 1, timeout: 60_000 });
  // Countdowns tick: let the fonts settle and take the page as a person sees it.
  await page.evaluate(() => document.fonts.ready);
  if (shot.focus) await page.$eval(shot.focus, (el) => el.scrollIntoView());
  await page.screenshot({ path: path.join(OUT, `${shot.name}.png`), type: 'png' });
  console.log(`${shot.name}: ${url}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startConsoleStack();
  const made = await seedShowcase(stack);
  const browser = await launchBrowser();
  for (const shot of SHOTS) {
    const page = await signedInPage(browser, shot.person);
    await shoot(page, stack.baseUrl, shot, shot.url(made));
    await page.browserContext().close();
  }
}

runBenchmark(main);
