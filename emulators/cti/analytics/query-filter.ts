import { z } from 'zod';
import { notImplementedError } from '../genesys-errors';

/**
 * The `filter` of a conversation aggregate query (SDK models
 * ConversationAggregateQueryFilter / …Clause / …Predicate): predicates and
 * clauses combined with `and`/`or`. Served: dimension predicates on the
 * dimensions the emulated calls have, with `matches` (the default), `exists`
 * and `notExists`. Metric and property predicates, and other dimensions, are
 * valid Genesys but not emulated: 501.
 */

/**
 * The dimensions an emulated call (or an agent's leg of one) may carry: every one is a voice call
 * with a direction; a queue's calls carry its queueId, an agent's legs the agent's userId (and the
 * queue, for the calls the queue gave them). A dimension a call lacks is absent, as in Genesys.
 */
export const DIMENSIONS = ['queueId', 'userId', 'mediaType', 'direction'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type CallDimensions = { mediaType: string; direction: string; queueId?: string; userId?: string };

const predicate = z.object({
  type: z.enum(['dimension', 'property', 'metric']).optional(),
  dimension: z.string().optional(),
  operator: z.enum(['matches', 'exists', 'notExists']).optional(),
  value: z.string().optional(),
  range: z.unknown().optional(),
});
const clause = z.object({ type: z.enum(['and', 'or']), predicates: z.array(predicate).min(1) });

export const queryFilter = z.object({
  type: z.enum(['and', 'or']),
  clauses: z.array(clause).optional(),
  predicates: z.array(predicate).optional(),
});

type Test = (call: CallDimensions) => boolean;

export function compileFilter(filter: z.infer<typeof queryFilter> | undefined): Test {
  if (!filter) return () => true;
  const tests = [...(filter.predicates ?? []).map(compilePredicate), ...(filter.clauses ?? []).map((c) => combine(c.type, c.predicates.map(compilePredicate)))];
  return combine(filter.type, tests);
}

export function isDimension(name: string): name is Dimension {
  return (DIMENSIONS as readonly string[]).includes(name);
}

function combine(type: 'and' | 'or', tests: Test[]): Test {
  // An empty group filters nothing out, whichever way it combines.
  if (tests.length === 0) return () => true;
  return type === 'and' ? (call) => tests.every((t) => t(call)) : (call) => tests.some((t) => t(call));
}

function compilePredicate(p: z.infer<typeof predicate>): Test {
  if ((p.type ?? 'dimension') !== 'dimension' || p.range !== undefined)
    throw notImplementedError(`A ${p.type ?? 'range'} predicate in an aggregate query filter`);
  const dimension = p.dimension ?? '';
  if (!isDimension(dimension)) throw notImplementedError(`Filtering on dimension "${dimension}" (emulated: ${DIMENSIONS.join(', ')})`);
  const operator = p.operator ?? 'matches';
  if (operator === 'exists') return (call) => call[dimension] !== undefined;
  if (operator === 'notExists') return (call) => call[dimension] === undefined;
  return (call) => call[dimension] === p.value;
}
