import type { CallVolumeAnomaly, CallVolumeDay, Kpis, Proposal, Share, SystemTrendPoint } from '../domain/qsr/contracts';
import { Severity } from '../domain/sla/model';
import { dateFormat, label, type ReportLocale } from './helpers';
import type { EmergencyChangeEntry } from '../domain/change/emergency';
import { byKeys, emergencySection, inclusiveEnd, trendCharts } from './report-parts';
import { trunkUsageChart, trunkUsageRows, type TrunkUsageInput } from './trunk-usage-chart';
import { savingsSection } from './savings-section';
import type { BillingSavingsData } from '../domain/billing/billing-report';
import type { ChartSpec, ReportInput } from './render-report';

/**
 * The quarterly service review (분기 서비스 리뷰) as report data: a pure function
 * of the quarter's indicators, system trends, call volume and the SPM's proposals,
 * so the stored input re-renders to the same PDF.
 */

export interface QsrReportData {
  qsr: { id: string; quarter: string; from: string; to: string };
  kpis: Kpis;
  trends: SystemTrendPoint[];
  callVolume: CallVolumeDay[];
  anomalies: CallVolumeAnomaly[];
  proposals: Proposal[];
  /** What the review went ahead without (QsrState.notes), printed so the reader knows. */
  notes?: string[];
  /** Stand-ins some of its inputs came from (call volume, the quarter's inspections): the SIMULATED DATA banner names them. */
  simulatedInputs?: string[];
  /** Emergency changes applied in the quarter (absent in inputs built before they were reported). */
  emergencyChanges?: EmergencyChangeEntry[];
  /** Each trunk's days from the PBX's call records, and the trunks' channels (absent before issue 15). */
  trunkUsage?: TrunkUsageInput;
  /** The savings proposals as of the quarter's last day, and the carriers' names (absent before issue 16; null: they could not be collected). */
  savings?: BillingSavingsData | null;
  carrierNames?: Record<string, string>;
}

/** The system status the review shows (domain.md, process 6: memory and backups). */
const STATUS_METRICS = ['memory', 'backup-age'];
/** computeKpis counts incidents without a center under this key. */
const NO_CENTER = '(none)';
const SEVERITY_COLOURS: Record<Severity, string> = { P1: '#c0392b', P2: '#e07b24', P3: '#2f6fb5', P4: '#7f8c8d' };
const CENTER_COLOURS = ['#2f6fb5', '#e07b24', '#3a9b5c', '#8e5fb5', '#b59a2f', '#2fa7b5', '#7f8c8d'];

/** A share as the `share` partial prints it: the ratio ("—" when null) and what it was computed from. */
const share = (s: Share) => ({ ratio: s.ratio, numerator: s.numerator, denominator: s.denominator });

/** Counts by name, largest first, each with its share of the total. */
function countRows(counts: Record<string, number>, total: number, locale: ReportLocale) {
  return Object.entries(counts)
    .sort(
      byKeys(
        ([, n]) => -n,
        ([name]) => name,
      ),
    )
    .map(([name, count]) => ({ name: name === NO_CENTER ? label('noCenter', locale) : name, count, ratio: total > 0 ? count / total : null }));
}

function severityChart(kpis: Kpis, locale: ReportLocale): ChartSpec {
  return {
    width: 680,
    height: 220,
    option: {
      grid: { left: 48, right: 24, top: 24, bottom: 28 },
      xAxis: { type: 'category', data: [...Severity.options] },
      yAxis: { type: 'value', minInterval: 1, name: label('incidentCount', locale) },
      series: [
        {
          type: 'bar',
          barMaxWidth: 48,
          label: { show: true, position: 'top' },
          data: Severity.options.map((s) => ({ value: kpis.incidents.bySeverity[s] ?? 0, itemStyle: { color: SEVERITY_COLOURS[s] } })),
        },
      ],
    },
  };
}

