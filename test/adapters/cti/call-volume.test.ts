import { ApplicationFailure } from '@temporalio/common';
import type { CenterCallVolume } from '../../../adapters/cti/cti-client';
import { MAX_QUERY_DAYS, pieces } from '../../../adapters/cti/genesys-daily-aggregates';
import { GenesysApiError } from '../../../adapters/cti/genesys-errors';
import { createGenesysHttp } from '../../../adapters/cti/genesys-http';
import { localMidnight } from '../../../adapters/cti/local-days';
import { toActivityFailure, VendorRateLimitedError, VendorTransientError, VendorValidationError, type VendorError } from '../../../adapters/vendor-errors';
import { quarterBounds } from '../../../domain/report/periods';
import { expectGenesysError, useAnalyticsEmulator } from '../../emulators/cti/support';

// Daily call volume per center: the emulator's analytics over raw HTTP, then the Genesys adapter against it.
const AGGREGATES = '/api/v2/analytics/conversations/aggregates/query';
const SEOUL = 'Asia/Seoul';
const CENTERS = ['상담1센터', '상담2센터'];

interface AggregateResult {
  group: Record<string, string>;
  data: Array<{ interval: string; metrics: Array<{ metric: string; stats: Record<string, number> }> }>;
}
interface QueueView {
  id: string;
  name: string;
  division: { id: string; name: string; selfUri: string };
}

// pageSize 3: four seeded queues take two pages of the queue listing.
const ctx = useAnalyticsEmulator(3);
const query = (body: Record<string, unknown>) => ctx.call('POST', AGGREGATES, { body });
const queues = async (): Promise<QueueView[]> => (await ctx.call('GET', '/api/v2/routing/queues?pageSize=100')).body.entities;
const pin = (pins: unknown[]) => ctx.call('PUT', '/__emulator/call-volume', { token: null, body: pins });
const row = (rows: CenterCallVolume[], date: string, center: string) => rows.find((r) => r.date === date && r.center === center);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error('expected the call to fail');
  return err as VendorError;
}

describe('emulator: queues in divisions (centers)', () => {
  it('every seeded queue carries its center as division; a queue can be created in a division', async () => {
    expect((await queues()).map((q) => [q.name, q.division.name]).sort()).toEqual([
      ['VIP 상담', '상담2센터'],
      ['대표번호', '상담1센터'],
      ['카드분실신고', '상담1센터'],
      ['해외결제문의', '상담2센터'],
    ]);
    const [center1] = (await ctx.call('GET', '/api/v2/authorization/divisions?name=상담1센터')).body.entities;
    expect(center1).toMatchObject({ name: '상담1센터', homeDivision: false, selfUri: `/api/v2/authorization/divisions/${center1.id}` });
    const created = await ctx.call('POST', '/api/v2/routing/queues', { body: { name: '분실신고 야간', division: { id: center1.id } } });
    expect(created.body.division).toEqual({ id: center1.id, name: '상담1센터', selfUri: `/api/v2/authorization/divisions/${center1.id}` });
    expect((await ctx.call('GET', `/api/v2/routing/queues?divisionId=${center1.id}`)).body.total).toBe(3);
    const home = (await ctx.call('GET', '/api/v2/authorization/divisions/home')).body;
    expect((await ctx.call('POST', '/api/v2/routing/queues', { body: { name: '기타' } })).body.division.id).toBe(home.id);
    expectGenesysError(await ctx.call('POST', '/api/v2/routing/queues', { body: { name: 'x', division: { id: 'nope' } } }), 400, 'bad.request');
  });
});

