/**
 * The report engine under the issue's workload: a 10-page Korean report with
 * three charts and a 300-row table (bench/reports/input.ts), rendered to PDF
 * with one long-lived pooled browser, then with a browser launched (and
 * closed) per report, at the same concurrency, in one run. Prints p50/p95 per
 * report, PDFs per second, and the throughput ratio; the targets (p50 ≤ 250 ms,
 * ≥ 6 PDFs/s pooled, pooled ≥ 3× per report) are shown, not asserted.
 *
 * The PDFs are checked first: at least 10 pages (pdfinfo), and the same bytes
 * every time. Warm-up reports (browser launch, JIT, first chart) are not counted.
 * "CPU ms/PDF" is what this process and Chromium used per report (in
 * brackets: this Node process alone — templates, charts, puppeteer), whatever
 * else runs; "others' CPU" is the share of the machine other processes took
 * meanwhile: figures from a run where it is well above 0 % understate the engine.
 *
 *   npm run bench:reports -- [--n 60] [--concurrency 2] [--launch-n 10] [--warmup 4]
 *                            [--chromium /usr/lib/chromium/chromium]
 *
 * Needs Debian's chromium-headless-shell (or chromium), fonts-nanum and poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import { findChromium } from '../../activities/reports/browser-pool';
import { renderReportHtml } from '../../activities/reports/render-report';
import { f0, f1, pct } from '../line-provisioning/figures';
import { reportInput, ROWS } from './input';
import { pdfPages } from './pdf-pages';
import { browserPerReport, measure, pooledBrowser, type RunResult } from './runs';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const N = Number(args.get('n') ?? 60);
const CONCURRENCY = Number(args.get('concurrency') ?? 2);
const LAUNCH_N = Number(args.get('launch-n') ?? 10);
const WARMUP = Math.max(1, Number(args.get('warmup') ?? 4));
const CHROMIUM = args.get('chromium');
const MIN_PAGES = 10;
const TARGET = { p50Ms: 250, perSecond: 6, ratio: 3 };

async function main(): Promise<void> {
  const executablePath = findChromium(CHROMIUM);
  // The rule browser-pool.ts applies: headless-shell builds run as 'shell', the full browser as new headless.
  const headless = path.basename(executablePath).includes('headless-shell') ? "'shell'" : 'true (new headless)';
  const version = execFileSync(executablePath, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`chromium: ${executablePath} (${version}), headless: ${headless}`);
  console.log(`machine: ${cpus().length} cores; reports: ${N} pooled, ${LAUNCH_N} with a browser each, ${CONCURRENCY} at a time, after ${WARMUP} warm-up each`);

  const input = reportInput();
  const htmlMs = timeHtml(input, 20);

  const pooled = pooledBrowser(input, { executablePath, concurrency: CONCURRENCY });
  let pooledRun: RunResult;
  let pages: number;
  let bytes: number;
  try {
    const first = await pooled.renderOne();
    pages = pdfPages(first.pdf);
    bytes = first.pdf.length;
    if (pages < MIN_PAGES) throw new Error(`the report has ${pages} pages, the workload needs at least ${MIN_PAGES}: lengthen bench/reports/input.ts`);
    await measure('warm-up', WARMUP - 1, CONCURRENCY, pooled.renderOne);
    pooledRun = await measure('pooled browser', N, CONCURRENCY, pooled.renderOne);
    pooledRun.digests.add(first.sha256);
  } finally {
    await pooled.close();
  }
  console.log(`report: ${pages} pages, ${bytes} bytes, ${ROWS} table rows, ${Object.keys(input.charts ?? {}).length} charts; HTML build (templates + chart SVGs, no browser) p50 ${f1(pct(htmlMs, 50))} ms`);

  const perReport = browserPerReport(input, { executablePath });
  await measure('warm-up', 1, 1, perReport);
  const launchRun = await measure('browser per report', LAUNCH_N, CONCURRENCY, perReport);
  const left = await settled(launchRun.chromiumRunning, 5_000);

  console.log('');
  console.log(table([pooledRun, launchRun]));
  const ratio = perSecond(pooledRun) / perSecond(launchRun);
  console.log('');
  console.log(`pooled / browser per report: ${ratio.toFixed(2)}× the PDFs per second, p50 ${f0(pct(launchRun.latencies, 50) - pct(pooledRun.latencies, 50))} ms less per report`);
  console.log(
    `targets: p50 ≤ ${TARGET.p50Ms} ms ${met(pct(pooledRun.latencies, 50) <= TARGET.p50Ms)}, ` +
      `≥ ${TARGET.perSecond} PDFs/s pooled ${met(perSecond(pooledRun) >= TARGET.perSecond)}, ` +
      `pooled ≥ ${TARGET.ratio}× per report ${met(ratio >= TARGET.ratio)}`,
  );
  const digests = new Set([...pooledRun.digests, ...launchRun.digests]);
  console.log(`PDFs with the same bytes: ${digests.size === 1 ? 'all' : `no, ${digests.size} different ones`}`);
  console.log(
    `Chromium processes at most at once: pooled ${pooledRun.cpu.peakChromium}, browser per report ${launchRun.cpu.peakChromium}; ` +
      `still running ${(left.ms / 1000).toFixed(1)} s after the last close: ${left.count}`,
  );
  if (digests.size !== 1 || left.count !== 0) process.exitCode = 1;
}

/** The HTML build alone (Handlebars, the three ECharts SVGs), sequentially, in ms. */
function timeHtml(input: ReturnType<typeof reportInput>, n: number): number[] {
  renderReportHtml(input); // compile the templates once
  return Array.from({ length: n }, () => {
    const t0 = performance.now();
    renderReportHtml(input);
    return performance.now() - t0;
  });
}

/** Polls `count` until it is 0 or `timeoutMs` passed (Chromium's zygotes exit up to a second after the browser). */
async function settled(count: () => number, timeoutMs: number): Promise<{ count: number; ms: number }> {
  const started = performance.now();
  let n = count();
  while (n > 0 && performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    n = count();
  }
  return { count: n, ms: performance.now() - started };
}

const perSecond = (r: RunResult) => (r.n / r.wallMs) * 1000;
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

function table(rows: RunResult[]): string {
  const head = 'browser              reports  at once   p50 ms   p95 ms   max ms   PDFs/s   wall s   CPU ms/PDF (Node)   others\' CPU';
  return [
    head,
    ...rows.map((r) =>
      [
        r.name.padEnd(19),
        String(r.n).padStart(8),
        String(Math.min(r.concurrency, r.n)).padStart(8),
        f0(pct(r.latencies, 50)).padStart(8),
        f0(pct(r.latencies, 95)).padStart(8),
        f0(pct(r.latencies, 100)).padStart(8),
        f1(perSecond(r)).padStart(8),
        f1(r.wallMs / 1000).padStart(8),
        `${f0(r.cpu.oursMs / r.n).padStart(12)} ${`(${f0(r.cpu.nodeMs / r.n)})`.padStart(6)}`,
        `${f0((r.cpu.othersMs / r.cpu.availableMs) * 100)} %`.padStart(13),
      ].join(' '),
    ),
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
