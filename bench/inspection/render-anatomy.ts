import path from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Pool } from 'pg';
import { findChromium } from '../../reports/browser-pool';
import { renderReportHtml, type ReportInput } from '../../reports/render-report';
import { parseReportInput } from '../../reports/report-store';
import { listDevices } from '../../db/devices.repo';
import { readingsOf, trendPoints } from '../../db/inspections.repo';
import { reportInput } from '../../db/reports.repo';
import { monthsEndingWith } from '../../domain/report/periods';
import { f0 } from '../line-provisioning/figures';
import type { Measured } from './report';

/**
 * Where the report activity's time goes, re-done here step by step on the
 * stored input of a run (the worker is idle by then): the activity's three
 * reads, Handlebars to HTML, Chromium laying the HTML out (setContent) and
 * printing it (page.pdf), with the launch options browser-pool.ts uses. Each
 * step is the best of `tries`, after one warm-up render. The register now
 * holds the last size's devices, so the reads of a smaller run read those.
 */
export async function reportAnatomy(pool: Pool, runs: Measured[], tries = 3): Promise<void> {
  const executablePath = findChromium(process.env.CHROMIUM_PATH);
  const browser = await puppeteer.launch({
    executablePath,
    headless: path.basename(executablePath).includes('headless-shell') ? 'shell' : true,
    args: ['--no-sandbox', '--font-render-hinting=none', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    console.log('');
    console.log('report activity, step by step (best of 3, re-done in this process on the stored input):');
    console.log('devices  table rows  activity ms  reads ms   HTML ms  HTML KB  layout ms  print ms  pages  rest ms');
    let warm = false;
    for (const m of runs) {
      const { state } = m.run;
      const text = state.report && (await reportInput(pool, state.report.reportId));
      if (!text) continue;
      const input = parseReportInput(text);
      const reads = await best(tries, () =>
        Promise.all([
          listDevices(pool, { centers: state.centers }),
          readingsOf(pool, state.id),
          trendPoints(pool, monthsEndingWith(state.period, 6), { inspectionId: state.id, period: state.period }, state.centers),
        ]),
      );
      const html = renderReportHtml(input);
      const htmlMs = await best(tries, async () => renderReportHtml(input));
      if (!warm) await print(browser, html);
      warm = true;
      const layout = await best(tries, async () => (await print(browser, html, false)).layoutMs);
      const printed = await best(tries, async () => (await print(browser, html)).printMs);
      const activityMs = m.phases.report.runMs;
      const rest = activityMs - reads - htmlMs - layout - printed;
      console.log(
        `${String(m.run.devices).padStart(7)} ${String(tableRows(input)).padStart(11)} ${f0(activityMs).padStart(12)} ${f0(reads).padStart(9)} ${f0(htmlMs).padStart(9)}` +
          ` ${f0(html.length / 1024).padStart(8)} ${f0(layout).padStart(10)} ${f0(printed).padStart(9)} ${String(state.report?.pages ?? '?').padStart(6)} ${f0(rest).padStart(8)}`,
      );
    }
    console.log(
      '(rest = activity − the steps: building the report input, date stamp and hash, storing PDF + input JSON; ' +
        'within ±0.3 s it is noise, negative when this re-run was slower than the worker)',
    );
  } finally {
    await browser.close();
  }
}

/** Rows of the report's tables: findings, readings by system, EOS/EOL assets, proposals. */
function tableRows(input: ReportInput): number {
  const data = input.data as { findings?: unknown[]; readingGroups?: Array<{ rows: unknown[] }>; eos?: unknown[]; proposals?: unknown[] };
  return (
    (data.findings?.length ?? 0) + (data.readingGroups ?? []).reduce((n, g) => n + g.rows.length, 0) + (data.eos?.length ?? 0) + (data.proposals?.length ?? 0)
  );
}

/** Lays `html` out in a fresh page and (unless told not to) prints it, as browser-pool.ts does; ms of each. */
async function print(browser: Awaited<ReturnType<typeof puppeteer.launch>>, html: string, pdf = true): Promise<{ layoutMs: number; printMs: number }> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    const t0 = performance.now();
    await page.setContent(html, { waitUntil: 'load' });
    const t1 = performance.now();
    if (pdf) await page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: false, outline: false });
    return { layoutMs: t1 - t0, printMs: performance.now() - t1 };
  } finally {
    await page.close();
  }
}

/** The fastest of `tries` timings of `fn` (ms): the least disturbed by anything else running. */
async function best(tries: number, fn: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < tries; i++) {
    const t0 = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}
