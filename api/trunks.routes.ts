import { z } from 'zod';
import { listTrunkCapacities, saveTrunkCapacity } from '../db/trunks.repo';
import { lineUsageBetween, trunkUsageByTrunk } from '../db/trunk-usage.repo';
import { currentLineUsageSources, saveLineUsageSources } from '../db/line-usage-sources.repo';
import { lineCenters } from '../db/lines.repo';
import { ValidationError } from '../domain/errors';
import { LineUsageSourcesInput, LineUsageSourcesView, UsageOrigin } from '../domain/line/usage-sources';
import { CalendarDate } from '../domain/sla/model';
import { TrunkCapacityRequest, TrunkCapacityView, TrunkParams } from '../domain/line/trunk-capacity';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

/** The most days one usage query spans. */
const MAX_USAGE_DAYS = 366;

const UsageQuery = z
  .object({
    /** Seoul days, `from` included, `to` not. */
    from: CalendarDate,
    to: CalendarDate,
    center: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    // A day that is no calendar day is named once, as itself, not again as a bad span.
    if (!CalendarDate.safeParse(q.from).success || !CalendarDate.safeParse(q.to).success) return;
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must be after from' });
    else if (days > MAX_USAGE_DAYS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `at most ${MAX_USAGE_DAYS} days after from` });
  });

const LineUsageView = z.object({
  lineId: z.string(),
  dn: z.string(),
  center: z.string(),
  lineType: z.string(),
  status: z.string(),
  callsOut: z.number().int(),
  callsIn: z.number().int(),
  minutes: z.number(),
  activeDays: z.number().int(),
  lastCallDate: z.string().nullable(),
  /**
   * The most of its calls up at once on any day, from the PBX's call records (as a trunk's peak; 0
   * without a stored day); null when none of its days has one (the CTI's call statistics cannot tell).
   */
  peakConcurrent: z.number().int().nullable(),
  simulated: z.boolean(),
  /** Where the stored days came from: the PBX's call records, the CTI's call statistics (line-usage-sources), or both over a change of source. */
  origins: z.array(UsageOrigin),
});

const TrunkUsageView = z.object({
  trunk: z.string(),
  /** From the inventory (the trunk's recorded capacity, or its PRI line); null for a trunk only the call records name. */
  center: z.string().nullable(),
  lineId: z.string().nullable(),
  channels: z.number().int().nullable(),
  calls: z.number().int(),
  minutes: z.number(),
  /** The most calls carried at once on any of the days. */
  peakConcurrent: z.number().int(),
  simulated: z.boolean(),
  /** Each stored Seoul day: calls answered that day, their minutes, the most carried at once (a call up at midnight counts on both days). */
  days: z.array(z.object({ date: z.string(), calls: z.number().int(), minutes: z.number(), peakConcurrent: z.number().int() })),
});

/**
 * What the PBX carries: trunk capacity and the utilization thresholds monitoring alerts on
 * (deploy/prometheus/pbx.rules.yml), each trunk's daily usage from the PBX's call records, and each
 * line's from the same records or, for the centers the CTI carries, its call statistics (stored by
 * the monthly inspection and the QSR).
 * Mounted before the lines' `/:id` routes.
 */
export function trunkRoutes({ pool }: Pick<IncidentServiceDeps, 'pool'>): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/lines/usage',
      summary:
        "Each line's usage over Seoul days [from, to) from the PBX's call records (or the CTI's call statistics, for the centers line-usage-sources gives the CTI): calls placed and received, minutes, days with calls, the most calls up at once (taken by the monthly inspection and the QSR)",
      tag: 'lines',
      roles: ['admin', 'spm', 'engineer', 'auditor'],
      query: UsageQuery,
      success: { status: 200, schema: z.object({ items: z.array(LineUsageView) }) },
      handle: async ({ query }) => ({ items: await lineUsageBetween(pool, query.from, query.to, query.center) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/trunks/usage',
      summary:
        "Each trunk's usage over Seoul days [from, to) from the PBX's call records (taken by the monthly inspection and the QSR): per day the calls, minutes and the most carried at once, with the trunk's channels; every trunk of the inventory (at zero without calls) and every trunk the records name",
      tag: 'lines',
      roles: ['admin', 'spm', 'engineer', 'auditor'],
      query: UsageQuery,
      success: { status: 200, schema: z.object({ items: z.array(TrunkUsageView) }) },
      handle: async ({ query }) => ({ items: await trunkUsageByTrunk(pool, query.from, query.to, query.center) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/line-usage-sources',
      summary: "Where each center's line usage comes from (version 0: the PBX's call records for every center)",
      tag: 'lines',
      roles: ['admin', 'spm', 'engineer', 'auditor'],
      success: { status: 200, schema: LineUsageSourcesView },
      handle: () => currentLineUsageSources(pool),
    }),
    route({
      method: 'put',
      path: '/api/v1/line-usage-sources',
      summary:
        "Save where each center's line usage comes from as a new version: 'cti' for a center whose calls the CTI carries, 'pbx' (the default) otherwise; the next usage import uses it",
      tag: 'lines',
      roles: ['admin'],
      body: LineUsageSourcesInput,
      success: { status: 200, schema: LineUsageSourcesView },
      handle: async ({ body, actor }) => {
        // A misspelt center would silently stay the PBX's: a center given the CTI must be one the inventory has lines in.
        const known = new Set(await lineCenters(pool));
        const unknown = Object.keys(body.centers).filter((center) => body.centers[center] === 'cti' && !known.has(center));
        if (unknown.length)
          throw new ValidationError(unknown.map((center) => ({ path: `centers.${center}`, message: 'no line of the inventory is in this center' })));
        return saveLineUsageSources(pool, body, actor.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/trunks',
      summary: 'Trunks with their capacity (channels) and the utilization at which monitoring warns (default 80 %) and opens an incident (95 %)',
      tag: 'lines',
      roles: ['admin', 'spm', 'engineer', 'auditor'],
      success: { status: 200, schema: z.object({ items: z.array(TrunkCapacityView) }) },
      handle: async () => ({ items: await listTrunkCapacities(pool) }),
    }),
    route({
      method: 'put',
      path: '/api/v1/trunks/:trunk',
      summary: "Record a trunk's capacity and thresholds (the trunk is its PBX dispatcher set, as Kamailio's metrics label it)",
      tag: 'lines',
      roles: ['admin', 'spm'],
      params: TrunkParams,
      body: TrunkCapacityRequest,
      success: { status: 200, schema: TrunkCapacityView },
      handle: ({ params, body, actor }) => saveTrunkCapacity(pool, params.trunk, body, actor.id),
    }),
  ];
}
