import { dayOfIsoDate } from '../calendar/local-time';
import { monthDates } from '../report/periods';
import { FindingKind, type BillFindingDraft, type BillLine, type ReconciliationRules } from './contracts';
import type { InventoryLine } from './inventory';
import { floorTo10Krw, formatKrw } from './money';

export type { InventoryLine } from './inventory';

/**
 * A carrier's bill checked line by line against the inventory and the contracts (Process 8).
 * Pure: the activity reads the bill's lines, the carrier's inventory and the usage of its
 * previous bills, and stores what this returns.
 *
 * A line's service days in the month are the dates d with inServiceFrom ≤ d < serviceEndsOn.
 * Fees are pro-rated by day and rounded down to 10 KRW, as bills are; a whole month is the fee.
 * Wherever `billed` and `expected` are both set, `amountAtStake = billed − expected`: positive is
 * an overcharge to recover, negative (base-fee-mismatch only) an under-charge the carrier may claim.
 */

export interface ReconcileInput {
  /** The billing month, YYYY-MM. */
  month: string;
  /** The bill's lines. */
  lines: readonly BillLine[];
  /** This carrier's lines, whatever their status. */
  inventory: readonly InventoryLine[];
  /** Number → usage fees (KRW) on this carrier's previous bills, most recent first (up to 3 used). */
  usageHistory: ReadonlyMap<string, readonly number[]>;
  rules: ReconciliationRules;
}

/** Previous bills averaged for the usage check. */
export const USAGE_HISTORY_MONTHS = 3;

interface Month {
  /** Day indexes of its first day and of the next month's first day. */
  from: number;
  to: number;
  days: number;
  /** "2026년 4월" */
  label: string;
}

/** An inventory line with its dates as day indexes and its service days in the month. */
interface Candidate {
  line: InventoryLine;
  start: number | null;
  end: number | null;
  served: number;
}

type Draft = BillFindingDraft;

export function reconcileBill(input: ReconcileInput): BillFindingDraft[] {
  const month = monthOf(input.month);
  const dayOf = memoized(dayOfIsoDate);

  // One inventory line per number: a DN reused after termination keeps the line that served.
  const byNumber = new Map<string, Candidate>();
  for (const line of input.inventory) {
    const candidate = candidateOf(line, month, dayOf);
    const held = byNumber.get(line.number);
    if (!held || rank(candidate, held) < 0) byNumber.set(line.number, candidate);
  }

  // The first occurrence of a number is its lowest row, so the order of the lines does not matter.
  const first = new Map<string, number>();
  input.lines.forEach((line, i) => {
    const held = first.get(line.number);
    if (held === undefined || line.row < input.lines[held]!.row) first.set(line.number, i);
  });

  const findings: Draft[] = [];
  input.lines.forEach((line, i) => {
    const matched = byNumber.get(line.number);
    const firstIndex = first.get(line.number)!;
    if (firstIndex !== i) findings.push(duplicate(line, input.lines[firstIndex]!, matched));
    else if (!matched) findings.push(unknown(line));
    else checkLine(line, matched, month, input, findings);
  });

  for (const [number, candidate] of byNumber) {
    if (!first.has(number) && candidate.served > 0) findings.push(missing(candidate, month));
  }

  return findings.sort(byKindRowNumber);
}

// ---- one charged line ----------------------------------------------------------

function checkLine(line: BillLine, matched: Candidate, month: Month, input: ReconcileInput, findings: Draft[]): void {
  const { rules } = input;
  const { line: inventory, served } = matched;

  if (served === 0) {
    // Nothing was owed for the month: the whole line (usage and add-ons too) is at stake, and
    // so no usage check, which would count the same won twice.
    if (line.total > 0)
      findings.push(matched.end !== null && matched.end <= month.from ? afterTermination(line, matched) : beforeActivation(line, matched, month));
    return;
  }

  if (inventory.monthlyFee !== null) {
    const expected = proRated(inventory.monthlyFee, served, month.days);
    const difference = line.baseFee - expected;
    const endedInMonth = matched.end !== null && matched.end < month.to;
    if (endedInMonth && difference > rules.baseFeeToleranceKrw) findings.push(chargedAfterTermination(line, matched, month, expected));
    else if (Math.abs(difference) > rules.baseFeeToleranceKrw) findings.push(baseFeeMismatch(line, matched, month, expected));
  }

  const spike = usageSpike(line, inventory.lineId, input.usageHistory.get(line.number), rules);
  if (spike) findings.push(spike);
}

