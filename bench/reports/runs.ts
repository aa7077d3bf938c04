import { createBrowserPool } from '../../reports/browser-pool';
import { createReportRenderer, type ReportInput, type RenderedReport } from '../../reports/render-report';
import { trackCpu, type CpuUse } from './cpu';

export interface RunResult {
  name: string;
  n: number;
  concurrency: number;
  /** Per report, ms: from the call to the PDF in hand (for a browser per report, until it is closed). */
  latencies: number[];
  wallMs: number;
  /** The distinct SHA-256 of the PDFs: one when the engine is deterministic. */
  digests: Set<string>;
  cpu: CpuUse;
  /** Chromium processes seen during the run that still exist. */
  chromiumRunning: () => number;
}

type RenderOne = () => Promise<RenderedReport>;

/** Renders `n` reports, `concurrency` at a time, and times each. */
export async function measure(name: string, n: number, concurrency: number, renderOne: RenderOne): Promise<RunResult> {
  const latencies: number[] = [];
  const digests = new Set<string>();
  let next = 0;
  const cpuTracker = trackCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        next++;
        const t0 = performance.now();
        const { sha256 } = await renderOne();
        latencies.push(performance.now() - t0);
        digests.add(sha256);
      }
    }),
  );
  const wallMs = performance.now() - started;
  return { name, n, concurrency, latencies, wallMs, digests, cpu: cpuTracker.stop(), chromiumRunning: cpuTracker.chromiumRunning };
}

/** One long-lived browser, at most `concurrency` pages at once, as the worker runs it. */
export function pooledBrowser(input: ReportInput, opts: { executablePath?: string; concurrency: number }) {
  const pool = createBrowserPool({ executablePath: opts.executablePath, maxConcurrentPages: opts.concurrency });
  const renderer = createReportRenderer({ browser: pool });
  return { renderOne: () => renderer.renderReport(input), close: () => pool.close() };
}

/**
 * A browser launched for each report and closed (awaited: the process has
 * exited) before the next one starts in that slot: the same engine code path,
 * through a pool that lives for one report.
 */
export function browserPerReport(input: ReportInput, opts: { executablePath?: string }): RenderOne {
  return async () => {
    const pool = createBrowserPool({ executablePath: opts.executablePath, maxConcurrentPages: 1 });
    try {
      return await createReportRenderer({ browser: pool }).renderReport(input);
    } finally {
      await pool.close();
    }
  };
}
