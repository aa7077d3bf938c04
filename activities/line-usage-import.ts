import type { Pool } from 'pg';
import type { CtiClient } from '../adapters/cti/cti-client';
import { SEOUL_TIME_ZONE } from '../domain/calendar/seoul';
import type { DataSource } from '../domain/data-source';
import { lineDailyUsage, type AnsweredCall, type LineDay } from '../domain/line/trunk-usage';
import { currentLineUsageSources } from '../db/line-usage-sources.repo';
import { ctiAgentLines } from '../db/lines.repo';
import { dropLineUsageOfOtherOrigin, saveLineUsage } from '../db/trunk-usage.repo';

/**
 * Each line's usage over Seoul days [fromDate, toDate), stored for GET /api/v1/lines/usage, the
 * savings proposals and the reports: from the PBX's call records, except the lines of the centers
 * line-usage-sources gives the CTI, whose days come from the CTI's call statistics (each agent's
 * talk, put on the line whose installation made the agent). The one place both the monthly
 * inspection and the QSR take line usage from.
 */
export async function importLineUsage(
  deps: { pool: Pool; cti: CtiClient; pbxSource: DataSource; ctiSource: DataSource },
  span: { fromDate: string; toDate: string },
  pbxRecords: readonly AnsweredCall[],
): Promise<{ pbxDays: number; ctiDays: number }> {
  const sources = await currentLineUsageSources(deps.pool);
  const ctiCenters = Object.keys(sources.centers).filter((center) => sources.centers[center] === 'cti');
  const { dns: ctiDns, dnOfAgent } = ctiCenters.length
    ? await ctiAgentLines(deps.pool, ctiCenters)
    : { dns: new Set<string>(), dnOfAgent: new Map<string, string>() };

  await dropLineUsageOfOtherOrigin(deps.pool, span.fromDate, span.toDate, [...ctiDns]);
  // A CTI center's lines take nothing from the PBX, even where a call of theirs crossed it.
  const pbxDays = lineDailyUsage(pbxRecords).filter((d) => !ctiDns.has(d.dn));
  await saveLineUsage(
    deps.pool,
    span.fromDate,
    span.toDate,
    pbxDays.map((d) => ({ ...d, origin: 'pbx' as const })),
    deps.pbxSource,
  );
  if (ctiCenters.length === 0) return { pbxDays: pbxDays.length, ctiDays: 0 };

  const talk = await deps.cti.agentTalk({ from: span.fromDate, to: span.toDate, timeZone: SEOUL_TIME_ZONE });
  const ctiDays = lineDaysOfAgents(talk, dnOfAgent);
  await saveLineUsage(
    deps.pool,
    span.fromDate,
    span.toDate,
    ctiDays.map((d) => ({ ...d, origin: 'cti' as const })),
    deps.ctiSource,
  );
  return { pbxDays: pbxDays.length, ctiDays: ctiDays.length };
}

/** Agents' days summed per line and day; an agent that is no CTI center's line's is left out. */
export function lineDaysOfAgents(
  talk: ReadonlyArray<{ agentId: string; date: string; callsIn: number; callsOut: number; talkSeconds: number }>,
  dnOfAgent: ReadonlyMap<string, string>,
): LineDay[] {
  const days = new Map<string, LineDay>();
  for (const t of talk) {
    const dn = dnOfAgent.get(t.agentId);
    if (!dn) continue;
    const key = `${dn}|${t.date}`;
    const day = days.get(key) ?? { dn, date: t.date, callsOut: 0, callsIn: 0, minutes: 0 };
    days.set(key, day);
    day.callsIn += t.callsIn;
    day.callsOut += t.callsOut;
    day.minutes += t.talkSeconds / 60;
  }
  return [...days.values()]
    .map((d) => ({ ...d, minutes: Math.round(d.minutes * 10) / 10 }))
    .sort((a, b) => a.dn.localeCompare(b.dn) || a.date.localeCompare(b.date));
}
