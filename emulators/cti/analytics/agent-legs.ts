import { agentCallsKey, type AgentCallsPin, type CtiState, type QueueRecord } from '../state';
import type { CallDimensions } from './query-filter';
import { dayVolume, unit } from './synthetic-volume';

/**
 * The agents' legs of one local day (Asia/Seoul), what tTalkComplete counts: each queue's answered
 * calls go to its live members in turn (by id; the first ones take the remainder), and each agent
 * places a tenth as many calls of its own (outbound, no queue). An agent's talk time per call
 * depends only on its name and the date, so two runs agree. A pinned agent-day
 * (`PUT /__emulator/agent-calls`) replaces every leg the model gives that agent that day; its
 * inbound legs then carry no queue. A deleted agent takes no more calls from its queues, but its
 * pinned days stay, as Genesys keeps a deleted user's analytics.
 */

/** Talk legs that completed: how many, and their talk time (ms): tTalkComplete's stats. */
export interface TalkLegs {
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

export interface AgentLeg {
  dims: CallDimensions;
  talk: TalkLegs;
}

/** An agent places one call of its own for every ten its queues hand it. */
const OUTBOUND_PER_INBOUND = 0.1;

export function agentLegs(state: CtiState, queues: readonly QueueRecord[], date: string, pins: readonly AgentCallsPin[]): AgentLeg[] {
  const legs: AgentLeg[] = [];
  const handedTo = new Map<string, number>();
  for (const queue of queues) {
    const members = [...queue.memberIds].filter((id) => isLive(state, id)).sort();
    if (members.length === 0) continue;
    const { answered } = dayVolume(state, queue, date);
    members.forEach((userId, i) => {
      if (state.agentCallsPins.has(agentCallsKey(userId, date))) return;
      const calls = Math.floor(answered / members.length) + (i < answered % members.length ? 1 : 0);
      if (calls === 0) return;
      handedTo.set(userId, (handedTo.get(userId) ?? 0) + calls);
      legs.push({ dims: { queueId: queue.id, userId, mediaType: 'voice', direction: 'inbound' }, talk: synthetic(calls, talkMs(state, userId, date)) });
    });
  }
  for (const [userId, inbound] of handedTo) {
    const calls = Math.round(inbound * OUTBOUND_PER_INBOUND);
    if (calls > 0) legs.push({ dims: { userId, mediaType: 'voice', direction: 'outbound' }, talk: synthetic(calls, talkMs(state, userId, date)) });
  }
  // A pinned day stands even for an agent deleted since: Genesys keeps a deleted user's analytics.
  for (const pin of pins) {
    if (pin.date !== date) continue;
    const { userId } = pin;
    if (pin.inboundCalls > 0) legs.push({ dims: { userId, mediaType: 'voice', direction: 'inbound' }, talk: pinned(pin.inboundCalls, pin.inboundTalkSeconds) });
    if (pin.outboundCalls > 0)
      legs.push({ dims: { userId, mediaType: 'voice', direction: 'outbound' }, talk: pinned(pin.outboundCalls, pin.outboundTalkSeconds) });
  }
  return legs;
}

export function plusTalk(a: TalkLegs | undefined, b: TalkLegs): TalkLegs {
  if (!a) return { ...b };
  return { count: a.count + b.count, sumMs: a.sumMs + b.sumMs, minMs: Math.min(a.minMs, b.minMs), maxMs: Math.max(a.maxMs, b.maxMs) };
}

function isLive(state: CtiState, userId: string): boolean {
  const user = state.users.get(userId);
  return user !== undefined && user.state !== 'deleted';
}

/** 90 s to 5 min a call on average, by agent and day. */
function talkMs(state: CtiState, userId: string, date: string): number {
  const name = state.users.get(userId)?.name ?? userId;
  return Math.round((90 + unit(`${name}|${date}|talk`) * 210) * 1000);
}

function synthetic(count: number, averageMs: number): TalkLegs {
  return { count, sumMs: count * averageMs, minMs: Math.round(averageMs / 4), maxMs: averageMs * 3 };
}

function pinned(count: number, talkSeconds: number): TalkLegs {
  const averageMs = Math.round((talkSeconds * 1000) / count);
  return { count, sumMs: talkSeconds * 1000, minMs: averageMs, maxMs: averageMs };
}
