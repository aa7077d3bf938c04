import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findChromium } from '../../reports/browser-pool';
import { onStop } from '../line-provisioning/cleanup';
import { PEOPLE, type Person } from './stack';

/** Debian's Chromium, headless, as the console tests drive it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  const browser = await puppeteer.launch({
    executablePath,
    headless: executablePath.includes('headless-shell') ? 'shell' : true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
  });
  onStop('Chromium', () => browser.close());
  return browser;
}

/** A page of a fresh context (its own cache and storage) already signed in as `person` (the token in sessionStorage, as the sign-in page leaves it). */
export async function signedInPage(browser: Browser, person: Person, options: { width?: number; height?: number; lang?: 'ko' | 'en' } = {}): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: options.width ?? 1440, height: options.height ?? 900 });
  await page.evaluateOnNewDocument(
    (token, lang) => {
      sessionStorage.setItem('butler.token', token);
      localStorage.setItem('butler.lang', lang);
    },
    PEOPLE[person].token,
    options.lang ?? 'ko',
  );
  return page;
}
