import { ApiTokenView } from '../../db/tokens.repo';
import { fieldPaths, SUBJECTS, useHarness } from './harness';

/**
 * API tokens over HTTP (the console's tokens page): an admin issues one (the secret in that answer
 * only), lists them, revokes one; the issuer and revoker are the acting admin, each in the audit log.
 */

const h = useHarness();
const TOKEN = /^butler_[A-Za-z0-9_-]{43}$/;

async function auditRows(action: string, subject: string) {
  const { rows } = await h.pool.query(`SELECT actor, actor_role, request_id, details FROM audit_log WHERE action = $1 AND subject = $2 ORDER BY seq`, [
    action,
    subject,
  ]);
  return rows;
}

/** The audit trail's own entry is appended once the response is sent. */
async function trailEntry(requestId: string): Promise<Array<{ actor: string; action: string }>> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await h.pool.query(`SELECT actor, action FROM audit_log WHERE request_id = $1 AND action LIKE '% /api/v1/tokens%'`, [requestId]);
    if (rows.length > 0) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

describe('an admin issues a token over the API', () => {
  let issued: { id: string; token: string };

  it('answers 201 with the secret once (not cached), the holder and role, issued by the acting admin', async () => {
    const res = await h.call('post', '/api/v1/tokens', { token: h.tokens.admin, body: { name: 'noc-dashboard', role: 'engineer' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ name: 'noc-dashboard', role: 'engineer', createdBy: SUBJECTS.admin, revokedAt: null, revokedBy: null });
    expect(res.body.token).toMatch(TOKEN);
    expect(res.body.id).toMatch(/^tok_[0-9a-f]{10}$/);
    expect(ApiTokenView.extend({ token: ApiTokenView.shape.name }).strict().parse(res.body)).toEqual(res.body);
    issued = { id: res.body.id, token: res.body.token };

    const requestId = res.headers.get('x-request-id');
    expect(await auditRows('issue-token', issued.id)).toEqual([
      { actor: SUBJECTS.admin, actor_role: 'admin', request_id: requestId, details: { name: 'noc-dashboard', role: 'engineer' } },
    ]);
    expect(await trailEntry(requestId!)).toEqual([{ actor: SUBJECTS.admin, action: 'POST /api/v1/tokens' }]);
  });

  it('the token works at once, as its holder and role', async () => {
    const me = await h.call('get', '/api/v1/me', { token: issued.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'noc-dashboard', role: 'engineer' });
  });

  it('is listed without any secret or hash', async () => {
    const res = await h.call('get', '/api/v1/tokens', { token: h.tokens.admin });
    expect(res.status).toBe(200);
    const row = res.body.items.find((t: { id: string }) => t.id === issued.id);
    expect(ApiTokenView.strict().parse(row)).toEqual(row);
    expect(row).toMatchObject({ name: 'noc-dashboard', role: 'engineer', createdBy: SUBJECTS.admin, revokedAt: null });
    const { rows } = await h.pool.query('SELECT token_sha256 FROM api_tokens WHERE id = $1', [issued.id]);
    expect(res.text).not.toContain(issued.token);
    expect(res.text).not.toContain(issued.token.slice('butler_'.length));
    expect(res.text).not.toContain(rows[0].token_sha256);
    const audit = await h.pool.query<{ j: string }>(`SELECT string_agg(row_to_json(a)::text, '\n') AS j FROM audit_log a`);
    expect(audit.rows[0]!.j).not.toContain(issued.token.slice('butler_'.length));
  });

  it('revoking answers the token revoked by the acting admin; the API refuses it on the next request (401)', async () => {
    const res = await h.call('delete', `/api/v1/tokens/${issued.id}`, { token: h.tokens.admin });
    expect(res.status).toBe(200);
    expect(ApiTokenView.strict().parse(res.body)).toEqual(res.body);
    expect(res.body).toMatchObject({ id: issued.id, revokedBy: SUBJECTS.admin, revokedAt: expect.any(String) });
    const after = await h.call('get', '/api/v1/me', { token: issued.token });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the token is not valid' });
    expect(await auditRows('revoke-token', issued.id)).toEqual([
      { actor: SUBJECTS.admin, actor_role: 'admin', request_id: res.headers.get('x-request-id'), details: { name: 'noc-dashboard', role: 'engineer' } },
    ]);
  });

  it('revoking again changes nothing: the first revocation stands, no second audit entry', async () => {
    const first = (await h.call('get', '/api/v1/tokens', { token: h.tokens.admin })).body.items.find((t: { id: string }) => t.id === issued.id);
    const again = await h.call('delete', `/api/v1/tokens/${issued.id}`, { token: h.tokens.admin });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revokedAt: first.revokedAt, revokedBy: SUBJECTS.admin });
    expect(await auditRows('revoke-token', issued.id)).toHaveLength(1);
  });
});

describe('what is refused', () => {
  const count = async () => (await h.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n as number;

  it('only an admin may list, issue or revoke (403), and nothing is issued', async () => {
    const before = await count();
    for (const role of ['spm', 'engineer', 'auditor', 'automation'] as const) {
      const token = h.tokens[role];
      expect((await h.call('get', '/api/v1/tokens', { token })).status).toBe(403);
      const post = await h.call('post', '/api/v1/tokens', { token, body: { name: `by-${role}`, role: 'admin' } });
      expect(post.status).toBe(403);
      expect(post.body.error).toMatchObject({ code: 'FORBIDDEN', details: { allowed: ['admin'] } });
      expect((await h.call('delete', '/api/v1/tokens/tok_0000000000', { token })).status).toBe(403);
    }
    expect(await count()).toBe(before);
  });

  it('a bad holder or role, or an issuer named in the body, is a 400 naming each field; nothing is issued', async () => {
    const before = await count();
    const bad = await h.call('post', '/api/v1/tokens', { token: h.tokens.admin, body: { name: ' ', role: 'root', by: 'someone-else' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect([...new Set(fieldPaths(bad.body))]).toEqual(['by', 'name', 'role']);
    const twoLines = await h.call('post', '/api/v1/tokens', { token: h.tokens.admin, body: { name: 'a\nb', role: 'spm' } });
    expect(twoLines.status).toBe(400);
    expect(fieldPaths(twoLines.body)).toEqual(['name']);
    expect(await count()).toBe(before);
  });

  it('an unknown token id is 404, a malformed one 400', async () => {
    const unknown = await h.call('delete', '/api/v1/tokens/tok_0000000000', { token: h.tokens.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const malformed = await h.call('delete', '/api/v1/tokens/INC-000001', { token: h.tokens.admin });
    expect(malformed.status).toBe(400);
    expect(fieldPaths(malformed.body)).toEqual(['params.id']);
  });
});

test('the OpenAPI document carries the token schemas: the secret only in the issue answer', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const post = doc.paths['/api/v1/tokens'].post;
  expect(post.operationId).toBe('postTokens');
  expect(Object.keys(post.requestBody.content['application/json'].schema.properties).sort()).toEqual(['name', 'role']);
  expect(post.responses['201'].content['application/json'].schema.properties.token.type).toBe('string');
  const list = doc.paths['/api/v1/tokens'].get.responses['200'].content['application/json'].schema;
  expect(list.properties.items.items.properties).not.toHaveProperty('token');
  expect(doc.paths['/api/v1/tokens/{id}'].delete.operationId).toBe('deleteTokensById');
});
