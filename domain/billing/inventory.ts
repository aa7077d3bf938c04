import { seoulDateOf } from '../calendar/seoul';
import type { LineStatus } from '../line/contracts';
import { dayOfIsoDate, isoDateOfDay } from '../calendar/local-time';

/** A line of the inventory as the reconciliation sees it (domain/billing/reconcile.ts). */
export interface InventoryLine {
  lineId: string;
  /** Digits only. */
  number: string;
  center: string;
  /** The contract's monthly fee in KRW, or null when no contract is recorded. */
  monthlyFee: number | null;
  /** The Seoul date the line went into service, or null if it never did. */
  inServiceFrom: string | null;
  /** The first Seoul date without service (the termination's effective date), or null while in service. */
  serviceEndsOn: string | null;
}

/** What the reconciliation reads of a stored line (db/lines.repo.ts linesOfCarrier): its contract's fee and when it was in service. */
export interface InventoryRow {
  id: string;
  dn: string;
  center: string;
  status: LineStatus;
  monthlyFee: number | null;
  /** The first `status:ACTIVE` event's instant, if the line ever went into service. */
  activatedAt: string | null;
  /** The termination's effective date (the first day without service), when recorded. */
  effectiveDate: string | null;
  /** The `status:TERMINATED` event's instant, if terminated. */
  terminatedAt: string | null;
}

/** Statuses in which the line's termination has taken effect (or is under way after its effective date). */
const ENDED: readonly LineStatus[] = ['TERMINATING', 'TERMINATION_FAILED', 'TERMINATED'];

/**
 * A stored line as the bill sees it. Service starts the Seoul day the line went ACTIVE. It ends on the
 * termination's effective date; a termination recorded without one (before issue 11) ends service
 * the day after it completed, since the carrier charges the day it was still live. A termination
 * still scheduled, or withdrawn, has not ended anything.
 */
export function inventoryLineOf(row: InventoryRow): InventoryLine {
  const ended = ENDED.includes(row.status);
  const endsOn = !ended ? null : (row.effectiveDate ?? (row.terminatedAt ? isoDateOfDay(dayOfIsoDate(seoulDateOf(Date.parse(row.terminatedAt))) + 1) : null));
  return {
    lineId: row.id,
    number: row.dn,
    center: row.center,
    monthlyFee: row.monthlyFee,
    inServiceFrom: row.activatedAt ? seoulDateOf(Date.parse(row.activatedAt)) : null,
    serviceEndsOn: endsOn,
  };
}