function unknown(line: BillLine): Draft {
  return {
    kind: 'unknown-number',
    number: line.number,
    lineId: null,
    rows: [line.row],
    amountAtStake: line.total,
    billed: line.total,
    expected: null,
    detail: `${line.row}행의 ${line.number} 번호는 당사 회선 목록에 없는 번호이므로 청구액 ${formatKrw(line.total)} 전액의 확인을 요청드립니다.`,
  };
}

function duplicate(line: BillLine, firstLine: BillLine, matched: Candidate | undefined): Draft {
  return {
    kind: 'duplicate-number',
    number: line.number,
    lineId: matched?.line.lineId ?? null,
    rows: [line.row, firstLine.row],
    amountAtStake: line.total,
    billed: line.total,
    expected: 0,
    detail: `${line.row}행의 ${line.number} 번호는 ${firstLine.row}행에 이미 청구된 번호로, 중복 청구된 ${formatKrw(line.total)}의 취소를 요청드립니다.`,
  };
}

/** Service ended on or before the month's first day: everything the line is charged is at stake. */
function afterTermination(line: BillLine, matched: Candidate): Draft {
  return {
    kind: 'charged-after-termination',
    number: line.number,
    lineId: matched.line.lineId,
    rows: [line.row],
    amountAtStake: line.total,
    billed: line.total,
    expected: 0,
    detail: `${line.row}행의 ${line.number} 번호는 ${matched.line.serviceEndsOn}부로 해지된 회선이나 ${formatKrw(line.total)}이 청구되어 전액 환급을 요청드립니다.`,
  };
}

/** Service ended during the month and the base fee is above the served days' share: the excess is at stake. */
function chargedAfterTermination(line: BillLine, matched: Candidate, month: Month, expected: number): Draft {
  const daysAfter = month.to - matched.end!;
  const amount = line.baseFee - expected;
  return {
    kind: 'charged-after-termination',
    number: line.number,
    lineId: matched.line.lineId,
    rows: [line.row],
    amountAtStake: amount,
    billed: line.baseFee,
    expected,
    detail:
      `${line.row}행의 ${line.number} 번호는 ${matched.line.serviceEndsOn}부로 해지되어 ${month.label} 기본료는 ${matched.served}일분 ${formatKrw(expected)}이나 ` +
      `${formatKrw(line.baseFee)}이 청구되었으므로, 해지 이후 ${daysAfter}일에 대해 청구된 ${formatKrw(amount)}의 환급을 요청드립니다.`,
  };
}

/** Charged for a month the line never served and had not ended before: not yet (or never) in service. */
function beforeActivation(line: BillLine, matched: Candidate, month: Month): Draft {
  const from = matched.line.inServiceFrom;
  const why = from === null ? '아직 개통되지 않은 회선으로' : `${from} 개통 회선으로`;
  return {
    kind: 'base-fee-mismatch',
    number: line.number,
    lineId: matched.line.lineId,
    rows: [line.row],
    amountAtStake: line.total,
    billed: line.total,
    expected: 0,
    detail: `${line.row}행의 ${line.number} 번호는 ${why} ${month.label} 청구는 개통 전 청구에 해당하므로 ${formatKrw(line.total)} 전액의 취소를 요청드립니다.`,
  };
}

function baseFeeMismatch(line: BillLine, matched: Candidate, month: Month, expected: number): Draft {
  const difference = line.baseFee - expected;
  const basis = matched.served === month.days ? '' : `(${month.label} ${matched.served}/${month.days}일 일할)`;
  const tail =
    difference > 0
      ? `${formatKrw(difference)} 많은 ${formatKrw(line.baseFee)}으로 청구되어 정정을 요청드립니다.`
      : `${formatKrw(-difference)} 적은 ${formatKrw(line.baseFee)}으로 청구되어 확인을 요청드립니다.`;
  return {
    kind: 'base-fee-mismatch',
    number: line.number,
    lineId: matched.line.lineId,
    rows: [line.row],
    amountAtStake: difference,
    billed: line.baseFee,
    expected,
    detail: `${line.row}행의 ${line.number} 번호 기본료가 계약 기본료 ${formatKrw(expected)}${basis}보다 ${tail}`,
  };
}

/**
 * Usage above the average of the previous (up to) 3 bills by more than the rule's share and by at
 * least its minimum; compared in integers (usage·n·100 > sum·(100 + p)), so no rounding decides it.
 */
