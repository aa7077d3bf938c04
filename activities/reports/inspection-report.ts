import type { Device, Finding, InspectionState, Metric, Reading } from '../../domain/inspection/contracts';
import { InspectedSystem as InspectedSystems, Metric as Metrics } from '../../domain/inspection/contracts';
import type { SystemTrendPoint } from '../../domain/qsr/contracts';
import { collectionFailureFinding, compareFindings } from '../../domain/inspection/rules';
import type { ReviewDecision } from '../../domain/report/contracts';
import { monthBounds } from '../../domain/report/periods';
import { dateFormat, label, type ReportLocale } from '../../templates/helpers';
import type { ChartSpec, ReportInput } from './render-report';

/**
 * The monthly inspection report (월간 정기점검 보고서) as report data: a pure
 * function of what the inspection collected and found. `asOf` stands in for the
 * clock (days left to EOS/EOL), so the stored input re-renders to the same PDF.
 * The month-over-month trend charts live here too; the QSR reuses them (trendCharts).
 */

export interface InspectionReportData {
  inspection: { id: string; period: string; centers: string[]; startedAt: string; review: ReviewDecision | null };
  collectors: InspectionState['collectors'];
  findings: Finding[];
  incidents: InspectionState['incidents'];
  devices: Device[];
  readings: Reading[];
  /** Up to six months, this period included. */
  trends: SystemTrendPoint[];
  asOf: string;
}

/** Devices whose EOS or EOL falls within this many days (or has passed) are listed. */
export const EOS_HORIZON_DAYS = 365;

/** Metrics whose finding value and threshold are usage ratios (value / capacity); the others count days. */
const USAGE_METRICS: ReadonlySet<Metric> = new Set(['cpu', 'memory', 'disk', 'ports', 'trunks', 'lines', 'licences', 'phones']);

/** A number as the `quantity` partial prints it: a ratio through `percent`, anything else through `number` and a unit. */
export interface Quantity {
  percent: boolean;
  value: number;
  digits: number;
  unit: string;
}

const DAY_MS = 86_400_000;

export const metricLabel = (metric: string, locale: ReportLocale) =>
  (Metrics.options as readonly string[]).includes(metric) ? label(`metric_${metric}`, locale) : metric;
export const systemLabel = (system: string, locale: ReportLocale) =>
  system === 'BACKUP' || system === 'ASSET' ? label(`system_${system}`, locale) : system;
const systemRank = (system: string) => {
  const i = (InspectedSystems.options as readonly string[]).indexOf(system);
  return i < 0 ? InspectedSystems.options.length : i;
};
/** Position in the Metric enum; -1 for a metric it does not name. */
const metricRank = (metric: string) => Metrics.options.indexOf(metric as Metric);

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
  const metrics = [...new Set(wanted.map((p) => p.metric))].sort(byKeys((m) => (metricRank(m) < 0 ? Metrics.options.length : metricRank(m)), (m) => m));
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

const days = (value: number, locale: ReportLocale): Quantity => ({ percent: false, value, digits: 0, unit: label('unitDays', locale) });

/** A reading's value or capacity in its unit: bytes as GiB, percent as a number with a % sign. */
function amount(value: number, unit: Reading['unit'], locale: ReportLocale): Quantity {
  switch (unit) {
    case 'percent':
      return { percent: false, value, digits: 1, unit: '%' };
    case 'bytes':
      return { percent: false, value: value / 2 ** 30, digits: 1, unit: ' GiB' };
    case 'days':
      return days(value, locale);
    case 'count':
      return { percent: false, value, digits: 0, unit: '' };
  }
}

function findingQuantity(metric: Metric | null, value: number | null, locale: ReportLocale): Quantity | null {
  if (value === null) return null;
  if (metric !== null && USAGE_METRICS.has(metric)) return { percent: true, value, digits: 1, unit: '' };
  if (metric !== null) return days(value, locale);
  return { percent: false, value, digits: 0, unit: '' };
}

