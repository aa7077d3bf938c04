import { f0, f1, pct } from '../line-provisioning/figures';
import type { RunResult } from './runs';

/** The issue's targets for this workload on a 2-core machine. */
export const TARGETS = { p50Ms: 250, perSecond: 6, ratio: 3 };

export const perSecond = (r: RunResult) => (r.n / r.wallMs) * 1000;
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

/** The two runs side by side, their ratio, and the targets (shown, not asserted). */
export function printComparison(pooled: RunResult, perReport: RunResult): void {
  console.log('');
  console.log(table([pooled, perReport]));
  const ratio = perSecond(pooled) / perSecond(perReport);
  const p50 = pct(pooled.latencies, 50);
  console.log('');
  console.log(`pooled / browser per report: ${ratio.toFixed(2)}× the PDFs per second, p50 ${f0(pct(perReport.latencies, 50) - p50)} ms less per report`);
  console.log(
    `targets: p50 ≤ ${TARGETS.p50Ms} ms ${met(p50 <= TARGETS.p50Ms)}, ` +
      `≥ ${TARGETS.perSecond} PDFs/s pooled ${met(perSecond(pooled) >= TARGETS.perSecond)}, ` +
      `pooled ≥ ${TARGETS.ratio}× per report ${met(ratio >= TARGETS.ratio)}`,
  );
}

function table(rows: RunResult[]): string {
  const head = "browser              reports  at once   p50 ms   p95 ms   max ms   PDFs/s   wall s   CPU ms/PDF (Node)   others' CPU";
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
