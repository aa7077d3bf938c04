import type { LineDay } from './trunk-usage';
import type { UsageOrigin } from './usage-sources';

/**
 * Each line's days from the two sources: the PBX's call records, or, on the days its center's
 * usage came from the CTI (usage-sources), its CTI agent's talk. An agent is a line's from the day
 * the line's installation made or adopted it until the line's termination took effect; on a day
 * two of an agent's lines were in service, the later-installed one has it. A line with no agent
 * keeps its PBX days whatever its center's source (the CTI cannot speak for it).
 *
 * The CTI counts talk by the day it ended (Genesys tTalkComplete) and counts talk sessions (a call
 * transferred back to the same agent twice); the PBX counts answered calls by the day they began.
 * The two agree on whole days of ordinary calls, not on a call across midnight.
 */

/** One agent on one line, over Seoul days [installedOn, endsOn). */
export interface AgentLineSpan {
  agentId: string;
  dn: string;
  center: string;
  installedOn: string;
  /** The termination's effective date; null while the line is in service. */
  endsOn: string | null;
}

export interface AgentDay {
  agentId: string;
  date: string;
  callsIn: number;
  callsOut: number;
  talkSeconds: number;
}

export type SourcedLineDay = LineDay & { origin: UsageOrigin };

export function mergeLineUsage(input: {
  pbxDays: readonly LineDay[];
  agentDays: readonly AgentDay[];
  agentLines: readonly AgentLineSpan[];
  originOn: (center: string, date: string) => UsageOrigin;
}): SourcedLineDay[] {
  const { agentLines, originOn } = input;
  const inService = (span: AgentLineSpan, date: string) => span.installedOn <= date && (span.endsOn === null || date < span.endsOn);
  const latest = (spans: AgentLineSpan[]) => spans.reduce<AgentLineSpan | undefined>((a, b) => (!a || b.installedOn >= a.installedOn ? b : a), undefined);

  const byAgent = new Map<string, AgentLineSpan[]>();
  const byDn = new Map<string, AgentLineSpan[]>();
  for (const span of agentLines) {
    byAgent.set(span.agentId, [...(byAgent.get(span.agentId) ?? []), span]);
    byDn.set(span.dn, [...(byDn.get(span.dn) ?? []), span]);
  }
  /** Whether the CTI speaks for this DN on this day: one of its lines with an agent, in service, in a center whose source was the CTI. */
  const ctiHas = (dn: string, date: string) => (byDn.get(dn) ?? []).some((s) => inService(s, date) && originOn(s.center, date) === 'cti');

  const days = new Map<string, SourcedLineDay>();
  for (const d of input.pbxDays) if (!ctiHas(d.dn, d.date)) days.set(`${d.dn}|${d.date}`, { ...d, origin: 'pbx' });

  const talked = new Map<string, SourcedLineDay & { seconds: number }>();
  for (const t of input.agentDays) {
    const span = latest((byAgent.get(t.agentId) ?? []).filter((s) => inService(s, t.date)));
    if (!span || originOn(span.center, t.date) !== 'cti') continue;
    const key = `${span.dn}|${t.date}`;
    // The CTI's statistics are daily sums per agent, without each call's start and end: no peak (null, not 0).
    const day = talked.get(key) ?? { dn: span.dn, date: t.date, callsOut: 0, callsIn: 0, minutes: 0, peakConcurrent: null, seconds: 0, origin: 'cti' };
    talked.set(key, day);
    day.callsIn += t.callsIn;
    day.callsOut += t.callsOut;
    day.seconds += t.talkSeconds;
  }
  for (const [key, { seconds, ...day }] of talked) days.set(key, { ...day, minutes: Math.round((seconds / 60) * 10) / 10 });

  return [...days.values()].sort((a, b) => a.dn.localeCompare(b.dn) || a.date.localeCompare(b.date));
}