describe('emulator: conversation aggregates', () => {
  it('answers per queue and Seoul day in the Genesys shape, buckets in UTC', async () => {
    const res = await query({
      interval: '2026-04-06T00:00:00+09:00/2026-04-08T00:00:00+09:00',
      granularity: 'P1D',
      groupBy: ['queueId'],
      metrics: ['nOffered', 'tAnswered'],
    });
    expect(res.status).toBe(200);
    const results = res.body.results as AggregateResult[];
    expect(results.map((r) => r.group.queueId).sort()).toEqual((await queues()).map((q) => q.id).sort());
    for (const r of results) {
      expect(r.group.mediaType).toBe('voice');
      expect(r.data.map((d) => d.interval)).toEqual(['2026-04-05T15:00:00.000Z/2026-04-06T15:00:00.000Z', '2026-04-06T15:00:00.000Z/2026-04-07T15:00:00.000Z']);
      const [offered, answered] = r.data[0].metrics;
      expect(offered).toEqual({ metric: 'nOffered', stats: { count: expect.any(Number) } });
      expect(answered).toEqual({
        metric: 'tAnswered',
        stats: { count: expect.any(Number), sum: expect.any(Number), min: expect.any(Number), max: expect.any(Number) },
      });
      expect(answered.stats.count).toBeLessThanOrEqual(offered.stats.count);
    }
    // The same query twice, and after a reset, gives the same numbers: the volume is synthetic but fixed.
    ctx.emulator.reset();
    const again = (await query({ interval: '2026-04-06T00:00:00+09:00/2026-04-08T00:00:00+09:00', granularity: 'P1D', metrics: ['nOffered'] })).body;
    const total = (rs: AggregateResult[]) => rs.flatMap((r) => r.data).reduce((n, d) => n + d.metrics[0].stats.count, 0);
    expect(total(again.results)).toBe(total(results));
  });

  it('filters by dimension; nothing matched → {}', async () => {
    const [queue] = await queues();
    const one = await query({
      interval: '2026-04-06T00:00:00Z/2026-04-07T00:00:00Z',
      metrics: ['nOffered'],
      groupBy: ['queueId'],
      filter: { type: 'or', predicates: [{ dimension: 'queueId', value: queue.id }] },
    });
    expect(one.body.results.map((r: AggregateResult) => r.group.queueId)).toEqual([queue.id]);
    const chats = await query({
      interval: '2026-04-06T00:00:00Z/2026-04-07T00:00:00Z',
      metrics: ['nOffered'],
      filter: { type: 'and', predicates: [{ dimension: 'mediaType', value: 'chat' }] },
    });
    expect(chats).toMatchObject({ status: 200, body: {} });
  });

  it('a bad interval, one over 93 days, an unknown granularity or time zone → 400; valid but not emulated → 501', async () => {
    const day = '2026-04-06T00:00:00+09:00/2026-04-07T00:00:00+09:00';
    for (const interval of [
      'last week',
      '2026-04-07T00:00:00Z/2026-04-06T00:00:00Z',
      '2026-02-30T00:00:00Z/2026-03-02T00:00:00Z',
      '2026-01-01T00:00:00+09:00/2026-04-05T00:00:00+09:00',
    ]) {
      const res = await query({ interval, granularity: 'P1D', metrics: ['nOffered'] });
      expectGenesysError(res, 400, 'bad.request');
      expect(res.body.details).toEqual([{ fieldName: 'interval' }]);
    }
    expect((await query({ interval: '2026-01-01T00:00:00+09:00/2026-04-04T00:00:00+09:00', metrics: ['nOffered'] })).status).toBe(200);
    expectGenesysError(await query({ interval: day, granularity: 'daily', metrics: ['nOffered'] }), 400, 'bad.request');
    expectGenesysError(await query({ interval: day, timeZone: 'Mars/Olympus', metrics: ['nOffered'] }), 400, 'bad.request');
    expectGenesysError(await query({ interval: day, metrics: [] }), 400, 'bad.request');
    expectGenesysError(await query({ interval: day, metrics: ['tHandle'] }), 501, 'not.implemented');
    expectGenesysError(await query({ interval: day, granularity: 'P1M', metrics: ['nOffered'] }), 501, 'not.implemented');
  });

  it('pins: by queue name or id, replaced as a whole; unknown queue → 404, answered > offered → 400', async () => {
    const set = await pin([{ queueName: '대표번호', date: '2026-04-07', offered: 40, answered: 30 }]);
    expect(set.body.pins).toEqual([{ queueId: expect.any(String), queueName: '대표번호', date: '2026-04-07', offered: 40, answered: 30 }]);
    expectGenesysError(await pin([{ queueName: '없는큐', date: '2026-04-07', offered: 1, answered: 1 }]), 404, 'not.found');
    expectGenesysError(await pin([{ queueName: '대표번호', date: '2026-04-07', offered: 1, answered: 2 }]), 400, 'bad.request');
    expectGenesysError(await pin([{ queueName: '대표번호', date: '2026-02-30', offered: 1, answered: 1 }]), 400, 'bad.request');
    // The refused requests changed nothing.
    expect((await ctx.call('GET', '/__emulator/call-volume', { token: null })).body.pins).toHaveLength(1);
    ctx.emulator.reset();
    expect((await ctx.call('GET', '/__emulator/call-volume', { token: null })).body.pins).toEqual([]);
  });
});

