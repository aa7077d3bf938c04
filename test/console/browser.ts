/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
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

/**
 * The fonts Chromium actually drew the element's text with (DevTools CSS.getPlatformFontsForNode),
 * not what the style sheet asked for: a missing font falls back silently, this sees it.
 */
export async function renderedFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no ${selector} on the page`);
    // The fonts of the node's own text children.
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
  }
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

/** The text of the element `selector` finds ('' when it has none); throws when there is no such element. */
export const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

/** The texts of every element `selector` finds, in document order. */
export const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((el) => el.textContent ?? ''));

/**
 * Sets a control's value as a pick in the browser would (a date, month or datetime-local input takes no
 * portable keystrokes): the native setter, then the input event React listens to. Throws when the control
 * is missing or does not hold the value afterwards (a value its type refuses is dropped to '').
 */
export async function setValue(page: Page, control: string | ElementHandle<Element>, value: string): Promise<void> {
  const handle = typeof control === 'string' ? await page.$(control) : control;
  if (!handle) throw new Error(`setValue: nothing matches ${String(control)}`);
  const held = await handle.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')!.set!.call(input, v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return input.value;
  }, value);
  if (held !== value) throw new Error(`setValue: ${String(control)} holds ${JSON.stringify(held)}, not ${JSON.stringify(value)}`);
}

/** Replaces what a text field holds as a person would: select all, delete, type (nothing typed for ''). */
export async function typeOver(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  if (value) await page.type(selector, value);
}

/** The complaint shown beside a control (the element its aria-describedby names) while it is aria-invalid, or null. */
export const errorBeside = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const id = el.getAttribute('aria-describedby');
    return el.getAttribute('aria-invalid') === 'true' && id ? (document.getElementById(id)?.textContent ?? null) : null;
  });

/**
 * How many pages of the inline PDF viewer pdf.js has drawn: canvases with text on them (over 1000 opaque
 * dark pixels). The viewer shows the PDF's SHA-256 once every page is drawn, so this waits for that (up to
 * `timeoutMs`) and then counts, for the caller to expect more than none.
 */
export async function pdfPagesDrawn(page: Page, timeoutMs = 60_000): Promise<number> {
  await page.waitForSelector('.pdf-view .sha', { timeout: timeoutMs });
  return page.$$eval(
    '.pdf-view canvas',
    (canvases) =>
      canvases.filter((c) => {
        const canvas = c as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < pixels.length && ink <= 1000; i += 4) if (pixels[i + 3]! > 0 && pixels[i]! < 128) ink++;
        return ink > 1000;
      }).length,
  );
}