function usageSpike(line: BillLine, lineId: string, history: readonly number[] | undefined, rules: ReconciliationRules): Draft | undefined {
  const previous = history?.slice(0, USAGE_HISTORY_MONTHS) ?? [];
  const n = previous.length;
  if (n === 0) return undefined;
  const sum = previous.reduce((a, b) => a + b, 0);
  const usage = line.usageFee;
  if (!(usage * n * 100 > sum * (100 + rules.usageSpikePercent) && usage * n - sum >= rules.usageSpikeMinimumKrw * n)) return undefined;
  const expected = Math.round(sum / n);
  const amount = usage - expected;
  const share = sum > 0 ? `(${Math.round(((usage * n - sum) / sum) * 100)}%)` : '';
  return {
    kind: 'usage-spike',
    number: line.number,
    lineId,
    rows: [line.row],
    amountAtStake: amount,
    billed: usage,
    expected,
    detail: `${line.row}행의 ${line.number} 번호 통화료 ${formatKrw(usage)}은 직전 ${n}개월 평균 ${formatKrw(expected)}보다 ${formatKrw(amount)}${share} 많아 사용 내역 확인을 요청드립니다.`,
  };
}

function missing(candidate: Candidate, month: Month): Draft {
  const { line, served } = candidate;
  const expected = line.monthlyFee === null ? 0 : proRated(line.monthlyFee, served, month.days);
  const fee = line.monthlyFee === null ? '' : ` 기본료 ${formatKrw(expected)}의`;
  return {
    kind: 'missing-from-bill',
    number: line.number,
    lineId: line.lineId,
    rows: [],
    amountAtStake: expected,
    billed: null,
    expected,
    detail: `${line.number} 번호는 ${month.label} 중 ${served}일 사용한 회선이나 청구서에 없어${fee} 청구 누락 여부 확인을 요청드립니다.`,
  };
}

// ---- days and fees -------------------------------------------------------------

function monthOf(month: string): Month {
  const { fromDate, toDate } = monthDates(month);
  const from = dayOfIsoDate(fromDate);
  const to = dayOfIsoDate(toDate);
  return { from, to, days: to - from, label: `${Number(month.slice(0, 4))}년 ${Number(month.slice(5, 7))}월` };
}

function candidateOf(line: InventoryLine, month: Month, dayOf: (date: string) => number): Candidate {
  const start = line.inServiceFrom === null ? null : dayOf(line.inServiceFrom);
  const end = line.serviceEndsOn === null ? null : dayOf(line.serviceEndsOn);
  const served = start === null ? 0 : Math.max(0, Math.min(end ?? month.to, month.to) - Math.max(start, month.from));
  return { line, start, end, served };
}

/** Inventories share few distinct dates, and parsing one is the costliest step per line. */
function memoized(f: (date: string) => number): (date: string) => number {
  const known = new Map<string, number>();
  return (date) => {
    let day = known.get(date);
    if (day === undefined) known.set(date, (day = f(date)));
    return day;
  };
}

/**
 * Which of two lines of one number the bill is about (negative: `a`). The one that served the most
 * days of the month, then the latest to go into service; if neither served, the most recently
 * terminated; the line id last, so the choice never depends on the inventory's order.
 */
function rank(a: Candidate, b: Candidate): number {
  if (a.served !== b.served) return b.served - a.served;
  if (a.served === 0 && a.end !== b.end) return a.end === null ? 1 : b.end === null ? -1 : b.end - a.end;
  if (a.start !== b.start) return a.start === null ? 1 : b.start === null ? -1 : b.start - a.start;
  return a.line.lineId < b.line.lineId ? -1 : a.line.lineId > b.line.lineId ? 1 : 0;
}

/** The fee for `days` of a `daysInMonth`-day month: the fee itself for a whole month, else rounded down to 10 KRW. */
function proRated(fee: number, days: number, daysInMonth: number): number {
  return days >= daysInMonth ? fee : floorTo10Krw((fee * days) / daysInMonth);
}

const KIND_ORDER = new Map(FindingKind.options.map((kind, i) => [kind, i]));

function byKindRowNumber(a: Draft, b: Draft): number {
  return (
    KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
    (a.rows[0] ?? -1) - (b.rows[0] ?? -1) ||
    (a.number < b.number ? -1 : a.number > b.number ? 1 : 0) ||
    ((a.lineId ?? '') < (b.lineId ?? '') ? -1 : (a.lineId ?? '') > (b.lineId ?? '') ? 1 : 0)
  );
}
