import { z } from 'zod';
import { seoulMidnightOf } from '../calendar/seoul';

/**
 * Where a center's line usage comes from: the PBX's call records (the default), or the CTI's call
 * statistics for a center whose agents' calls the CTI carries. A center not named is the PBX's.
 */

export const UsageOrigin = z.enum(['pbx', 'cti']);
export type UsageOrigin = z.infer<typeof UsageOrigin>;

export const LineUsageSourcesInput = z
  .object({
    /** Center name → where its lines' usage comes from. */
    centers: z.record(z.string().min(1).max(100), UsageOrigin),
  })
  .strict();
export type LineUsageSources = z.infer<typeof LineUsageSourcesInput>;

export const LineUsageSourcesView = LineUsageSourcesInput.extend({
  version: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type LineUsageSourcesView = z.infer<typeof LineUsageSourcesView>;

/** One saved version: what it says, and when it was saved (it is in force from then on). */
export interface UsageSourcesVersion {
  centers: LineUsageSources['centers'];
  savedAt: string;
}

/**
 * Where a center's line usage came from on a Seoul day: the version in force at the day's end
 * (the last saved before the next Seoul midnight), the PBX before any. Versions in save order.
 */
export function usageOriginOn(versions: readonly UsageSourcesVersion[], center: string, date: string): UsageOrigin {
  const dayEnd = seoulMidnightOf(date) + 86_400_000;
  let inForce: UsageSourcesVersion | undefined;
  for (const v of versions) if (Date.parse(v.savedAt) < dayEnd) inForce = v;
  return inForce?.centers[center] ?? 'pbx';
}

/** Whether any center's usage came from the CTI on any Seoul day of [fromDate, toDate) (then the CTI must be asked). */
export function ctiDuring(versions: readonly UsageSourcesVersion[], fromDate: string, toDate: string): boolean {
  // A version governs a day when it is the last saved before the day's end (usageOriginOn): the span's day ends run from `first` to `last`.
  const first = seoulMidnightOf(fromDate) + 86_400_000;
  const last = seoulMidnightOf(toDate);
  return versions.some((v, i) => {
    const next = versions[i + 1];
    return Object.values(v.centers).includes('cti') && Date.parse(v.savedAt) < last && (!next || Date.parse(next.savedAt) >= first);
  });
}
