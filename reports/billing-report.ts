import type { BillingMonthData, BillingSavingsData, CostCell } from '../domain/billing/billing-report';
import { FindingKind } from '../domain/billing/contracts';
import { formatKrw } from '../domain/billing/money';
import { STAND_IN_NAMES } from '../domain/data-source';
import { monthBounds } from '../domain/report/periods';
import { label, type ReportLocale } from './helpers';
import { byKeys, inclusiveEnd } from './report-parts';
import type { ChartSpec, ReportInput } from './render-report';
import { savingsSection } from './savings-section';

/**
 * The monthly line cost analysis (회선 요금 분석) as report data: a pure function of the month's
 * bills, costs, trend, findings, disputes and savings as gathered (billing_report_inputs), so the
 * stored input re-renders to the same PDF. Amounts are printed as Korean bills write them (formatKrw).
 */

export interface BillingReportData {
  report: { id: string; month: string };
  bills: BillingMonthData;
  /** Null when the savings proposals could not be collected (`notes` says why). */
  savings: BillingSavingsData | null;
  notes?: string[];
}

const CARRIER_COLOURS = ['#2f6fb5', '#e07b24', '#3a9b5c', '#8e5fb5', '#b59a2f', '#2fa7b5', '#7f8c8d'];
/** The key of numbers no inventory line holds (CostCell.center null). */
const UNIDENTIFIED = '(unidentified)';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function billingReportInput(data: BillingReportData, { locale, documentDate }: { locale: ReportLocale; documentDate: Date }): ReportInput {
  const t = (k: string) => label(k, locale);
  const { bills: month } = data;
  // Every carrier of the month or of the trend, in key order: the columns of the tables, the series of the charts.
  const carriers = [...new Set([...month.bills.map((b) => b.carrier), ...month.costs.map((c) => c.carrier), ...month.trend.map((c) => c.carrier)])].sort();
  const carrierName = (carrier: string) => month.carrierNames[carrier] ?? carrier;
  const costs = costMatrix(month.costs, carriers, locale);
  const trend = trendRows(month, carriers, locale);
  const { from, to } = monthBounds(month.month);
  return {
    template: 'billing/report',
    locale,
    documentDate,
    title: `${t('billingReport')} ${month.month}`,
    // The savings rest on the PBX's call records: from the PBX simulator, the report says so.
    simulated: { inputs: data.savings?.simulatedUsage && data.savings.proposals.length > 0 ? [STAND_IN_NAMES.pbx] : [] },
    charts: {
      ...(costs.rows.length ? { costByCenter: costChart(costs, carriers, carrierName, locale) } : {}),
      ...(month.trend.length ? { costTrend: trendChart(month, carriers, carrierName, locale) } : {}),
    },
    data: {
      period: { from, to: inclusiveEnd(to) },
      report: data.report,
      notes: data.notes ?? [],
      summary: {
        bills: month.bills.length,
        unpaid: month.bills.filter((b) => b.paidOn === null).length,
        total: formatKrw(sum(month.bills.map((b) => b.totalKrw))),
        findings: sum(month.findingsByKind.map((f) => f.count)),
        amountAtStake: formatKrw(sum(month.findingsByKind.map((f) => f.amountAtStakeKrw))),
        monthlySaving: data.savings ? formatKrw(sum(data.savings.proposals.map((p) => p.monthlySavingKrw))) : null,
      },
      bills: month.bills.map((b) => ({
        id: b.id,
        carrier: carrierName(b.carrier),
        lines: b.lines,
        total: formatKrw(b.totalKrw),
        status: t(`billStatus_${b.status}`),
        dueDate: b.dueDate,
        paidOn: b.paidOn,
      })),
      carriers: carriers.map(carrierName),
      costs,
      trend,
      trendChart: month.trend.length > 0,
      findings: {
        byKind: FindingKind.options.map((kind) => {
          const total = month.findingsByKind.find((f) => f.kind === kind);
          return { kind: t(`findingKind_${kind}`), count: total?.count ?? 0, amount: formatKrw(total?.amountAtStakeKrw ?? 0) };
        }),
        count: sum(month.findingsByKind.map((f) => f.count)),
        amount: formatKrw(sum(month.findingsByKind.map((f) => f.amountAtStakeKrw))),
        largest: month.largestFindings.map((f, i) => ({
          no: i + 1,
          billId: f.billId,
          carrier: carrierName(f.carrier),
          kind: t(`findingKind_${f.kind}`),
          lineNumber: f.number,
          amount: formatKrw(f.amountAtStakeKrw),
          detail: f.detail,
          disputeId: f.disputeId,
        })),
      },
      disputes: month.disputes.map((d) => ({
        id: d.id,
        billId: d.billId,
        carrier: carrierName(d.carrier),
        carrierReference: d.carrierReference,
        amount: formatKrw(d.amountKrw),
        status: t(`dispute_${d.status}`),
        credit: d.creditKrw === null ? null : formatKrw(d.creditKrw),
      })),
      savings: data.savings && savingsSection(data.savings, carrierName, locale),
    },
  };
}

