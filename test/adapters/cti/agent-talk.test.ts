import { randomUUID } from 'node:crypto';
import { AGGREGATES } from '../../../adapters/cti/genesys-daily-aggregates';
import { VendorValidationError } from '../../../adapters/vendor-errors';
import { expectGenesysError, useAnalyticsEmulator } from '../../emulators/cti/support';

// Each agent's talk per day: the emulator's conversation aggregates by userId over raw HTTP, then the Genesys adapter against it.
const SEOUL = 'Asia/Seoul';
const DAY = '2026-04-07T00:00:00+09:00/2026-04-08T00:00:00+09:00';

interface AggregateResult {
  group: Record<string, string>;
  data: Array<{ interval: string; metrics: Array<{ metric: string; stats: Record<string, number> }> }>;
}

const ctx = useAnalyticsEmulator(100);

const idem = () => ({ key: randomUUID() });
const query = (body: Record<string, unknown>) => ctx.call('POST', AGGREGATES, { body });
const pinAgents = (pins: unknown[]) => ctx.call('PUT', '/__emulator/agent-calls', { token: null, body: pins });
const pinQueues = (pins: unknown[]) => ctx.call('PUT', '/__emulator/call-volume', { token: null, body: pins });

/** Agents in the 대표번호 queue (created through the adapter, as line provisioning does). */
async function agentsInQueue(names: string[]): Promise<string[]> {
  const queue = (await ctx.cti.findQueueByName('대표번호'))!;
  const ids: string[] = [];
  for (const name of names) ids.push((await ctx.cti.createAgent({ loginId: `agent.${randomUUID().slice(0, 8)}@butler.test`, name }, idem())).id);
  await ctx.cti.addQueueMembers(queue.id, ids, idem());
  return ids;
}

const talkOf = (results: AggregateResult[], userId: string, direction: string) =>
  results.find((r) => r.group.userId === userId && r.group.direction === direction)?.data[0]?.metrics.find((m) => m.metric === 'tTalkComplete')?.stats;

describe('emulator: tTalkComplete by agent', () => {
  it("a queue's answered calls are its members' inbound legs, dealt in turn; each agent places a tenth as many", async () => {
    const members = await agentsInQueue(['김상담', '이상담', '박상담']);
    await pinQueues([{ queueName: '대표번호', date: '2026-04-07', offered: 110, answered: 100 }]);
    const res = await query({ interval: DAY, granularity: 'P1D', timeZone: SEOUL, groupBy: ['userId', 'direction'], metrics: ['tTalkComplete'] });
    expect(res.status).toBe(200);
    const results = res.body.results as AggregateResult[];
    const sorted = [...members].sort();
    expect(sorted.map((id) => talkOf(results, id, 'inbound')?.count)).toEqual([34, 33, 33]);
    expect(sorted.map((id) => talkOf(results, id, 'outbound')?.count)).toEqual([3, 3, 3]);
    for (const id of members) {
      const stats = talkOf(results, id, 'inbound')!;
      // 90 s to 5 min a call on average, min ≤ average ≤ max.
      expect(stats.sum / stats.count).toBeGreaterThanOrEqual(90_000);
      expect(stats.sum / stats.count).toBeLessThanOrEqual(300_000);
      expect(stats.min).toBeLessThanOrEqual(stats.sum / stats.count);
      expect(stats.max).toBeGreaterThanOrEqual(stats.sum / stats.count);
    }
    // Legs with no agent are not grouped under one; the queue's own metrics are not agents'.
    expect(results.every((r) => r.group.userId !== undefined)).toBe(true);
    // Grouped by queue, the legs' inbound talk adds up to the calls the queue answered.
    const byQueue = (await query({ interval: DAY, groupBy: ['queueId'], metrics: ['tAnswered', 'tTalkComplete'] })).body.results as AggregateResult[];
    const queueId = (await ctx.cti.findQueueByName('대표번호'))!.id;
    const metrics = byQueue.find((r) => r.group.queueId === queueId)!.data[0].metrics;
    expect(metrics.map((m) => [m.metric, m.stats.count])).toEqual([
      ['tAnswered', 100],
      ['tTalkComplete', 100],
    ]);
  });

  it('userId filters: matches one agent; exists keeps only legs; notExists only the queues', async () => {
    const [a, b] = await agentsInQueue(['최상담', '정상담']);
    const one = await query({
      interval: DAY,
      groupBy: ['userId'],
      metrics: ['tTalkComplete'],
      filter: { type: 'and', predicates: [{ dimension: 'userId', value: a }] },
    });
    expect((one.body.results as AggregateResult[]).map((r) => r.group.userId)).toEqual([a]);
    const legs = await query({
      interval: DAY,
      groupBy: ['userId'],
      metrics: ['nOffered', 'tTalkComplete'],
      filter: { type: 'and', predicates: [{ dimension: 'userId', operator: 'exists' }] },
    });
    expect((legs.body.results as AggregateResult[]).map((r) => r.group.userId).sort()).toEqual([a, b].sort());
    expect((legs.body.results as AggregateResult[]).flatMap((r) => r.data[0].metrics.map((m) => m.metric))).not.toContain('nOffered');
    const queuesOnly = await query({
      interval: DAY,
      metrics: ['tTalkComplete'],
      filter: { type: 'and', predicates: [{ dimension: 'userId', operator: 'notExists' }] },
    });
    // The queues' own slices carry no talk: nothing matched, and Genesys then leaves `results` out.
    expect(queuesOnly.status).toBe(200);
    expect(queuesOnly.body).toEqual({});
  });

  it("pins: an agent's pinned day replaces its legs; by e-mail or id; unknown agent → 404, talk without calls → 400; a reset clears them", async () => {
    const [a] = await agentsInQueue(['한상담']);
    const email = (await ctx.cti.getAgent(a)).loginId;
    const set = await pinAgents([
      { email: email.toUpperCase(), date: '2026-04-07', inboundCalls: 12, inboundTalkSeconds: 1800, outboundCalls: 2, outboundTalkSeconds: 240 },
    ]);
    expect(set.status).toBe(200);
    expect(set.body.pins).toEqual([{ userId: a, date: '2026-04-07', inboundCalls: 12, inboundTalkSeconds: 1800, outboundCalls: 2, outboundTalkSeconds: 240 }]);
    const results = (await query({ interval: DAY, groupBy: ['userId', 'direction'], metrics: ['tTalkComplete'] })).body.results as AggregateResult[];
    expect(talkOf(results, a, 'inbound')).toEqual({ count: 12, sum: 1_800_000, min: 150_000, max: 150_000 });
    expect(talkOf(results, a, 'outbound')).toEqual({ count: 2, sum: 240_000, min: 120_000, max: 120_000 });

    expectGenesysError(
      await pinAgents([{ userId: 'nobody', date: '2026-04-07', inboundCalls: 1, inboundTalkSeconds: 1, outboundCalls: 0, outboundTalkSeconds: 0 }]),
      404,
      'not.found',
    );
    expectGenesysError(
      await pinAgents([{ userId: a, date: '2026-04-07', inboundCalls: 0, inboundTalkSeconds: 60, outboundCalls: 0, outboundTalkSeconds: 0 }]),
      400,
      'bad.request',
    );
    expectGenesysError(
      await pinAgents([{ userId: a, email: 'x', date: '2026-04-07', inboundCalls: 0, inboundTalkSeconds: 0, outboundCalls: 0, outboundTalkSeconds: 0 }]),
      400,
      'bad.request',
    );
    expect((await ctx.call('GET', '/__emulator/agent-calls', { token: null })).body.pins).toHaveLength(1);
    ctx.emulator.reset();
    expect((await ctx.call('GET', '/__emulator/agent-calls', { token: null })).body.pins).toEqual([]);
  });

  it('grouping by a dimension not emulated → 501', async () => {
    expectGenesysError(await query({ interval: DAY, groupBy: ['wrapUpCode'], metrics: ['tTalkComplete'] }), 501, 'not.implemented');
  });
});

