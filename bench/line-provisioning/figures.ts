/** The p-th percentile (0–100) of `values`, NaN when there are none. */
export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** No decimals; "–" for NaN or infinity. */
export const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');
/** One decimal; "–" for NaN or infinity. */
export const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
