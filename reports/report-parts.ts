import type { Metric } from '../domain/inspection/contracts';
import { InspectedSystem as InspectedSystems, Metric as Metrics } from '../domain/inspection/contracts';
import type { SystemTrendPoint } from '../domain/qsr/contracts';
import type { EmergencyChangeEntry } from '../domain/change/emergency';
import { dateFormat, label, LABELS, type ReportLocale } from './helpers';
import type { ChartSpec } from './render-report';

/** What the inspection and QSR reports share: labels of systems and metrics, stable sorting, the month-over-month trend charts. */

/** Metrics whose finding value and threshold are usage ratios (value / capacity); the others count days. */
export const USAGE_METRICS: ReadonlySet<Metric> = new Set(['cpu', 'memory', 'disk', 'ports', 'trunks', 'trunk-peak', 'lines', 'licences', 'phones']);

export const metricLabel = (metric: string, locale: ReportLocale) =>
  (Metrics.options as readonly string[]).includes(metric) ? label(`metric_${metric}`, locale) : metric;
export const systemLabel = (system: string, locale: ReportLocale) => (system === 'BACKUP' || system === 'ASSET' ? label(`system_${system}`, locale) : system);
export const systemRank = (system: string) => {
  const i = (InspectedSystems.options as readonly string[]).indexOf(system);
  return i < 0 ? InspectedSystems.options.length : i;
};
/** Position in the Metric enum; -1 for a metric it does not name. */
export const metricRank = (metric: string) => Metrics.options.indexOf(metric as Metric);

/** Sorts by each key in turn; strings by code unit, so the order is the same on every machine. */
export function byKeys<T>(...keys: Array<(item: T) => string | number>): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** The last instant of a [from, to) period: the report header prints `to` as a date, which must be the period's last day. */
export const inclusiveEnd = (to: string) => new Date(Date.parse(to) - 1).toISOString();

export interface TrendChart {
  /** Chart name in ReportInput.charts (and its SVG id prefix). */
  name: string;
  title: string;
  chart: ChartSpec;
}

/** Fixed colours, one per system in InspectedSystem order, so a system keeps its colour in every chart. */
const SYSTEM_COLOURS = ['#2f6fb5', '#e07b24', '#3a9b5c', '#c0392b', '#8e5fb5', '#7f8c8d', '#b59a2f', '#2fa7b5'];

/**
 * Month-over-month line charts, one per metric: a line per system at its worst
 * reading across centers (the point's own definition), over the last six months.
 * Usage ratios are drawn as percent; ages and days left as days.
 */
export function trendCharts(points: SystemTrendPoint[], locale: ReportLocale, options: { idPrefix: string; metrics?: string[] }): TrendChart[] {
  const wanted = options.metrics ? points.filter((p) => options.metrics!.includes(p.metric)) : points;
  const metrics = [...new Set(wanted.map((p) => p.metric))].sort(
    byKeys(
      (m) => (metricRank(m) < 0 ? Metrics.options.length : metricRank(m)),
      (m) => m,
    ),
  );
  return metrics.map((metric) => {
    const mine = wanted.filter((p) => p.metric === metric);
    const periods = [...new Set(mine.map((p) => p.period))].sort().slice(-6);
    const systems = [...new Set(mine.map((p) => p.system))].sort(byKeys(systemRank, (s) => s));
    const usage = USAGE_METRICS.has(metric as Metric);
    const worst = new Map<string, number>();
    for (const p of mine) {
      const key = `${p.period}|${p.system}`;
      worst.set(key, Math.max(worst.get(key) ?? -Infinity, p.value));
    }
    const y = (v: number | undefined) => (v === undefined ? null : usage ? Math.round(v * 1000) / 10 : v);
    const month = dateFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    return {
      name: `${options.idPrefix}-${metric.replace(/[^A-Za-z0-9-]/g, '_')}`,
      title: `${metricLabel(metric, locale)} ${label(usage ? 'trendUsage' : 'trendDays', locale)}`,
      chart: {
        width: 680,
        height: 240,
        option: {
          color: systems.map((s) => SYSTEM_COLOURS[systemRank(s) % SYSTEM_COLOURS.length]!),
          // containLabel: the first and last month labels sit on the plot's edges and would be clipped otherwise.
          grid: { left: 12, right: 36, top: 36, bottom: 8, containLabel: true },
          legend: { top: 2, data: systems.map((s) => systemLabel(s, locale)) },
          xAxis: { type: 'category', boundaryGap: false, data: periods.map((p) => month.format(new Date(`${p}-01T00:00:00Z`))) },
          yAxis: { type: 'value', min: 0, axisLabel: { formatter: `{value}${usage ? '%' : label('unitDays', locale)}` } },
          series: systems.map((s) => ({
            type: 'line' as const,
            name: systemLabel(s, locale),
            symbolSize: 6,
            data: periods.map((p) => y(worst.get(`${p}|${s}`))),
          })),
        },
      },
    };
  });
}

/**
 * The emergency changes section (partial `emergency-changes`): each change applied on the SPM's approval
 * alone, its outcome and the customer's approval afterwards; `flagged` when that is missing or refused.
 */
export function emergencySection(entries: readonly EmergencyChangeEntry[], locale: ReportLocale) {
  const outcome = (status: string) => (LABELS[`outcome_${status}`] ? label(`outcome_${status}`, locale) : status);
  return {
    total: entries.length,
    flagged: entries.filter((e) => e.flagged).length,
    rows: entries.map((e) => ({
      id: e.id,
      type: e.type,
      target: e.target,
      appliedAt: e.appliedAt,
      outcome: outcome(e.outcome),
      retro: label(`retro_${e.retroApproval ?? 'none'}`, locale),
      flagged: e.flagged,
    })),
  };
}
