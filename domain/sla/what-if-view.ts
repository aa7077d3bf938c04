import { z } from 'zod';
import { ClockKind, Complexity, Severity } from './model';

/** The what-if's answer as the API documents it (domain/sla/what-if.ts's WhatIfResult); the route checks its answer against it. */

const Instant = z.string().datetime();
const Targets = z.object({ clock: ClockKind, responseTargetSeconds: z.number().int(), restoreTargetSeconds: z.number().int() });
const Counts = z.object({ response: z.number().int(), restore: z.number().int() });
const Side = z.object({ breached: z.boolean(), elapsedSeconds: z.number(), targetSeconds: z.number().int(), clock: ClockKind, breachedAt: Instant.nullable() });

export const WhatIfResultView = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  incidents: z.number().int().describe('closed incidents judged again'),
  groups: z.array(
    z.object({
      severity: Severity,
      complexity: Complexity,
      incidents: z.number().int(),
      cancelled: z.number().int().describe('of them cancelled: breaches before the cancellation count, as in the QSR; no restore time'),
      nowPolicies: z.array(Targets.extend({ incidents: z.number().int() })).describe('what the incidents were judged by when they opened'),
      candidate: Targets.nullable().describe('null: the candidate set names no policy for this severity and complexity'),
      breachedNow: Counts,
      breachedCandidate: Counts,
      restore: z.object({
        p50Seconds: z.number(),
        p90Seconds: z.number(),
        maxSeconds: z.number(),
        buckets: z
          .array(z.object({ upToPercent: z.number().int().nullable(), now: z.number().int(), candidate: z.number().int() }))
          .describe('restore time as a share of its target: up to 50, 75, 90, 100 % and beyond (null), now and under the candidate'),
      }),
    }),
  ),
  flips: z.array(
    z.object({
      incidentId: z.string(),
      title: z.string(),
      severity: Severity,
      complexity: Complexity,
      clock: z.enum(['response', 'restore']),
      cancelled: z.boolean(),
      now: Side,
      candidate: Side,
      explanation: z.object({ ko: z.string(), en: z.string() }),
    }),
  ),
  totals: z.object({ breachedNow: Counts, breachedCandidate: Counts }),
  skipped: z.array(z.object({ incidentId: z.string(), reason: z.string() })).describe('closed incidents whose history could not be judged again, and why'),
});
export type WhatIfResultView = z.infer<typeof WhatIfResultView>;
