import type { IncidentAction, TimelineEvent } from '../../domain/incident/contracts';
import { EVENT_OF_ACTION } from '../../domain/incident/lifecycle';
import type { LedgerEntry } from '../api-client';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * Every incident transition the API acknowledged (2xx) is in the incident's
 * timeline exactly once; one whose fate the client could not know at most once;
 * one refused on its first answer not at all. A request is found by the tag it
 * carried in its body (note, reason, resolution or text) and its actor.
 */

const TRANSITION_PATH = /^\/api\/v1\/incidents\/([^/]+)\/([a-z]+)$/;

export function transitionOf(entry: LedgerEntry): { incidentId: string; action: string } | undefined {
  const m = TRANSITION_PATH.exec(entry.path);
  if (!m || entry.method !== 'POST' || !(m[2]! in EVENT_OF_ACTION)) return undefined;
  return { incidentId: m[1]!, action: m[2]! };
}

export function checkAckedTransitions(
  ledger: readonly LedgerEntry[],
  timelines: ReadonlyMap<string, readonly TimelineEvent[]>,
  actorOf: (role: string) => string,
): CheckResult {
  const result = emptyResult();
  for (const entry of ledger) {
    const t = transitionOf(entry);
    if (!t || !entry.tag) continue;
    const timeline = timelines.get(t.incidentId);
    if (!timeline) continue;
    count(result, 'acked-transition-once');
    const found = timeline.filter((e) => e.actor.id === actorOf(entry.role) && carries(e, entry.tag!));
    const wrongType = found.filter((e) => e.type !== EVENT_OF_ACTION[t.action as IncidentAction]);
    const n = found.length;
    const attempts = entry.attempts.join(',');
    const where = `${t.action} ${t.incidentId} (request ${entry.id}, tag ${entry.tag}, attempts ${attempts})`;
    if (wrongType.length) {
      result.violations.push({
        invariant: 'acked-transition-once',
        subject: t.incidentId,
        detail: `${where} recorded as ${wrongType.map((e) => `#${e.seq} ${e.type}`).join(', ')}`,
      });
    }
    if (entry.outcome === 'acked' && n !== 1) {
      result.violations.push({
        invariant: 'acked-transition-once',
        subject: t.incidentId,
        detail: `${where} was acknowledged ${entry.status} but is in the timeline ${n} times${n ? `: ${found.map((e) => `#${e.seq} at ${e.at}`).join(', ')}` : ''}`,
      });
    }
    if (entry.outcome === 'unknown' && n > 1) {
      result.violations.push({
        invariant: 'acked-transition-once',
        subject: t.incidentId,
        detail: `${where} (no clear answer) is in the timeline ${n} times: ${found.map((e) => `#${e.seq}`).join(', ')}`,
      });
    }
    if (entry.outcome === 'refused' && n > 0) {
      result.violations.push({
        invariant: 'acked-transition-once',
        subject: t.incidentId,
        detail: `${where} was refused (${entry.status}) yet is in the timeline: ${found.map((e) => `#${e.seq}`).join(', ')}`,
      });
    }
  }
  return result;
}

function carries(event: TimelineEvent, tag: string): boolean {
  return Object.values(event.details ?? {}).some((v) => typeof v === 'string' && v.includes(tag));
}
