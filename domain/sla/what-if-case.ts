import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/chain';
import type { HistoryJson } from '../audit/history-json';
import { readIncidentClockCase, SlaProofError } from '../audit/sla-proof';
import { ClockEventType, PendReason, SlaSnapshot } from './model';
import { secondOpinion } from './second-opinion';

/**
 * One closed incident as the what-if judges it, read off its archived history (every run of it),
 * and how a case kept for later is checked before it is trusted again.
 */

/** Bump when the reading changes: cases read by an earlier reader are read again. */
export const CASE_READER = 1;

export const WhatIfCase = z.object({
  incidentId: z.string(),
  title: z.string(),
  sla: SlaSnapshot,
  events: z.array(z.object({ type: ClockEventType, at: z.string(), reason: PendReason.optional() }).strict()),
  /** The instant its record stands at (when it closed). */
  asOf: z.string(),
  /** Cancelled (a duplicate, a false alarm): its breaches before the cancellation count, its restore time does not. */
  cancelled: z.boolean(),
});
export type WhatIfCase = z.infer<typeof WhatIfCase>;

export type CaseReading = { case: WhatIfCase } | { skipped: string };

/**
 * The case of one closed incident, or why it cannot be judged again: its runs do not hang together,
 * it recorded no result, or what it recorded differs from the second evaluation of its own events
 * (the SLA proof's verdict then explains the difference). "Now" is thus always what the incident
 * was told, not a recomputation that disagrees with it.
 */
export function readWhatIfCase(runs: readonly HistoryJson[]): CaseReading {
  let read: ReturnType<typeof readIncidentClockCase>;
  try {
    read = readIncidentClockCase(runs);
  } catch (err) {
    if (err instanceof SlaProofError) return { skipped: err.message };
    throw err;
  }
  if (read.differences.length) return { skipped: read.differences.join('; ') };
  if (!read.recorded) return { skipped: 'the history holds no recorded result' };
  const events = read.events.map(({ type, at, reason }) => ({ type, at, ...(reason ? { reason } : {}) }));
  const now = secondOpinion(read.input.sla, events, read.asOf);
  for (const name of ['response', 'restore'] as const) {
    const recordedAt = read.recorded.breachDueAt[name];
    if (now[name].breached !== read.recorded.breached[name] || (now[name].breached && now[name].breachedAt !== recordedAt)) {
      return {
        skipped: `${name}: the workflow recorded ${read.recorded.breached[name] ? `a breach at ${recordedAt}` : 'no breach'}, the re-evaluation of its events ${now[name].breached ? `a breach at ${now[name].breachedAt}` : 'none'} (GET /api/v1/audit/incidents/${read.input.id}/sla explains)`,
      };
    }
  }
  return {
    case: {
      incidentId: read.input.id,
      title: read.input.title,
      sla: read.input.sla,
      events,
      asOf: read.asOf,
      cancelled: events.some((e) => e.type === 'cancelled'),
    },
  };
}

/** What a kept case's seal covers: the reader, the histories it was read from (sha256 each, oldest first), the case. */
export function caseDigest(c: WhatIfCase, historySha256: readonly string[]): string {
  return createHash('sha256')
    .update(canonicalJson({ kind: 'sla-case', reader: CASE_READER, historySha256, case: c }))
    .digest('hex');
}
