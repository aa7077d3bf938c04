import { incidentBody, useHarness } from './harness';

/** GET /api/v1/events: read-model writes announced by PostgreSQL (LISTEN/NOTIFY), streamed to a browser as server-sent events. */

const h = useHarness();

interface Received {
  event: string;
  data: { kind: string; id: string; status: string; version: number };
}

/** Opens the stream with a token and collects its messages until `close`. */
async function subscribe(token: string) {
  const controller = new AbortController();
  const res = await fetch(`${h.baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const received: Received[] = [];
  let raw = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      raw += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = raw.indexOf('\n\n')) >= 0) {
        const message = raw.slice(0, end);
        raw = raw.slice(end + 2);
        const event = /^event: (.+)$/m.exec(message)?.[1];
        const data = /^data: (.+)$/m.exec(message)?.[1];
        if (event && data) received.push({ event, data: JSON.parse(data) as Received['data'] });
      }
    }
  })();
  return {
    res,
    received,
    /** Settles when the server ends the stream. */
    ended: reading,
    async until(match: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such event; received ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

test('an incident opened and assigned elsewhere reaches a subscribed auditor as two events, in order', async () => {
  const stream = await subscribe(h.tokens.auditor);
  try {
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody() });
    const id = opened.body.id as string;
    const first = await stream.until((r) => r.data.id === id);
    expect(first).toEqual({ event: 'incident', data: { kind: 'incident', id, status: 'OPEN', version: expect.any(Number) } });
    expect((await h.call('post', `/api/v1/incidents/${id}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park' } })).status).toBe(200);
    const assigned = await stream.until((r) => r.data.id === id && r.data.status === 'ASSIGNED');
    expect(assigned.data.version).toBeGreaterThan(first.data.version);
  } finally {
    await stream.close();
  }
});

test('two subscribers share one listening connection and each get every event; once both leave, the API holds none', async () => {
  const listening = async () =>
    (await h.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN butler_read_model%'`))
      .rows[0].n;
  const [a, b] = [await subscribe(h.tokens.engineer), await subscribe(h.tokens.admin)];
  expect(await listening()).toBe(1);
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ title: '두 구독자' }) });
  await Promise.all([a.until((r) => r.data.id === opened.body.id), b.until((r) => r.data.id === opened.body.id)]);
  await Promise.all([a.close(), b.close()]);
  const deadline = Date.now() + 10_000;
  while ((await listening()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await listening()).toBe(0);
});

test('without a token the stream is refused (401), like every route', async () => {
  expect((await h.call('get', '/api/v1/events')).status).toBe(401);
});

test('a lost database listener ends every stream (the browser reconnects and reads anew); a new subscriber listens again', async () => {
  const stream = await subscribe(h.tokens.spm);
  // The listener's backend killed, as a database restart or a dropped connection would.
  await h.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN butler_read_model%'`);
  await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end')), 10_000))]);
  await stream.close();
  // The API logged the loss (an operator's signal), as its error handler logs a failure.
  expect(h.logged.splice(0)).toEqual([{ err: expect.objectContaining({ message: expect.stringContaining('terminating connection') }) }]);
  const again = await subscribe(h.tokens.spm);
  try {
    const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.automation, body: incidentBody({ title: '재연결' }) });
    await again.until((r) => r.data.id === opened.body.id);
  } finally {
    await again.close();
  }
});
