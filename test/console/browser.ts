/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { AxeResults } from 'axe-core';
import { CONSOLE_DIST } from '../../api/console';
import { findChromium } from '../../reports/browser-pool';
import { SUBJECTS, type Harness } from '../api/harness';

/**
 * The console's test browser: Debian's Chromium through puppeteer-core (never a downloaded browser),
 * one per test file, each page in a context of its own (no token or language left by another test).
 */
export function useBrowser(h: Harness): { page(): Promise<Page>; signedIn(role: keyof typeof SUBJECTS, at?: string): Promise<Page> } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(path.join(CONSOLE_DIST, 'index.html'))) throw new Error('the console is not built: npm run console:build (npm test does it)');
    const executablePath = findChromium();
    browser = await puppeteer.launch({
      executablePath,
      headless: executablePath.includes('headless-shell') ? 'shell' : true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  afterAll(() => browser?.close());

  const page = async () => (await browser!.createBrowserContext()).newPage();
  return {
    page,
    /** A page signed in through the sign-in page with the role's token, then opened at `at` (the queue by default). */
    async signedIn(role, at = '/') {
      const p = await page();
      await p.goto(`${h.baseUrl}/signin?next=${encodeURIComponent(at)}`);
      await p.waitForSelector('input#token');
      await p.type('input#token', h.tokens[role]);
      await p.click('button[type=submit]');
      await p.waitForFunction((who) => document.querySelector('header .who')?.textContent?.includes(who), {}, SUBJECTS[role]);
      return p;
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's rules (WCAG 2.x A and AA) over the page as it stands: the serious and critical
 * violations, each as "rule: selector" so a failure names what to fix. The caller expects [].
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the console's strict CSP (no inline scripts) does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? v.help})`));
}
