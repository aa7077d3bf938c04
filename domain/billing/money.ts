/** Money as Korean bills handle it: whole won, charges rounded down to 10 KRW, amounts written 12,340원. */

// One formatter for every amount: a reconciliation writes thousands of them.
const GROUPED = new Intl.NumberFormat('en-US');

/** An amount in KRW as Korean bills write it: 12,340원 (negative: -12,340원). */
export function formatKrw(amount: number): string {
  return `${amount < 0 ? '-' : ''}${GROUPED.format(Math.abs(amount))}원`;
}

/** A computed charge rounded down to 10 KRW, as carriers bill (pro-rated fees, early-termination fees). */
export function floorTo10Krw(amount: number): number {
  return Math.floor(amount / 10) * 10;
}
