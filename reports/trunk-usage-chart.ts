import type { TrunkCapacityView } from '../domain/line/trunk-capacity';
import type { TrunkDay } from '../domain/line/trunk-usage';
import { dateFormat, label, type ReportLocale } from './helpers';
import { byKeys } from './report-parts';
import type { ChartSpec } from './render-report';

/**
 * Each trunk's busiest moment per day as a share of its channels (issue 15: peak utilization per
 * trunk per day, from the PBX's call records), with the warning and critical levels drawn, and a
 * row per trunk: its channels, the quarter's peak, and the days it reached the warning level.
 */

export interface TrunkUsageInput {
  days: TrunkDay[];
  trunks: TrunkCapacityView[];
}

const TRUNK_COLOURS = ['#2f6fb5', '#e07b24', '#3a9b5c', '#8e5fb5', '#b59a2f', '#2fa7b5', '#7f8c8d'];

/** Trunks with a capacity and at least one day of calls: a peak needs both to be a share. */
function charted(input: TrunkUsageInput) {
  const capacity = new Map(input.trunks.map((t) => [t.trunk, t]));
  const trunks = [...new Set(input.days.map((d) => d.trunk))].filter((t) => capacity.has(t)).sort((a, b) => Number(a) - Number(b));
  return { trunks, capacity };
}

export function trunkUsageChart(input: TrunkUsageInput, locale: ReportLocale): ChartSpec | null {
  const { trunks, capacity } = charted(input);
  if (trunks.length === 0) return null;
  const dates = [...new Set(input.days.map((d) => d.date))].sort();
  const peak = new Map(input.days.map((d) => [`${d.date}|${d.trunk}`, d.peakConcurrent]));
  const dayLabel = dateFormat(locale, { month: '2-digit', day: '2-digit', timeZone: 'UTC' });
  const warn = Math.min(...trunks.map((t) => capacity.get(t)!.warnAtPercent));
  return {
    width: 680,
    height: 280,
    option: {
      color: trunks.map((_, i) => TRUNK_COLOURS[i % TRUNK_COLOURS.length]!),
      grid: { left: 12, right: 28, top: 40, bottom: 8, containLabel: true },
      legend: { top: 2, data: trunks.map((t) => trunkName(capacity.get(t)!)) },
      xAxis: { type: 'category', boundaryGap: false, data: dates.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`))) },
      yAxis: { type: 'value', min: 0, max: 100, name: label('trunkPeakAxis', locale) },
      series: trunks.map((trunk, i) => {
        const channels = capacity.get(trunk)!.channels;
        return {
          type: 'line' as const,
          name: trunkName(capacity.get(trunk)!),
          showSymbol: false,
          data: dates.map((d) => {
            const p = peak.get(`${d}|${trunk}`);
            return p === undefined ? 0 : Math.round((p / channels) * 1000) / 10;
          }),
          // The warning level, drawn once.
          ...(i === 0
            ? {
                markLine: {
                  symbol: 'none',
                  label: { formatter: `${warn}%` },
                  lineStyle: { color: '#c0392b', type: 'dashed' as const },
                  data: [{ yAxis: warn }],
                },
              }
            : {}),
        };
      }),
    },
  };
}

export function trunkUsageRows(input: TrunkUsageInput) {
  const { trunks, capacity } = charted(input);
  return trunks
    .map((trunk) => {
      const t = capacity.get(trunk)!;
      const days = input.days.filter((d) => d.trunk === trunk);
      const peak = Math.max(...days.map((d) => d.peakConcurrent));
      return {
        trunk: trunkName(t),
        center: t.center ?? '—',
        channels: t.channels,
        calls: days.reduce((n, d) => n + d.calls, 0),
        peak,
        peakShare: peak / t.channels,
        daysAtWarning: days.filter((d) => d.peakConcurrent / t.channels >= t.warnAtPercent / 100).length,
      };
    })
    .sort(byKeys((r) => r.trunk));
}

function trunkName(t: TrunkCapacityView): string {
  return t.lineId ? `${t.trunk} (${t.lineId})` : t.trunk;
}