/** Calendar days from `asOf`'s date in Seoul to a YYYY-MM-DD date (negative once passed). */
function daysUntil(date: string, asOf: string): number {
  const today = new Date(Date.parse(asOf) + 9 * 3_600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * The workflow records a failed collector as a finding; a collector marked failed
 * without one (older state, a hand-built input) still shows, so a hole in the
 * inspection is never missing from its report.
 */
function unreportedFailures(data: InspectionReportData): Finding[] {
  const reported = new Set(data.findings.filter((f) => f.error !== undefined).map((f) => `${f.center}/${f.system}`));
  return data.collectors
    .filter((c) => c.status === 'failed' && !reported.has(`${c.center}/${c.system}`))
    .map((c) => collectionFailureFinding(c, null, c.error ?? 'collection failed'));
}

function findingRows(data: InspectionReportData, findings: Finding[], deviceName: (id: string | null) => string, locale: ReportLocale) {
  const incidentOf = new Map(data.incidents.map((i) => [i.findingKey, i.incidentId]));
  return findings.map((f) => ({
    severity: label(`sev_${f.severity}`, locale),
    critical: f.severity === 'critical',
    center: f.center,
    system: systemLabel(f.system, locale),
    device: deviceName(f.deviceId),
    metric: f.metric === null ? '—' : metricLabel(f.metric, locale),
    item: f.item ?? null,
    value: findingQuantity(f.metric, f.value, locale),
    threshold: findingQuantity(f.metric, f.threshold, locale),
    error: f.error ?? null,
    proposal: f.proposal[locale],
    incidentId: incidentOf.get(f.key) ?? null,
  }));
}

function readingGroups(readings: Reading[], deviceName: (id: string | null) => string, locale: ReportLocale) {
  const sorted = [...readings].sort(
    byKeys(
      (r) => systemRank(r.system),
      (r) => r.center,
      (r) => deviceName(r.deviceId),
      (r) => metricRank(r.metric),
      (r) => r.item ?? '',
    ),
  );
  const groups: Array<{ system: string; rows: unknown[] }> = [];
  for (const r of sorted) {
    const name = systemLabel(r.system, locale);
    if (groups.at(-1)?.system !== name) groups.push({ system: name, rows: [] });
    groups.at(-1)!.rows.push({
      center: r.center,
      device: deviceName(r.deviceId),
      metric: metricLabel(r.metric, locale),
      item: r.item ?? null,
      value: amount(r.value, r.unit, locale),
      capacity: r.capacity === null ? null : amount(r.capacity, r.unit, locale),
      usage: r.capacity ? r.value / r.capacity : null,
    });
  }
  return groups;
}

function eosRows(devices: Device[], asOf: string, locale: ReportLocale) {
  const rows = devices.flatMap((d) =>
    (['eos', 'eol'] as const).flatMap((kind) => {
      const date = kind === 'eos' ? d.eosDate : d.eolDate;
      if (date === null) return [];
      const left = daysUntil(date, asOf);
      if (left > EOS_HORIZON_DAYS) return [];
      return [{ center: d.center, system: d.system, device: d.name, model: d.model, kind: label(`milestone_${kind}`, locale), day: date, daysLeft: left, passed: left < 0, daysAgo: -left }];
    }),
  );
  return rows.sort(byKeys((r) => r.daysLeft, (r) => r.center, (r) => r.device, (r) => r.kind));
}

/** Improvement proposals (개선사항): each distinct proposal once, with how many findings call for it. */
function proposals(findings: Finding[], locale: ReportLocale) {
  const byText = new Map<string, { proposal: string; findings: number; critical: boolean; systems: Set<string> }>();
  for (const f of findings) {
    const text = f.proposal[locale];
    const entry = byText.get(text) ?? { proposal: text, findings: 0, critical: false, systems: new Set<string>() };
    entry.findings++;
    entry.critical ||= f.severity === 'critical';
    entry.systems.add(systemLabel(f.system, locale));
    byText.set(text, entry);
  }
  return [...byText.values()].map((p, i) => ({
    no: i + 1,
    proposal: p.proposal,
    findings: p.findings,
    severity: label(p.critical ? 'sev_critical' : 'sev_warning', locale),
    critical: p.critical,
    systems: [...p.systems].sort((a, b) => systemRank(a) - systemRank(b) || (a < b ? -1 : a > b ? 1 : 0)).join(', '),
  }));
}

export function inspectionReportInput(
  data: InspectionReportData,
  { locale, documentDate }: { locale: ReportLocale; documentDate: Date },
): ReportInput {
  const t = (k: string) => label(k, locale);
  const names = new Map(data.devices.map((d) => [d.id, d.name]));
  const deviceName = (id: string | null) => (id === null ? '—' : (names.get(id) ?? id));
  const findings = [...data.findings, ...unreportedFailures(data)].sort(compareFindings);
  const count = <T>(items: T[], test: (item: T) => boolean) => items.filter(test).length;
  const month = monthBounds(data.inspection.period);
  const review = data.inspection.review;
  const trends = trendCharts(data.trends, locale, { idPrefix: 'trend' });
  return {
    template: 'inspection/report',
    locale,
    documentDate,
    title: `${t('inspectionReport')} ${data.inspection.period}`,
    charts: Object.fromEntries(trends.map((c) => [c.name, c.chart])),
    data: {
      period: { from: month.from, to: inclusiveEnd(month.to) },
      inspection: {
        id: data.inspection.id,
        period: data.inspection.period,
        centers: data.inspection.centers.join(', '),
        startedAt: data.inspection.startedAt,
        asOf: data.asOf,
        review: review && {
          decision: t(`review_${review.decision}`),
          approved: review.decision === 'approved',
          by: review.by.id,
          at: review.at,
          comments: review.comments,
        },
      },
      summary: {
        devices: data.devices.length,
        collectorsDone: count(data.collectors, (c) => c.status === 'done'),
        collectorsFailed: count(data.collectors, (c) => c.status === 'failed'),
        collectorsTotal: data.collectors.length,
        critical: count(findings, (f) => f.severity === 'critical'),
        warning: count(findings, (f) => f.severity === 'warning'),
        incidents: data.incidents.length,
      },
      findings: findingRows(data, findings, deviceName, locale),
      readingGroups: readingGroups(data.readings, deviceName, locale),
      trendCharts: trends.map((c) => ({ name: c.name, title: c.title })),
      eos: eosRows(data.devices, data.asOf, locale),
      eosHorizonDays: EOS_HORIZON_DAYS,
      proposals: proposals(findings, locale),
    },
  };
}