describe('adapter: callVolume', () => {
  it("a 91-day quarter: one row per Seoul day and center, the centers' queues summed, in one query", async () => {
    const { from, to } = quarterBounds('2026-Q2');
    const rows = await ctx.cti.callVolume({ from, to, timeZone: SEOUL });
    expect(rows).toHaveLength(91 * CENTERS.length);
    expect(rows.slice(0, 2).map((r) => [r.date, r.center])).toEqual([
      ['2026-04-01', '상담1센터'],
      ['2026-04-01', '상담2센터'],
    ]);
    expect(rows.at(-1)).toMatchObject({ date: '2026-06-30', center: '상담2센터' });
    expect(new Set(rows.map((r) => `${r.date} ${r.center}`)).size).toBe(rows.length);
    for (const r of rows) expect(r.answered).toBeLessThanOrEqual(r.offered);

    expect(ctx.sentQueries).toEqual([
      {
        interval: '2026-04-01T00:00:00+09:00/2026-07-01T00:00:00+09:00',
        granularity: 'P1D',
        timeZone: SEOUL,
        groupBy: ['queueId'],
        metrics: ['nOffered', 'tAnswered'],
        filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] },
      },
    ]);
    // Queue → center through the queue listing, every page of it.
    expect(ctx.emulator.requests({ method: 'GET', path: '/api/v2/routing/queues' }).map((r) => r.query)).toEqual(['pageSize=3', 'pageSize=3&pageNumber=2']);

    // A center's row is the sum of its queues' rows as the aggregate API gives them.
    const raw = (await query({ interval: '2026-05-12T00:00:00+09:00/2026-05-13T00:00:00+09:00', groupBy: ['queueId'], metrics: ['nOffered'] })).body
      .results as AggregateResult[];
    const centerOf = new Map((await queues()).map((q) => [q.id, q.division.name]));
    for (const center of CENTERS) {
      const sum = raw.filter((r) => centerOf.get(r.group.queueId) === center).reduce((n, r) => n + r.data[0].metrics[0].stats.count, 0);
      expect(row(rows, '2026-05-12', center)?.offered).toBe(sum);
    }
  });

  it('weekends are well below weekdays', async () => {
    const rows = await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL });
    for (const center of CENTERS) {
      const mine = rows.filter((r) => r.center === center);
      const weekend = mean(mine.filter((r) => [0, 6].includes(weekday(r.date))).map((r) => r.offered));
      const weekdays = mean(mine.filter((r) => ![0, 6].includes(weekday(r.date))).map((r) => r.offered));
      expect(weekend).toBeLessThan(0.6 * weekdays);
    }
  });

  it('pinned days come back exactly: a planted spike, and a day without calls reads 0', async () => {
    const before = await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL });
    await pin([
      { queueName: '대표번호', date: '2026-05-13', offered: 4_000, answered: 2_100 },
      { queueName: '카드분실신고', date: '2026-05-13', offered: 1_234, answered: 1_000 },
      { queueName: 'VIP 상담', date: '2026-06-02', offered: 0, answered: 0 },
      { queueName: '해외결제문의', date: '2026-06-02', offered: 0, answered: 0 },
    ]);
    const rows = await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL });
    expect(row(rows, '2026-05-13', '상담1센터')).toEqual({ date: '2026-05-13', center: '상담1센터', offered: 5_234, answered: 3_100 });
    expect(row(rows, '2026-06-02', '상담2센터')).toEqual({ date: '2026-06-02', center: '상담2센터', offered: 0, answered: 0 });
    const changed = rows.filter((r, i) => r.offered !== before[i].offered || r.answered !== before[i].answered);
    expect(changed.map((r) => `${r.date} ${r.center}`)).toEqual(['2026-05-13 상담1센터', '2026-06-02 상담2센터']);
  });

  it('a range longer than one query allows is asked for in consecutive pieces', async () => {
    await pin([{ queueName: 'VIP 상담', date: '2026-06-15', offered: 9_999, answered: 9_000 }]);
    const rows = await ctx.cti.callVolume({ from: '2026-01-01', to: '2026-07-01', timeZone: SEOUL });
    expect(ctx.sentQueries.map((q) => q.interval)).toEqual([
      '2026-01-01T00:00:00+09:00/2026-04-04T00:00:00+09:00',
      '2026-04-04T00:00:00+09:00/2026-07-01T00:00:00+09:00',
    ]);
    expect(rows).toHaveLength(181 * CENTERS.length);
    expect(new Set(rows.map((r) => r.date)).size).toBe(181);
    expect(row(rows, '2026-06-15', '상담2센터')?.offered).toBeGreaterThan(9_999);
  });

  it('pieces stay within 93 × 24 h across a clock change, and join without gaps', () => {
    const zone = 'Europe/London';
    const all = pieces('2026-01-01', '2027-01-01', zone);
    expect(all[0].from).toBe('2026-01-01');
    expect(all.at(-1)?.to).toBe('2027-01-01');
    for (const [i, p] of all.entries()) {
      expect(localMidnight(p.to, zone) - localMidnight(p.from, zone)).toBeLessThanOrEqual(MAX_QUERY_DAYS * 86_400_000);
      if (i > 0) expect(p.from).toBe(all[i - 1].to);
    }
  });

  it('a range that is not whole local days, or an unknown time zone → VendorValidationError before any request', async () => {
    await expect(ctx.cti.callVolume({ from: '2026-04-01T00:00:00Z', to: '2026-07-01', timeZone: SEOUL })).rejects.toThrow(/not a midnight in Asia\/Seoul/);
    await expect(ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: 'Seoul' })).rejects.toBeInstanceOf(VendorValidationError);
    await expect(ctx.cti.callVolume({ from: '2026-07-01', to: '2026-04-01', timeZone: SEOUL })).rejects.toBeInstanceOf(VendorValidationError);
    expect(await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-04-01', timeZone: SEOUL })).toEqual([]);
    expect(ctx.sentQueries).toEqual([]);
  });
});

