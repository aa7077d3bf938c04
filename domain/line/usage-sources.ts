import { z } from 'zod';

/**
 * Where a center's line usage comes from: the PBX's call records (the default), or the CTI's call
 * statistics for a center whose agents' calls the CTI carries. A center not named is the PBX's.
 */

export const UsageOrigin = z.enum(['pbx', 'cti']);
export type UsageOrigin = z.infer<typeof UsageOrigin>;

export const LineUsageSourcesInput = z
  .object({
    /** Center name → where its lines' usage comes from. */
    centers: z.record(z.string().trim().min(1).max(100), UsageOrigin),
  })
  .strict();
export type LineUsageSources = z.infer<typeof LineUsageSourcesInput>;

export const LineUsageSourcesView = LineUsageSourcesInput.extend({
  version: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type LineUsageSourcesView = z.infer<typeof LineUsageSourcesView>;

export function usageOriginOf(sources: LineUsageSources, center: string): UsageOrigin {
  return sources.centers[center] ?? 'pbx';
}
