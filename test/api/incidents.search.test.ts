import { incidentBody, useHarness } from './harness';

const h = useHarness();
/** Ids by a short name, in the order opened. */
const ids: Record<'pbx1' | 'rec' | 'pri' | 'ivr', string> = { pbx1: '', rec: '', pri: '', ivr: '' };

beforeAll(async () => {
  const open = async (body: Record<string, unknown>) => {
    const res = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody(body) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ids.pbx1 = await open({ title: '상담 1센터 교환기 장애', description: '1센터 상담원 전화 착신 불가', severity: 'P1', system: 'PBX' });
  ids.rec = await open({ title: '녹취 서버 디스크 부족', description: '녹취 저장 공간 사용률 95% 초과', severity: 'P3', system: 'REC' });
  ids.pri = await open({ title: '교환기 PRI 트렁크 장애', description: 'PRI 트렁크 다운으로 외부 착신 불가', severity: 'P2', system: 'PBX' });
  ids.ivr = await open({ title: 'IVR 안내 멘트 장애', description: '야간 안내 멘트 재생 안 됨', severity: 'P4', system: 'IVR' });
  expect((await h.call('post', `/api/v1/incidents/${ids.pri}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park' } })).status).toBe(200);
  expect((await h.call('post', `/api/v1/incidents/${ids.ivr}/cancel`, { token: h.tokens.spm, body: { reason: '오탐' } })).status).toBe(200);
});

async function list(query: string) {
  const res = await h.call('get', `/api/v1/incidents${query}`, { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return { ids: (res.body.items as Array<{ id: string }>).map((i) => i.id), total: res.body.total as number, items: res.body.items };
}

describe('GET /api/v1/incidents filters', () => {
  it('without filters lists all four, newest first, without timelines', async () => {
    const all = await list('');
    expect(all.ids).toEqual([ids.ivr, ids.pri, ids.rec, ids.pbx1]);
    expect(all.total).toBe(4);
    expect(all.items[0]).not.toHaveProperty('timeline');
  });

  it.each([
    ['?status=OPEN', ['rec', 'pbx1']],
    ['?status=ASSIGNED', ['pri']],
    ['?status=CANCELLED', ['ivr']],
    ['?status=CLOSED', []],
    ['?severity=P1', ['pbx1']],
    ['?severity=P3', ['rec']],
    ['?system=PBX', ['pri', 'pbx1']],
    ['?system=REC', ['rec']],
    ['?system=PBX&status=OPEN', ['pbx1']],
    ['?system=PBX&severity=P2&status=ASSIGNED', ['pri']],
  ] as const)('%s', async (query, expected) => {
    const got = await list(query);
    expect(got.ids).toEqual(expected.map((k) => ids[k]));
    expect(got.total).toBe(expected.length);
  });

  it('pages with limit and offset; total counts every match', async () => {
    const page1 = await list('?limit=2');
    const page2 = await list('?limit=2&offset=2');
    expect(page1).toMatchObject({ ids: [ids.ivr, ids.pri], total: 4 });
    expect(page2).toMatchObject({ ids: [ids.rec, ids.pbx1], total: 4 });
  });
});

describe('q: search that works for Korean', () => {
  it('q=교환기 finds the two 교환기 incidents and not the 녹취 one', async () => {
    const got = await list(`?q=${encodeURIComponent('교환기')}`);
    expect(got.ids.sort()).toEqual([ids.pbx1, ids.pri].sort());
    expect(got.ids).not.toContain(ids.rec);
    expect(got.total).toBe(2);
  });

  it.each([
    ['녹취', ['rec']],
    ['장애', ['ivr', 'pri', 'pbx1']],
    ['pri', ['pri']],
    ['PRI 트렁크', ['pri']],
    ['착신 불가', ['pri', 'pbx1']],
    ['교환기 녹취', []],
    ['디스크', ['rec']],
    ['화재', []],
  ] as const)('q=%s', async (q, expected) => {
    const got = await list(`?q=${encodeURIComponent(q)}`);
    expect(got.ids).toEqual(expected.map((k) => ids[k]));
  });

  it('q combines with the filters', async () => {
    expect((await list(`?q=${encodeURIComponent('교환기')}&status=ASSIGNED`)).ids).toEqual([ids.pri]);
    expect((await list(`?q=${encodeURIComponent('장애')}&system=IVR`)).ids).toEqual([ids.ivr]);
  });

  it('a q with no searchable word (punctuation, a lone Latin letter) matches nothing rather than everything', async () => {
    expect(await list(`?q=${encodeURIComponent('?!')}`)).toMatchObject({ ids: [], total: 0 });
    expect(await list('?q=x')).toMatchObject({ ids: [], total: 0 });
  });

  it('an empty q → 400 naming query.q', async () => {
    const res = await h.call('get', '/api/v1/incidents?q=%20', { token: h.tokens.auditor });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.q']);
  });
});

describe('GET /api/v1/incidents/:id/similar', () => {
  it('for the 1센터 교환기 incident ranks the 교환기 PRI one first, never itself, never the unrelated 녹취 one', async () => {
    const res = await h.call('get', `/api/v1/incidents/${ids.pbx1}/similar`, { token: h.tokens.engineer });
    expect(res.status).toBe(200);
    const items = res.body.items as Array<{ id: string; similarity: number }>;
    expect(items.map((i) => i.id)).toEqual([ids.pri, ids.ivr]);
    // Shared terms 교환 환기 장애 착신 불가: 5 of the 17 distinct terms of the two incidents.
    expect(items[0].similarity).toBe(Math.round((5 / 17) * 1000) / 1000);
    expect(items[0].similarity).toBeGreaterThan(items[1].similarity);
    expect(items[1].similarity).toBeGreaterThan(0);
  });

  it('limit caps the list', async () => {
    const res = await h.call('get', `/api/v1/incidents/${ids.pbx1}/similar?limit=1`, { token: h.tokens.engineer });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.pri]);
  });

  it('an incident sharing nothing has no similar ones', async () => {
    const res = await h.call('get', `/api/v1/incidents/${ids.rec}/similar`, { token: h.tokens.engineer });
    expect(res).toMatchObject({ status: 200, body: { items: [] } });
  });
});

describe('the queue: open ones by time to restore-breach, views by assignee and breach', () => {
  const dueOf = (item: { sla: { restoreDueAt: string | null } }) => Date.parse(item.sla.restoreDueAt ?? '');

  it('open=true&sort=restoreDue lists the open incidents soonest restore-breach first, each with its due instants', async () => {
    const queue = await list('?open=true&sort=restoreDue');
    expect(new Set(queue.ids)).toEqual(new Set([ids.pbx1, ids.pri, ids.rec]));
    const dues = queue.items.map(dueOf);
    expect(dues.every((d: number) => Number.isFinite(d))).toBe(true);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    // The P1 has the shortest restore target of the three.
    expect(queue.ids[0]).toBe(ids.pbx1);
    expect(queue.items[0].sla).toMatchObject({ paused: false, breached: false, responseDueAt: expect.any(String) });
  });

  it.each([
    ['?open=true&assignee=-', ['rec', 'pbx1']],
    ['?assignee=eng-park', ['pri']],
    ['?breached=true', []],
  ] as const)('%s', async (query, names) => {
    expect((await list(query)).ids).toEqual(names.map((n) => ids[n]));
  });

  it('updatedBefore finds the open incidents nobody has touched since then (the queue\'s "not updated in 24 h")', async () => {
    // The record of one is made a day and a half old; the others were written moments ago.
    await h.pool.query(`UPDATE incidents SET updated_at = now() - interval '36 hours' WHERE id = $1`, [ids.rec]);
    const dayAgo = new Date(Date.now() - 24 * 3600_000).toISOString();
    expect((await list(`?open=true&updatedBefore=${dayAgo}`)).ids).toEqual([ids.rec]);
    expect((await list(`?open=true&updatedBefore=${new Date(Date.now() + 60_000).toISOString()}`)).ids).toHaveLength(3);
    const bad = await h.call('get', '/api/v1/incidents?updatedBefore=yesterday', { token: h.tokens.engineer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.updatedBefore']);
    // Instants zod's datetime() passes but PostgreSQL refuses are a 400 too, not a 500.
    for (const odd of ['0000-01-01T00:00:00Z', '2026-01-01T00:00:00%2B99:00']) {
      const refused = await h.call('get', `/api/v1/incidents?updatedBefore=${odd}`, { token: h.tokens.engineer });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.updatedBefore']);
    }
  });

  it('restoreDueAfter/Before count the open incidents whose restore falls due in a window (the queue\'s "at risk")', async () => {
    const queue = (await list('?open=true&sort=restoreDue')).items as Array<{ id: string; sla: { restoreDueAt: string } }>;
    const first = Date.parse(queue[0]!.sla.restoreDueAt);
    const window = (from: number, to: number) => `?open=true&restoreDueAfter=${new Date(from).toISOString()}&restoreDueBefore=${new Date(to).toISOString()}`;
    const dueIn = (from: number, to: number) =>
      queue.filter((i) => Date.parse(i.sla.restoreDueAt) >= from && Date.parse(i.sla.restoreDueAt) < to).map((i) => i.id);
    // The window around the soonest due instant holds it (and any due the same second), not the later ones; one after every due instant holds none.
    const around = dueIn(first - 1000, first + 1000);
    expect(around).toContain(queue[0]!.id);
    expect(new Set((await list(window(first - 1000, first + 1000))).ids)).toEqual(new Set(around));
    const last = Math.max(...queue.map((i) => Date.parse(i.sla.restoreDueAt)));
    expect(new Set((await list(window(last, last + 1))).ids)).toEqual(new Set(dueIn(last, last + 1)));
    expect((await list(window(last + 1000, last + 60_000))).ids).toEqual([]);
  });

  it('an incident pending on the customer is paused and goes to the end of the queue, its due instant unknown', async () => {
    expect((await h.call('post', `/api/v1/incidents/${ids.pri}/start`, { token: h.tokens.engineer, body: {} })).status).toBe(200);
    expect((await h.call('post', `/api/v1/incidents/${ids.pri}/pend`, { token: h.tokens.engineer, body: { reason: 'customer' } })).status).toBe(200);
    const queue = await list('?open=true&sort=restoreDue');
    expect(queue.ids.at(-1)).toBe(ids.pri);
    expect(queue.items.at(-1).sla).toMatchObject({ paused: true, restoreDueAt: null });
  });
});