interface CostMatrix {
  /** `amounts` per carrier (null: nothing billed), `cells` the same as printed. */
  rows: Array<{ center: string; unidentified: boolean; amounts: Array<number | null>; cells: string[]; total: string; lines: number }>;
  totals: { cells: string[]; total: string; lines: number };
}

/** Centers (by name, 미확인 last) × carriers, each cell the carrier's cost for the center's numbers, with row and column totals. */
function costMatrix(cells: readonly CostCell[], carriers: readonly string[], locale: ReportLocale): CostMatrix {
  const key = (c: CostCell) => c.center ?? UNIDENTIFIED;
  const centers = [...new Set(cells.map(key))].sort(
    byKeys(
      (c) => (c === UNIDENTIFIED ? 1 : 0),
      (c) => c,
    ),
  );
  const at = (center: string, carrier: string) => cells.filter((c) => key(c) === center && c.carrier === carrier);
  const amount = (list: readonly CostCell[]) => sum(list.map((c) => c.totalKrw));
  const lines = (list: readonly CostCell[]) => sum(list.map((c) => c.lines));
  return {
    rows: centers.map((center) => {
      const mine = cells.filter((c) => key(c) === center);
      const amounts = carriers.map((carrier) => {
        const here = at(center, carrier);
        return here.length ? amount(here) : null;
      });
      return {
        center: center === UNIDENTIFIED ? label('unidentifiedCenter', locale) : center,
        unidentified: center === UNIDENTIFIED,
        amounts,
        cells: amounts.map((a) => (a === null ? '—' : formatKrw(a))),
        total: formatKrw(amount(mine)),
        lines: lines(mine),
      };
    }),
    totals: {
      cells: carriers.map((carrier) => formatKrw(amount(cells.filter((c) => c.carrier === carrier)))),
      total: formatKrw(amount(cells)),
      lines: lines(cells),
    },
  };
}

/** Stacked bars: a bar per center, a segment per carrier. */
function costChart(costs: CostMatrix, carriers: readonly string[], carrierName: (c: string) => string, locale: ReportLocale): ChartSpec {
  return {
    width: 680,
    height: Math.max(160, 60 + costs.rows.length * 34),
    option: {
      color: carriers.map((_, i) => CARRIER_COLOURS[i % CARRIER_COLOURS.length]!),
      grid: { left: 12, right: 36, top: 32, bottom: 8, containLabel: true },
      legend: { top: 2, data: carriers.map(carrierName) },
      // No formatter functions: the option is stored as JSON with the report's input.
      xAxis: { type: 'value', min: 0, name: label('unitKrw', locale) },
      yAxis: { type: 'category', inverse: true, data: costs.rows.map((r) => r.center) },
      series: carriers.map((carrier, i) => ({
        type: 'bar' as const,
        stack: 'cost',
        name: carrierName(carrier),
        barMaxWidth: 22,
        data: costs.rows.map((r) => r.amounts[i] ?? 0),
      })),
    },
  };
}

/** A row per month of the trend, oldest first: each carrier's total, or "no bill". */
function trendRows(month: BillingMonthData, carriers: readonly string[], locale: ReportLocale) {
  return month.trendMonths.map((m) => {
    const totals = carriers.map((carrier) => month.trend.find((c) => c.month === m && c.carrier === carrier));
    const billed = totals.filter((c) => c !== undefined);
    return {
      month: m,
      cells: totals.map((c) => (c ? { amount: formatKrw(c.totalKrw), none: false } : { amount: label('noBillThatMonth', locale), none: true })),
      total: billed.length ? formatKrw(sum(billed.map((c) => c!.totalKrw))) : '—',
    };
  });
}

function trendChart(month: BillingMonthData, carriers: readonly string[], carrierName: (c: string) => string, locale: ReportLocale): ChartSpec {
  return {
    width: 680,
    height: 260,
    option: {
      color: carriers.map((_, i) => CARRIER_COLOURS[i % CARRIER_COLOURS.length]!),
      grid: { left: 12, right: 36, top: 36, bottom: 8, containLabel: true },
      legend: { top: 2, data: carriers.map(carrierName) },
      xAxis: { type: 'category', data: month.trendMonths, axisLabel: { interval: 0, fontSize: 10 } },
      yAxis: { type: 'value', min: 0, name: label('unitKrw', locale) },
      series: carriers.map((carrier) => ({
        type: 'line' as const,
        name: carrierName(carrier),
        symbolSize: 6,
        // A month without the carrier's bill is a gap, not a zero.
        connectNulls: false,
        data: month.trendMonths.map((m) => month.trend.find((c) => c.month === m && c.carrier === carrier)?.totalKrw ?? null),
      })),
    },
  };
}
