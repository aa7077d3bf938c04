import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { semaphore } from '../system/semaphore';
import puppeteer, { type Browser, type Page, type PDFOptions } from 'puppeteer-core';

/** Debian's Chromium builds, headless-shell first (lighter, and what `headless: 'shell'` expects). */
export const CHROMIUM_CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
];

/** What reports need from Debian: the browser and NanumGothic (Korean embedded as a real font). */
export const REPORT_PACKAGES = ['chromium-headless-shell', 'fonts-nanum'];
export const CHROMIUM_INSTALL_HINT = `apt-get install ${REPORT_PACKAGES.join(' ')}`;

export class BrowserMissingError extends Error {
  override readonly name = 'BrowserMissingError';
  constructor(readonly tried: string[]) {
    super(`no Chromium executable found (tried ${tried.join(', ')}); install it with: ${CHROMIUM_INSTALL_HINT}`);
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to drive: `executablePath` if given (must exist), else the first Debian candidate present. */
export function findChromium(executablePath?: string): string {
  const tried = executablePath ? [executablePath] : CHROMIUM_CANDIDATES;
  const found = tried.find(isExecutable);
  if (!found) throw new BrowserMissingError(tried);
  return found;
}

export interface BrowserPoolOptions {
  executablePath?: string;
  maxConcurrentPages?: number;
  /** Replace the browser after this many reports (bounds memory growth of a long-lived process). */
  restartAfter?: number;
}

export interface BrowserPool {
  /** Loads self-contained HTML (no network) in a page of its own for the report's time, and prints it. */
  render(html: string, pdfOptions: PDFOptions): Promise<Uint8Array>;
  /** Pages opened so far (reports reuse them): for tests and metrics. */
  pagesOpened(): number;
  close(): Promise<void>;
}

interface Slot {
  browser: Promise<Browser>;
  uses: number;
  active: number;
  retired: boolean;
  /** Pages a finished report left blank, for the next one. */
  idle: Page[];
}

/** headless: 'shell' for Debian's headless-shell build, the new headless mode for a full Chromium. */
export function headlessModeFor(executablePath: string): 'shell' | true {
  return path.basename(executablePath).includes('headless-shell') ? 'shell' : true;
}

/**
 * One long-lived browser per worker, launched on first use, at most `maxConcurrentPages` reports at
 * once, replaced after `restartAfter` reports or when it disconnects (crash). `close()` closes every
 * browser. Pages are reused: opening one costs more than printing a small report. Each is made once
 * with JavaScript off and every request but `data:` and `about:blank` refused, and between two
 * reports it goes back to `about:blank`, a new empty document: with no script ever run, nothing of
 * one report (DOM, storage, cookies, network) can reach the next
 * (`test/reports/report-engine.test.ts` prints B after A on one page and gets B's bytes exactly).
 * A page whose report failed is closed, not reused.
 */
export function createBrowserPool(options: BrowserPoolOptions = {}): BrowserPool {
  const { maxConcurrentPages = 2, restartAfter = 200 } = options;
  const executablePath = findChromium(options.executablePath);
  const headless = headlessModeFor(executablePath);
  const gate = semaphore(maxConcurrentPages);
  const slots = new Set<Slot>();
  let current: Slot | undefined;
  let closed = false;

  function launch(): Slot {
    const slot: Slot = { uses: 0, active: 0, retired: false, idle: [], browser: undefined as unknown as Promise<Browser> };
    slot.browser = puppeteer
      .launch({
        executablePath,
        headless,
        args: ['--no-sandbox', '--font-render-hinting=none', '--disable-gpu', '--disable-dev-shm-usage'],
      })
      .then((browser) => {
        browser.on('disconnected', () => retire(slot));
        return browser;
      });
    slot.browser.catch(() => retire(slot));
    slots.add(slot);
    return slot;
  }

  function retire(slot: Slot): void {
    slot.retired = true;
    if (current === slot) current = undefined;
    if (slot.active === 0) closeSlot(slot).catch(() => undefined);
  }

  async function closeSlot(slot: Slot): Promise<void> {
    if (!slots.delete(slot)) return;
    const browser = await slot.browser.catch(() => undefined);
    if (browser?.connected) await browser.close();
  }

  async function render(html: string, pdfOptions: PDFOptions): Promise<Uint8Array> {
    if (closed) throw new Error('browser pool is closed');
    await gate.acquire();
    let slot: Slot | undefined;
    try {
      if (closed) throw new Error('browser pool is closed');
      if (!current || current.uses >= restartAfter) {
        if (current) retire(current);
        current = launch();
      }
      slot = current;
      slot.uses++;
      slot.active++;
      const page = slot.idle.pop() ?? (await openPage(await slot.browser));
      let reusable = false;
      try {
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf(pdfOptions);
        await page.goto('about:blank');
        reusable = true;
        return pdf;
      } finally {
        if (reusable && !slot.retired && !closed) slot.idle.push(page);
        else await page.close().catch(() => undefined);
      }
    } finally {
      if (slot) {
        slot.active--;
        if (slot.retired && slot.active === 0) closeSlot(slot).catch(() => undefined);
      }
      gate.release();
    }
  }

  let opened = 0;
  async function openPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    opened++;
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      const decision = url.startsWith('data:') || url === 'about:blank' ? request.continue() : request.abort();
      decision.catch(() => undefined); // the page may already be closing
    });
    return page;
  }

  async function close(): Promise<void> {
    closed = true;
    current = undefined;
    await Promise.all([...slots].map((slot) => closeSlot(slot)));
  }

  return { render, close, pagesOpened: () => opened };
}
