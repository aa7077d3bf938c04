import { z } from 'zod';

/**
 * A trunk's capacity in channels and the utilization at which monitoring warns the SPM and opens an
 * incident (issue 15: 80 % and 95 % by default, editable per trunk). A trunk is named as the PBX
 * names it: its dispatcher set (`kamailio_trunk_active_calls{trunk="223"}`); a PRI line's set comes
 * from its id (trunkSetOf). A PRI with no capacity recorded counts as an E1 PRI: 30 channels.
 */

/** Dispatcher sets of PRI trunks start here; one set per PRI line. */
export const FIRST_TRUNK_SET = 100;
export const DEFAULT_PRI_CHANNELS = 30;
export const DEFAULT_WARN_PERCENT = 80;
export const DEFAULT_CRITICAL_PERCENT = 95;

/** A PRI line's dispatcher set: from its number (LN-000123 → 223), so no two lines share one. */
export function trunkSetOf(lineId: string): number {
  const serial = Number(/(\d+)$/.exec(lineId)?.[1]);
  if (!Number.isSafeInteger(serial)) throw new RangeError(`not a line id: ${lineId}`);
  return FIRST_TRUNK_SET + serial;
}

/** As Kamailio labels it: the set's number without leading zeros (223, not 0223). */
export const TrunkParams = z.object({ trunk: z.string().regex(/^(0|[1-9]\d{0,8})$/, 'a trunk is its dispatcher set number, e.g. 223') }).strict();

export const TrunkCapacityRequest = z
  .object({
    channels: z.number().int().min(1).max(10_000),
    warnAtPercent: z.number().int().min(1).max(100).default(DEFAULT_WARN_PERCENT),
    criticalAtPercent: z.number().int().min(1).max(100).default(DEFAULT_CRITICAL_PERCENT),
    center: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.criticalAtPercent <= r.warnAtPercent) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['criticalAtPercent'], message: 'must be above warnAtPercent' });
    }
  });
export type TrunkCapacityRequest = z.infer<typeof TrunkCapacityRequest>;

export const TrunkCapacityView = z.object({
  trunk: z.string(),
  /** The PRI line whose trunk it is, when it is one. */
  lineId: z.string().nullable(),
  dn: z.string().nullable(),
  center: z.string().nullable(),
  description: z.string().nullable(),
  channels: z.number().int(),
  warnAtPercent: z.number().int(),
  criticalAtPercent: z.number().int(),
  /** `recorded`: someone set it; `default`: a PRI line's E1 default. */
  source: z.enum(['recorded', 'default']),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type TrunkCapacityView = z.infer<typeof TrunkCapacityView>;
