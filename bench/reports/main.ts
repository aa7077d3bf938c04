/**
 * The report engine under the issue's workload: a 10-page Korean report with
 * three charts and a 300-row table (bench/reports/input.ts), rendered to PDF
 * with one long-lived pooled browser, then with a browser launched (and
 * closed) per report, at the same concurrency, in one run. Prints p50/p95 per
 * report, PDFs per second and the throughput ratio; the targets are shown, not
 * asserted.
 *
 * The first PDF is checked (at least 10 pages, by pdfinfo), and every PDF must
 * have the same bytes. Warm-up reports (browser launch, JIT) are not counted.
 * "CPU ms/PDF" is what this process and Chromium used per report (in brackets:
 * this Node process alone: templates, charts, puppeteer), whatever else runs;
 * "others' CPU" is the share of the machine other processes took meanwhile: a
 * run where it is well above 0 % understates the engine.
 *
 *   npm run bench:reports -- [--n 60] [--concurrency 2] [--launch-n 10] [--warmup 4]
 *                            [--chromium /usr/lib/chromium/chromium]
 *
 * Needs Debian's chromium-headless-shell (or chromium), fonts-nanum and poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { findChromium, headlessModeFor } from '../../reports/browser-pool';
import { renderReportHtml, type RenderedReport } from '../../reports/render-report';
import { f1, pct } from '../line-provisioning/figures';
import { reportInput, ROWS } from './input';
import { pdfPages } from './pdf-pages';
import { printComparison } from './print';
import { browserPerReport, measure, pooledBrowser, type RunResult } from './runs';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const count = (name: string, fallback: number) => {
  const v = Number(args.get(name) ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number ≥ 1, not ${args.get(name)}`);
  return v;
};
const N = count('n', 60);
const CONCURRENCY = count('concurrency', 2);
const LAUNCH_N = count('launch-n', 10);
const WARMUP = count('warmup', 4);
const MIN_PAGES = 10;

async function main(): Promise<void> {
  const executablePath = findChromium(args.get('chromium'));
  const headless = headlessModeFor(executablePath) === 'shell' ? "'shell'" : 'true (new headless)';
  const version = execFileSync(executablePath, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`chromium: ${executablePath} (${version}), headless: ${headless}`);
  console.log(`machine: ${cpus().length} cores; reports: ${N} pooled, ${LAUNCH_N} with a browser each, ${CONCURRENCY} at a time`);

  const input = reportInput();
  const htmlMs = timeHtml(input, 20);

  const pooled = pooledBrowser(input, { executablePath, concurrency: CONCURRENCY });
  let first: RenderedReport;
  let pooledRun: RunResult;
  try {
    first = await pooled.renderOne();
    const pages = pdfPages(first.pdf);
    console.log(
      `report: ${pages} pages, ${first.pdf.length} bytes, ${ROWS} table rows, ${Object.keys(input.charts ?? {}).length} charts; ` +
        `HTML build alone (templates + chart SVGs) p50 ${f1(pct(htmlMs, 50))} ms`,
    );
    if (pages < MIN_PAGES) throw new Error(`the workload needs at least ${MIN_PAGES} pages: lengthen bench/reports/input.ts`);
    if (WARMUP > 1) await measure('warm-up', WARMUP - 1, CONCURRENCY, pooled.renderOne);
    pooledRun = await measure('pooled browser', N, CONCURRENCY, pooled.renderOne);
  } finally {
    await pooled.close();
  }

  const perReport = browserPerReport(input, { executablePath });
  await measure('warm-up', 1, 1, perReport);
  const launchRun = await measure('browser per report', LAUNCH_N, CONCURRENCY, perReport);
  const left = await settled(launchRun.chromiumRunning, 5_000);

  printComparison(pooledRun, launchRun);
  const digests = new Set([first.sha256, ...pooledRun.digests, ...launchRun.digests]);
  console.log(`PDFs with the same bytes: ${digests.size === 1 ? 'all' : `no, ${digests.size} different ones`}`);
  console.log(
    `Chromium processes at most at once: pooled ${pooledRun.cpu.peakChromium}, browser per report ${launchRun.cpu.peakChromium}; ` +
      `still running ${(left.ms / 1000).toFixed(1)} s after the last close: ${left.count}`,
  );
  if (digests.size !== 1 || left.count !== 0) process.exitCode = 1;
}

/** The HTML build alone (Handlebars, the ECharts SVGs), one after another, in ms. */
function timeHtml(input: ReturnType<typeof reportInput>, n: number): number[] {
  renderReportHtml(input); // compiles the templates
  return Array.from({ length: n }, () => {
    const t0 = performance.now();
    renderReportHtml(input);
    return performance.now() - t0;
  });
}

/** Polls `count` until it is 0 or `timeoutMs` passed (Chromium's zygotes exit up to a second or two after the browser). */
async function settled(count: () => number, timeoutMs: number): Promise<{ count: number; ms: number }> {
  const started = performance.now();
  let n = count();
  while (n > 0 && performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    n = count();
  }
  return { count: n, ms: performance.now() - started };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
