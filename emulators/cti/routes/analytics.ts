import { Router } from 'express';
import { z } from 'zod';
import { aggregate, SERVED_METRICS, type ServedMetric } from '../analytics/aggregate';
import { buckets, parseInterval } from '../analytics/interval';
import { compileFilter, DIMENSIONS, isDimension, queryFilter, type Dimension } from '../analytics/query-filter';
import { badRequest, notImplementedError } from '../genesys-errors';
import type { StateHolder } from '../state';
import { isTimeZone } from '../time-zone';
import { parseInput } from '../validate';

/**
 * `POST /api/v2/analytics/conversations/aggregates/query` — SDK models
 * ConversationAggregationQuery (in) and ConversationAggregateQueryResponse
 * (out: `results[].group`, `results[].data[].interval`,
 * `…metrics[].metric`/`stats`). Served: metrics nOffered and tAnswered over
 * the emulated inbound voice calls of every queue (analytics/), grouped by
 * queueId, mediaType or direction. A bad interval (or one over 93 days), an
 * unknown granularity or time zone → 400; valid Genesys that is not emulated
 * (other metrics, dimensions, views, P1M) → 501.
 */

const aggregationQuery = z.object({
  interval: z.string().min(1),
  granularity: z.string().optional(),
  timeZone: z.string().optional(),
  groupBy: z.array(z.string()).optional(),
  filter: queryFilter.optional(),
  metrics: z.array(z.string()).min(1),
  flattenMultivaluedDimensions: z.boolean().optional(),
  views: z.array(z.unknown()).optional(),
  // Every emulated day's calls happen at one moment, so event time and conversation start agree.
  alternateTimeDimension: z.enum(['eventTime']).optional(),
});

export function analyticsRoutes(holder: StateHolder): Router {
  const router = Router();
  router.post('/analytics/conversations/aggregates/query', (req, res) => {
    const body = parseInput(aggregationQuery, req.body);
    const interval = parseInterval(body.interval);
    if (body.timeZone !== undefined && !isTimeZone(body.timeZone)) {
      throw badRequest(`timeZone ${body.timeZone} is not an IANA time zone`, [{ fieldName: 'timeZone' }]);
    }
    if (body.views?.length) throw notImplementedError('Aggregate query views');
    const results = aggregate(holder.state, {
      interval,
      buckets: buckets(interval, body.granularity, body.timeZone),
      groupBy: (body.groupBy ?? []).map(servedDimension),
      metrics: body.metrics.map(servedMetric),
      filter: compileFilter(body.filter),
    });
    // Genesys leaves `results` out altogether when nothing matched.
    res.json(results.length > 0 ? { results } : {});
  });
  return router;
}

function servedDimension(name: string): Dimension {
  if (isDimension(name)) return name;
  throw notImplementedError(`Grouping by ${name} (emulated: ${DIMENSIONS.join(', ')})`);
}

function servedMetric(name: string): ServedMetric {
  if ((SERVED_METRICS as readonly string[]).includes(name)) return name as ServedMetric;
  throw notImplementedError(`Metric ${name} (emulated: ${SERVED_METRICS.join(', ')})`);
}
