import { testAuditSigner } from '../../runtime/embedded-worker';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from '../../api/app';
import { createPool } from '../../system/postgres';
import { loadConfig } from '../../runtime/config';
import { useHarness } from './harness';

/**
 * Issued API tokens end to end: the real `npm run tokens` CLI against the file's
 * database, then the API accepting, scoping and (after revoke) refusing them.
 */

const h = useHarness();
const CLI = path.join(__dirname, '../../scripts/tokens.ts');
const TOKEN = /^butler_[A-Za-z0-9_-]{43}$/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an admin would; asynchronously, so this process's API keeps serving. */
function tokens(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, DATABASE_URL: h.databaseUrl } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function issue(name: string, role: string): Promise<{ token: string; id: string }> {
  const res = await tokens('issue', '--name', name, '--role', role, '--by', 'admin-choi');
  expect(res).toMatchObject({ code: 0 });
  expect(res.stdout).toMatch(/^butler_\S+\n$/);
  const token = res.stdout.trim();
  expect(token).toMatch(TOKEN);
  const id = /(tok_[0-9a-f]{10})/.exec(res.stderr)?.[1];
  expect(res.stderr).toContain('shown once');
  expect(res.stderr).toContain(role);
  return { token, id: id! };
}

/** Every row of a table as JSON text: a secret hidden in any column shows up here. */
async function allRowsText(table: 'api_tokens' | 'audit_log'): Promise<string> {
  const { rows } = await h.pool.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t`);
  return rows.map((r) => r.j).join('\n');
}

const holiday = { name: '토큰 시험', kind: 'company' };

describe('an issued auditor token', () => {
  let auditor: { token: string; id: string };
  beforeAll(async () => {
    auditor = await issue('audit-firm-kpmg', 'auditor');
  });

  it('reads what an auditor may read and is refused what only an admin may do', async () => {
    const log = await h.call('get', '/api/v1/audit/log', { token: auditor.token });
    expect(log.status).toBe(200);
    const write = await h.call('put', '/api/v1/calendar/holidays/2099-12-30', { token: auditor.token, body: holiday });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'role auditor may not do this' });
  });

  it('is stored only as its sha256: not in any column of api_tokens or audit_log', async () => {
    const secret = auditor.token.slice('butler_'.length);
    const stored = await allRowsText('api_tokens');
    expect(stored).toContain(auditor.id);
    const audit = await allRowsText('audit_log');
    for (const text of [stored, audit]) {
      expect(text).not.toContain(auditor.token);
      expect(text).not.toContain(secret);
    }
    const { rows } = await h.pool.query('SELECT token_sha256 FROM api_tokens WHERE id = $1', [auditor.id]);
    expect(rows[0].token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(audit).not.toContain(rows[0].token_sha256);
  });

  it('was issued with an audit entry naming the admin, the token id, holder and role', async () => {
    const { rows } = await h.pool.query(`SELECT actor, actor_role, action, subject, details FROM audit_log WHERE action = 'issue-token' AND subject = $1`, [
      auditor.id,
    ]);
    expect(rows).toEqual([
      { actor: 'admin-choi', actor_role: 'admin', action: 'issue-token', subject: auditor.id, details: { name: 'audit-firm-kpmg', role: 'auditor' } },
    ]);
  });

  it('is listed by id, holder and role, without any secret', async () => {
    const res = await tokens('list');
    expect(res.code).toBe(0);
    const line = res.stdout.split('\n').find((l) => l.startsWith(auditor.id));
    expect(line).toMatch(new RegExp(`^${auditor.id}\\s+audit-firm-kpmg\\s+auditor\\s+\\S+ by admin-choi\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+-$`));
    expect(res.stdout).not.toContain('butler_');
    const { rows } = await h.pool.query('SELECT token_sha256 FROM api_tokens');
    for (const r of rows) expect(res.stdout).not.toContain(r.token_sha256);
  });

  it('is refused (401) on the very next request once revoked; revoking again changes nothing', async () => {
    expect((await h.call('get', '/api/v1/incidents', { token: auditor.token })).status).toBe(200);
    const res = await tokens('revoke', auditor.id, '--by', 'admin-choi');
    expect(res).toMatchObject({ code: 0 });
    expect(res.stderr).toContain(`revoked ${auditor.id}`);
    const after = await h.call('get', '/api/v1/incidents', { token: auditor.token });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'the token is not valid' });

    const again = await tokens('revoke', auditor.id, '--by', 'admin-kang');
    expect(again).toMatchObject({ code: 0 });
    expect(again.stderr).toContain('already revoked');
    const { rows } = await h.pool.query(`SELECT actor, details FROM audit_log WHERE action = 'revoke-token' AND subject = $1`, [auditor.id]);
    expect(rows).toEqual([{ actor: 'admin-choi', details: { name: 'audit-firm-kpmg', role: 'auditor' } }]);
    const listed = await tokens('list');
    expect(listed.stdout).toMatch(new RegExp(`^${auditor.id} .* by admin-choi$`, 'm'));
  });

  it('stays revoked when the same holder is issued a new token, which is a different one', async () => {
    const renewed = await issue('audit-firm-kpmg', 'auditor');
    expect(renewed.token).not.toBe(auditor.token);
    expect(renewed.id).not.toBe(auditor.id);
    expect((await h.call('get', '/api/v1/audit/log', { token: auditor.token })).status).toBe(401);
    expect((await h.call('get', '/api/v1/audit/log', { token: renewed.token })).status).toBe(200);
    // Not even the table's owner can bring a revoked token back.
    await expect(h.pool.query('UPDATE api_tokens SET revoked_at = NULL, revoked_by = NULL WHERE id = $1', [auditor.id])).rejects.toThrow(
      /revoked token not at all/,
    );
  });
});

describe('an issued admin token', () => {
  it('acts as its holder: the audit trail names the holder with the role from the row', async () => {
    const { token } = await issue('ops-lead-han', 'admin');
    const res = await h.call('put', '/api/v1/calendar/holidays/2099-12-30', { token, body: holiday, headers: { 'x-request-id': 'tokens-admin-put' } });
    expect(res.status).toBe(201);
    // The trail is appended once the response is sent.
    let rows: unknown[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      ({ rows } = await h.pool.query(`SELECT actor, actor_role FROM audit_log WHERE request_id = 'tokens-admin-put'`));
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([{ actor: 'ops-lead-han', actor_role: 'admin' }]);
    const verify = await h.call('get', '/api/v1/audit/verify', { token });
    expect(verify.body).toMatchObject({ ok: true });
  });
});

describe('the CLI refuses bad input', () => {
  it('a role that does not exist: exit 2, one line naming --role, nothing issued', async () => {
    const before = (await h.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n;
    const res = await tokens('issue', '--name', 'someone', '--role', 'superuser', '--by', 'admin-choi');
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /^tokens: --role: Invalid enum value\. Expected 'admin' \| 'spm' \| 'engineer' \| 'auditor' \| 'automation', received 'superuser'\n$/,
    );
    expect((await h.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n).toBe(before);
  });

  it('a missing --by: exit 2 naming it', async () => {
    const res = await tokens('issue', '--name', 'someone', '--role', 'spm');
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: 'tokens: --by: Required\n' });
  });

  it('revoking an unknown id: exit 1, naming the id', async () => {
    const res = await tokens('revoke', 'tok_0000000000', '--by', 'admin-choi');
    expect(res).toMatchObject({ code: 1, stdout: '', stderr: 'tokens: api token tok_0000000000 not found\n' });
  });
});

describe('a token store that does not answer', () => {
  it('is 503 UNAVAILABLE (the token may be valid), logged with its cause, never a stack trace', async () => {
    const { token } = await issue('ci-pipeline', 'automation');
    const logged: unknown[] = [];
    const deadPool = createPool('postgres://butler:x@127.0.0.1:1/none');
    const app = createApp({
      pool: deadPool,
      auditSigner: testAuditSigner(),
      client: h.client,
      taskQueue: h.taskQueue,
      tokens: [],
      log: { error: (e) => logged.push(e) },
      timing: loadConfig({}).timing,
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/incidents`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(JSON.parse(text)).toEqual({ error: { code: 'UNAVAILABLE', message: 'the token store did not answer; retry', details: null } });
      expect(text).not.toMatch(/stack|ECONNREFUSED/i);
      expect(logged).toHaveLength(1);
      expect((logged[0] as { err: Error }).err.cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      server.close();
      await deadPool.end();
    }
  });
});
