import type { Device, Finding, InspectedSystem, InspectionState, Metric, Reading } from '../domain/inspection/contracts';
import type { SystemTrendPoint } from '../domain/qsr/contracts';
import { collectionFailureFinding, compareFindings, worseReading } from '../domain/inspection/rules';
import type { ReviewDecision } from '../domain/report/contracts';
import { monthBounds } from '../domain/report/periods';
import { label, type ReportLocale } from './helpers';
import type { EmergencyChangeEntry } from '../domain/change/emergency';
import { byKeys, emergencySection, inclusiveEnd, metricLabel, metricRank, systemLabel, systemRank, trendCharts, USAGE_METRICS } from './report-parts';
import type { ReportInput } from './render-report';
import { trunkUsageChart, trunkUsageRows, type TrunkUsageInput } from './trunk-usage-chart';
import { SEOUL_OFFSET_MS } from '../domain/calendar/seoul';

/**
 * The monthly inspection report (월간 정기점검 보고서) as report data: a pure
 * function of what the inspection collected and found. `asOf` stands in for the
 * clock (days left to EOS/EOL), so the stored input re-renders to the same PDF.
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
  /** Emergency changes applied in the month (absent in inputs built before they were reported). */
  emergencyChanges?: EmergencyChangeEntry[];
  /** Each trunk's days of the month from the PBX's call records (absent before issue 15). */
  trunkUsage?: TrunkUsageInput;
}

/** Devices whose EOS or EOL falls within this many days (or has passed) are listed. */
export const EOS_HORIZON_DAYS = 365;

/** A number as the `quantity` partial prints it: a ratio through `percent`, anything else through `number` and a unit. */
export interface Quantity {
  percent: boolean;
  value: number;
  digits: number;
  unit: string;
}

const DAY_MS = 86_400_000;

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
  const today = new Date(Date.parse(asOf) + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
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

/**
 * Readings the appendix prints row by row; above this, it prints per system, center and metric how
 * many were read and the worst of them (10,000 devices read ~53,000 times: 1,500 pages, minutes of
 * Chromium, and nobody reads them on paper). Every reading stays available from the API.
 */
export const READINGS_IN_FULL = 3_000;

/** The appendix of a large inspection: per system, each center's metric with its count and its worst reading. */
function readingSummary(readings: Reading[], deviceName: (id: string | null) => string, locale: ReportLocale) {
  const rows = new Map<
    string,
    { system: InspectedSystem; center: string; metric: Reading['metric']; devices: Set<string>; readings: number; worst: Reading }
  >();
  for (const r of readings) {
    const key = `${r.system}|${r.center}|${r.metric}`;
    const row = rows.get(key);
    if (!row) rows.set(key, { system: r.system, center: r.center, metric: r.metric, devices: new Set([r.deviceId]), readings: 1, worst: r });
    else {
      row.devices.add(r.deviceId);
      row.readings++;
      row.worst = worseReading(r, row.worst);
    }
  }
  const sorted = [...rows.values()].sort(
    byKeys(
      (r) => systemRank(r.system),
      (r) => r.center,
      (r) => metricRank(r.metric),
    ),
  );
  const groups: Array<{ system: string; rows: unknown[] }> = [];
  for (const r of sorted) {
    const name = systemLabel(r.system, locale);
    if (groups.at(-1)?.system !== name) groups.push({ system: name, rows: [] });
    const w = r.worst;
    groups.at(-1)!.rows.push({
      center: r.center,
      metric: metricLabel(r.metric, locale),
      devices: r.devices.size,
      readings: r.readings,
      device: deviceName(w.deviceId),
      item: w.item ?? null,
      value: amount(w.value, w.unit, locale),
      usage: w.capacity ? w.value / w.capacity : null,
    });
  }
  return { readings: readings.length, groups };
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
      return [
        {
          center: d.center,
          system: d.system,
          device: d.name,
          model: d.model,
          kind: label(`milestone_${kind}`, locale),
          day: date,
          daysLeft: left,
          passed: left < 0,
          daysAgo: -left,
        },
      ];
    }),
  );
  return rows.sort(
    byKeys(
      (r) => r.daysLeft,
      (r) => r.center,
      (r) => r.device,
      (r) => r.kind,
    ),
  );
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

export function inspectionReportInput(data: InspectionReportData, { locale, documentDate }: { locale: ReportLocale; documentDate: Date }): ReportInput {
  const t = (k: string) => label(k, locale);
  const names = new Map(data.devices.map((d) => [d.id, d.name]));
  const deviceName = (id: string | null) => (id === null ? '—' : (names.get(id) ?? id));
  const findings = [...data.findings, ...unreportedFailures(data)].sort(compareFindings);
  const count = <T>(items: T[], test: (item: T) => boolean) => items.filter(test).length;
  const month = monthBounds(data.inspection.period);
  const review = data.inspection.review;
  const trends = trendCharts(data.trends, locale, { idPrefix: 'trend' });
  const trunkUsage = data.trunkUsage ?? { days: [], trunks: [] };
  const trunkPeak = trunkUsageChart(trunkUsage, locale);
  return {
    template: 'inspection/report',
    locale,
    documentDate,
    title: `${t('inspectionReport')} ${data.inspection.period}`,
    simulated: { inputs: simulatedInputs(data.readings) },
    charts: { ...Object.fromEntries(trends.map((c) => [c.name, c.chart])), ...(trunkPeak ? { trunkPeak } : {}) },
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
      ...(data.readings.length > READINGS_IN_FULL
        ? { readingSummary: readingSummary(data.readings, deviceName, locale), readingGroups: [] }
        : { readingGroups: readingGroups(data.readings, deviceName, locale) }),
      trendCharts: trends.map((c) => ({ name: c.name, title: c.title })),
      trunkUsage: { chart: trunkPeak !== null, rows: trunkUsageRows(trunkUsage) },
      eos: eosRows(data.devices, data.asOf, locale),
      eosHorizonDays: EOS_HORIZON_DAYS,
      proposals: proposals(findings, locale),
      ...(data.emergencyChanges ? { emergencyChanges: emergencySection(data.emergencyChanges, locale) } : {}),
    },
  };
}

/** Who measured the readings that came from stand-ins: what the SIMULATED DATA banner names (none: no banner). */
export function simulatedInputs(readings: readonly Reading[]): string[] {
  return [...new Set(readings.filter((r) => r.source === 'simulated').map((r) => r.measuredBy))].sort();
}