describe('adapter: failures', () => {
  it("the CTI's 400 for a bad interval → VendorValidationError carrying the Genesys error (permanent)", async () => {
    const http = createGenesysHttp({ baseUrl: ctx.emulator.url, ...ctx.emulator.credentials });
    const err = await failure(http.search(AGGREGATES, { interval: '2026-04-01/2026-07-01', granularity: 'P1D', metrics: ['nOffered'] }));
    expect(err).toBeInstanceOf(VendorValidationError);
    expect(err.status).toBe(400);
    expect(err.cause).toBeInstanceOf(GenesysApiError);
    expect(err.cause).toMatchObject({ status: 400, code: 'bad.request', message: expect.stringContaining('interval'), contextId: expect.any(String) });
    expect(toActivityFailure(err)).toMatchObject({ type: 'VendorValidation', nonRetryable: true });
  });

  it('an injected 503 → VendorTransientError (Temporal retries); the retry gets the whole answer', async () => {
    const clean = await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL });
    ctx.emulator.faults.set({ route: { method: 'POST', path: AGGREGATES }, failNext: { count: 1, status: 503 } });
    const err = await failure(ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL }));
    expect(err).toBeInstanceOf(VendorTransientError);
    expect(err.status).toBe(503);
    expect(err.cause).toMatchObject({ code: 'service.unavailable' });
    expect(toActivityFailure(err)).toMatchObject({ type: 'VendorTransient', nonRetryable: false });
    expect(await ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL })).toEqual(clean);
    expect(ctx.emulator.requests({ path: AGGREGATES }).map((r) => r.fault ?? r.status)).toEqual([200, 'fail', 200]);
  });

  it('429 with Retry-After → VendorRateLimitedError with the delay, on the query and on the queue listing', async () => {
    ctx.emulator.faults.set({ route: { path: AGGREGATES }, rateLimitNext: { count: 1, retryAfterSeconds: 7 } });
    const err = await failure(ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL }));
    expect(err).toBeInstanceOf(VendorRateLimitedError);
    expect((err as VendorRateLimitedError).retryAfterMs).toBe(7_000);
    const activityFailure = toActivityFailure(err) as ApplicationFailure;
    expect(activityFailure).toBeInstanceOf(ApplicationFailure);
    expect(activityFailure).toMatchObject({ type: 'VendorRateLimited', nonRetryable: false, nextRetryDelay: 7_000 });

    ctx.emulator.faults.set({ route: { method: 'GET', path: '/api/v2/routing/queues' }, rateLimitNext: { count: 1, retryAfterSeconds: 2 } });
    const listing = await failure(ctx.cti.callVolume({ from: '2026-04-01', to: '2026-07-01', timeZone: SEOUL }));
    expect(listing).toBeInstanceOf(VendorRateLimitedError);
    expect((listing as VendorRateLimitedError).retryAfterMs).toBe(2_000);
  });
});