describe('adapter: agentTalk', () => {
  it("each agent's Seoul days: calls taken and placed and their talk, in 93-day pieces", async () => {
    const [a, b] = await agentsInQueue(['윤상담', '장상담']);
    await pinAgents([
      { userId: a, date: '2026-04-07', inboundCalls: 12, inboundTalkSeconds: 1800, outboundCalls: 2, outboundTalkSeconds: 240 },
      { userId: a, date: '2026-06-30', inboundCalls: 1, inboundTalkSeconds: 60, outboundCalls: 0, outboundTalkSeconds: 0 },
    ]);
    const rows = await ctx.cti.agentTalk({ from: '2026-04-01', to: '2026-07-05', timeZone: SEOUL });
    expect(rows.filter((r) => r.agentId === a && r.date === '2026-04-07')).toEqual([
      { agentId: a, date: '2026-04-07', callsIn: 12, callsOut: 2, talkSeconds: 2040 },
    ]);
    expect(rows.filter((r) => r.agentId === a && r.date === '2026-06-30')).toEqual([
      { agentId: a, date: '2026-06-30', callsIn: 1, callsOut: 0, talkSeconds: 60 },
    ]);
    // b takes the queue's synthetic calls every day of the 95.
    const bDays = rows.filter((r) => r.agentId === b);
    expect(bDays).toHaveLength(95);
    expect(bDays[0]!.date).toBe('2026-04-01');
    expect(bDays.at(-1)!.date).toBe('2026-07-04');
    for (const d of bDays) expect(d.callsIn).toBeGreaterThan(d.callsOut);
    // 95 days: two queries, by agent and direction.
    expect(ctx.sentQueries.map((q) => [q.interval, q.groupBy, q.metrics])).toEqual([
      ['2026-04-01T00:00:00+09:00/2026-07-03T00:00:00+09:00', ['userId', 'direction'], ['tTalkComplete']],
      ['2026-07-03T00:00:00+09:00/2026-07-05T00:00:00+09:00', ['userId', 'direction'], ['tTalkComplete']],
    ]);
  });

  it('a bad time zone or a reversed range is a validation error before any query', async () => {
    await expect(ctx.cti.agentTalk({ from: '2026-04-01', to: '2026-04-02', timeZone: 'Mars/Olympus' })).rejects.toBeInstanceOf(VendorValidationError);
    await expect(ctx.cti.agentTalk({ from: '2026-04-02', to: '2026-04-01', timeZone: SEOUL })).rejects.toBeInstanceOf(VendorValidationError);
    expect(ctx.sentQueries).toEqual([]);
  });
});
