import { fieldPaths, useHarness } from './harness';

const h = useHarness();

async function roster() {
  const res = await h.call('get', '/api/v1/contacts', { token: h.tokens.auditor });
  expect(res.status).toBe(200);
  return res.body.items as Array<{ id: number; name: string }>;
}

describe('the contact roster', () => {
  let id: number;

  it('an spm adds a contact → 201 with its id and defaults', async () => {
    const res = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '박 당직', email: 'park@example.com', audience: 'oncall', hours: 'after-hours', center: '상담 1센터' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: '박 당직',
      email: 'park@example.com',
      webhookUrl: null,
      audience: 'oncall',
      hours: 'after-hours',
      center: '상담 1센터',
      active: true,
      createdAt: expect.any(String),
    });
    id = res.body.id;
  });

  it('GET lists it', async () => {
    expect(await roster()).toEqual([expect.objectContaining({ id, name: '박 당직' })]);
  });

  it('invalid contacts → 400 naming each field, and nothing is added', async () => {
    const bad = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '', email: 'not-an-email', webhookUrl: 'ftp://hooks.example', audience: 'everyone', hours: 'weekends', phone: '010' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(fieldPaths(bad.body)).toEqual(['audience', 'email', 'hours', 'name', 'phone', 'webhookUrl']);

    const unreachable = await h.call('post', '/api/v1/contacts', { token: h.tokens.spm, body: { name: '연락처 없음', audience: 'spm', hours: 'always' } });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.details).toEqual([{ path: 'email', message: 'a contact needs an email or a webhookUrl' }]);

    // Where a webhook may point is checked when it is saved (system/outbound-url.ts): here only this machine is allowed.
    for (const [webhookUrl, message] of [
      ['http://169.254.169.254/latest/meta-data', 'host 169.254.169.254 is not in NOTIFY_ALLOWED_HOSTS'],
      ['https://hooks.example.com/butler', 'host hooks.example.com is not in NOTIFY_ALLOWED_HOSTS'],
    ]) {
      const refused = await h.call('post', '/api/v1/contacts', { token: h.tokens.spm, body: { name: '웹훅', webhookUrl, audience: 'spm', hours: 'always' } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ path: 'webhookUrl', message }]);
    }

    const nul = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.spm,
      body: { name: '박\u0000당직', email: 'p@example.com', audience: 'spm', hours: 'always' },
    });
    expect(nul.status).toBe(400);
    expect(fieldPaths(nul.body)).toEqual(['name']);

    const empty = await h.call('post', '/api/v1/contacts', { token: h.tokens.admin, body: {} });
    expect(fieldPaths(empty.body)).toEqual(['audience', 'hours', 'name']);

    expect((await roster()).map((c) => c.id)).toEqual([id]);
  });

  it('an engineer may neither add nor remove a contact', async () => {
    const add = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.engineer,
      body: { name: 'x', email: 'x@example.com', audience: 'spm', hours: 'always' },
    });
    expect(add.status).toBe(403);
    const del = await h.call('delete', `/api/v1/contacts/${id}`, { token: h.tokens.engineer });
    expect(del.status).toBe(403);
    expect((await roster()).map((c) => c.id)).toEqual([id]);
  });

  it('a bad id → 400 naming params.id', async () => {
    for (const bad of ['abc', '0', '-3', '1.5']) {
      const res = await h.call('delete', `/api/v1/contacts/${bad}`, { token: h.tokens.spm });
      expect({ bad, status: res.status, paths: fieldPaths(res.body) }).toEqual({ bad, status: 400, paths: ['params.id'] });
    }
  });

  it('an id past the integer range → 400 naming params.id, not a database error (500)', async () => {
    const res = await h.call('delete', '/api/v1/contacts/99999999999', { token: h.tokens.spm });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(fieldPaths(res.body)).toEqual(['params.id']);
  });

  it('DELETE → 204 with no body; the roster is empty; DELETE again → 404', async () => {
    const res = await h.call('delete', `/api/v1/contacts/${id}`, { token: h.tokens.spm });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await roster()).toEqual([]);
    const again = await h.call('delete', `/api/v1/contacts/${id}`, { token: h.tokens.spm });
    expect(again.status).toBe(404);
    expect(again.body.error).toEqual({ code: 'NOT_FOUND', message: `contact ${id} not found`, details: { resource: 'contact', id: String(id) } });
  });
});
