import { VendorValidationError } from '../vendor-errors';
import type { AgentDayTalk, CallVolumeRange } from './cti-client';
import { dailyAggregates, dayRange } from './genesys-daily-aggregates';
import type { GenesysHttp } from './genesys-http';

/**
 * Each agent's calls per local day from Genesys analytics: tTalkComplete (talk legs that ended,
 * and their talk time) of voice calls by userId and direction. Where the CTI, not the PBX, carries
 * a center's calls, this is its lines' usage (activities/line-usage-import.ts).
 */
export function genesysAgentTalk(http: GenesysHttp) {
  async function agentTalk(range: CallVolumeRange): Promise<AgentDayTalk[]> {
    const days = dayRange(range, 'agent talk');
    const byAgentDay = new Map<string, AgentDayTalk>();
    for (const row of await dailyAggregates(http, days, { groupBy: ['userId', 'direction'], metrics: ['tTalkComplete'] })) {
      const agentId = row.group.userId;
      // Talk with no agent (an IVR's own legs) is no line's.
      if (!agentId) continue;
      const direction = row.group.direction;
      if (direction !== 'inbound' && direction !== 'outbound') {
        throw new VendorValidationError('cti', `agent talk: agent ${agentId} on ${row.date} has talk of direction ${String(direction)}`);
      }
      const key = `${agentId}|${row.date}`;
      const day = byAgentDay.get(key) ?? { agentId, date: row.date, callsIn: 0, callsOut: 0, talkSeconds: 0 };
      byAgentDay.set(key, day);
      const talk = row.stats('tTalkComplete');
      if (direction === 'inbound') day.callsIn += talk.count;
      else day.callsOut += talk.count;
      day.talkSeconds += talk.sum / 1000;
    }
    return [...byAgentDay.values()].sort((a, b) => a.agentId.localeCompare(b.agentId) || a.date.localeCompare(b.date));
  }
  return { agentTalk };
}
