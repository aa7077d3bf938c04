import { z } from 'zod';

/**
 * An instant a caller sends in a query (`?updatedBefore=`, `?from=`): ISO 8601 with an offset, in
 * years where JavaScript and PostgreSQL agree. zod's datetime() alone lets through year 0000 and
 * offsets like +99:00, which PostgreSQL refuses: that would be a 500, not the 400 naming the field.
 */
const Iso = z.string().datetime({ offset: true });

export const InstantParam = Iso.refine((s) => {
  const at = Date.parse(s);
  // Not an ISO instant at all is reported once, by datetime().
  if (!Iso.safeParse(s).success) return true;
  return Number.isFinite(at) && new Date(at).getUTCFullYear() >= 1970 && new Date(at).getUTCFullYear() <= 9999;
}, 'must be an instant between the years 1970 and 9999, with an offset of at most ±15:59');
