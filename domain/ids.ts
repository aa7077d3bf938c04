import { z } from 'zod';

/**
 * Business ids, written once: a prefix and a sequence number of at least six digits
 * (INC-000001, LN-000001, CHG-000001, INS-000001, QSR-000001, LB-000001, BILL-000001, BR-000001).
 */
export const ID_PREFIX = {
  incident: 'INC',
  line: 'LN',
  change: 'CHG',
  inspection: 'INS',
  qsr: 'QSR',
  lineBatch: 'LB',
  bill: 'BILL',
  billingReport: 'BR',
} as const;
export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

/** The id a sequence value stands for: `formatId('INC', '1')` → `INC-000001`. */
export function formatId(prefix: IdPrefix, n: string): string {
  return `${prefix}-${n.padStart(6, '0')}`;
}

/** A path parameter holding an id of this kind, e.g. `{ id: 'INC-000001' }`. */
export function idParams(prefix: IdPrefix, what: string) {
  return z.object({ id: z.string().regex(new RegExp(`^${prefix}-\\d{6,}$`), `expected ${what} id like ${formatId(prefix, '1')}`) });
}