/** Daily offered calls, a line per center; anomalies pinned on their day with "spike"/"drop". */
function callVolumeChart(days: CallVolumeDay[], anomalies: CallVolumeAnomaly[], locale: ReportLocale): ChartSpec | null {
  if (days.length === 0 && anomalies.length === 0) return null;
  const dates = [...new Set([...days, ...anomalies].map((d) => d.date))].sort();
  const centers = [...new Set([...days, ...anomalies].map((d) => d.center))].sort();
  const offered = new Map(days.map((d) => [`${d.date}|${d.center}`, d.offered]));
  const dayLabel = dateFormat(locale, { month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  return {
    width: 680,
    height: 280,
    option: {
      color: centers.map((_, i) => CENTER_COLOURS[i % CENTER_COLOURS.length]!),
      grid: { left: 12, right: 28, top: 40, bottom: 8, containLabel: true },
      legend: { top: 2, data: centers },
      xAxis: { type: 'category', boundaryGap: false, data: dates.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`))) },
      yAxis: { type: 'value', min: 0, name: label('offeredCalls', locale) },
      series: centers.map((center) => ({
        type: 'line' as const,
        name: center,
        showSymbol: false,
        data: dates.map((d) => offered.get(`${d}|${center}`) ?? null),
        markPoint: {
          symbol: 'pin',
          symbolSize: 34,
          label: { fontSize: 9, formatter: '{b}' },
          data: anomalies
            .filter((a) => a.center === center)
            .sort(byKeys((a) => a.date))
            .map((a) => ({
              name: label(`anomaly_${a.kind}`, locale),
              coord: [dates.indexOf(a.date), a.offered],
              itemStyle: { color: a.kind === 'spike' ? '#c0392b' : '#2f6fb5' },
            })),
        },
      })),
    },
  };
}

function centerTotals(days: CallVolumeDay[]) {
  const totals = new Map<string, { offered: number; answered: number }>();
  for (const d of days) {
    const t = totals.get(d.center) ?? { offered: 0, answered: 0 };
    totals.set(d.center, { offered: t.offered + d.offered, answered: t.answered + d.answered });
  }
  return [...totals.entries()]
    .sort(byKeys(([center]) => center))
    .map(([center, t]) => ({ center, ...t, answerRate: t.offered > 0 ? t.answered / t.offered : null }));
}

export function qsrReportInput(data: QsrReportData, { locale, documentDate }: { locale: ReportLocale; documentDate: Date }): ReportInput {
  const t = (k: string) => label(k, locale);
  const { kpis } = data;
  const trends = trendCharts(data.trends, locale, { idPrefix: 'status', metrics: STATUS_METRICS });
  const callVolume = callVolumeChart(data.callVolume, data.anomalies, locale);
  const trunkUsage = data.trunkUsage ?? { days: [], trunks: [] };
  const trunkPeak = trunkUsageChart(trunkUsage, locale);
  return {
    template: 'qsr/report',
    locale,
    documentDate,
    title: `${t('qsrReport')} ${data.qsr.quarter}`,
    simulated: { inputs: [...new Set(data.simulatedInputs ?? [])].sort() },
    charts: {
      bySeverity: severityChart(kpis, locale),
      ...Object.fromEntries(trends.map((c) => [c.name, c.chart])),
      ...(callVolume ? { callVolume } : {}),
      ...(trunkPeak ? { trunkPeak } : {}),
    },
    data: {
      period: { from: data.qsr.from, to: inclusiveEnd(data.qsr.to) },
      qsr: { id: data.qsr.id, quarter: data.qsr.quarter },
      notes: data.notes ?? [],
      kpis: {
        total: kpis.incidents.total,
        mttrMs: kpis.mttrMs,
        complex: share(kpis.restoredWithinTarget.complex),
        all: share(kpis.restoredWithinTarget.all),
        response: share(kpis.responseAttainment),
        l1: share(kpis.l1Resolution),
        reopen: share(kpis.reopenRate),
      },
      bySeverity: Severity.options.map((s) => ({ severity: s, count: kpis.incidents.bySeverity[s] ?? 0 })),
      bySystem: countRows(kpis.incidents.bySystem, kpis.incidents.total, locale),
      byCenter: countRows(kpis.incidents.byCenter, kpis.incidents.total, locale),
      breaches: kpis.breaches.map((b) => ({
        incidentId: b.incidentId,
        title: b.title,
        severity: b.severity,
        system: b.system,
        center: b.center ?? '—',
        clock: t(`clock_${b.clock}`),
        targetMs: b.targetSeconds * 1000,
        elapsedMs: b.elapsedSeconds * 1000,
        dueAt: b.dueAt,
        cancelled: b.cancelled ?? null,
      })),
      // Indicators stored before issue 17 do not say: the section is then left out rather than showing a 0 it never counted.
      cancelled: kpis.cancelled ?? null,
      statusCharts: trends.map((c) => ({ name: c.name, title: c.title })),
      callVolume: { chart: callVolume !== null, centers: centerTotals(data.callVolume) },
      trunkUsage: { chart: trunkPeak !== null, rows: trunkUsageRows(trunkUsage) },
      anomalies: [...data.anomalies]
        .sort(
          byKeys(
            (a) => a.date,
            (a) => a.center,
          ),
        )
        .map((a) => ({
          day: a.date,
          center: a.center,
          offered: a.offered,
          expected: a.expected,
          score: a.score,
          kind: t(`anomaly_${a.kind}`),
          spike: a.kind === 'spike',
        })),
      proposals: data.proposals.map((p, i) => ({ no: i + 1, title: p.title, detail: p.detail, owner: p.owner ?? null })),
      savingsShown: data.savings !== undefined,
      savings: data.savings ? savingsSection(data.savings, (c) => data.carrierNames?.[c] ?? c, locale) : null,
      ...(data.emergencyChanges ? { emergencyChanges: emergencySection(data.emergencyChanges, locale) } : {}),
    },
  };
}
