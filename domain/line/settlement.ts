import { floorTo10Krw } from '../billing/money';
import type { ContractRequest, Settlement } from './contracts';

/**
 * Early-termination settlement (정산): ending a line before its contract term
 * is up costs a share of the fees the term still had to run. A started month
 * counts as a whole month; the fee is rounded down to 10 KRW, as bills are.
 */

/** The share of the remaining fees charged; Butler's standard contract. */
export const EARLY_TERMINATION_RATE = 0.3;

export function settle(
  contract: Pick<ContractRequest, 'monthlyFee' | 'termMonths' | 'signedAt'> | undefined,
  effectiveDate: string,
  rate = EARLY_TERMINATION_RATE,
): Settlement {
  if (!contract) {
    return { effectiveDate, termEndDate: null, remainingMonths: 0, monthlyFee: 0, earlyTerminationFee: 0, rule: 'no contract: nothing to settle' };
  }
  const termEndDate = addMonths(contract.signedAt, contract.termMonths);
  const remainingMonths = effectiveDate >= termEndDate ? 0 : monthsStarted(effectiveDate, termEndDate);
  const fee = floorTo10Krw(contract.monthlyFee * remainingMonths * rate);
  return {
    effectiveDate,
    termEndDate,
    remainingMonths,
    monthlyFee: contract.monthlyFee,
    earlyTerminationFee: fee,
    rule:
      remainingMonths === 0
        ? 'term completed: no early-termination fee'
        : `${remainingMonths} month(s) left of ${contract.termMonths} × ${contract.monthlyFee} KRW × ${Math.round(rate * 100)}%, rounded down to 10 KRW`,
  };
}

/** `date` plus `months` calendar months; a day past the end of the target month clamps to its last day (01-31 + 1 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return format(year, month, day);
}

/** Whole months from `from` to `to`, a started month counting as one. */
export function monthsStarted(from: string, to: string): number {
  let months = 0;
  while (addMonths(from, months) < to) months++;
  return months;
}

function parse(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
