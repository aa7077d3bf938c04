import { testAuditSigner } from '../../runtime/embedded-worker';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { entryHash, GENESIS_HASH, verifyLinks, type AuditEntry, type ChainLink } from '../../domain/audit/chain';
import { incidentBody, SUBJECTS, useHarness } from '../api/harness';

/** The hash-chained audit log: what the API appends, what the database refuses, and verification finding an edit. */

function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry: AuditEntry = {
      seq,
      at: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
      actor: 'kim',
      actorRole: 'spm',
      action: 'POST /api/v1/incidents',
      subject: `/api/v1/incidents`,
      requestId: `r-${seq}`,
      remote: '127.0.0.1',
      details: { status: 201, n: seq },
    };
    const hash = entryHash(prev, entry);
    links.push({ ...entry, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}

describe('the chain (pure)', () => {
  test('an intact chain verifies, to its last hash', () => {
    const links = chain(5);
    expect(verifyLinks(links)).toEqual({ ok: true, checked: 5, lastHash: links[4]!.hash });
  });

  test('an edited entry breaks the chain at that entry', () => {
    const links = chain(5);
    links[2] = { ...links[2]!, actor: 'someone-else' };
    expect(verifyLinks(links)).toMatchObject({ ok: false, checked: 2, brokenAt: 3, reason: expect.stringContaining('changed after it was written') });
  });

  test('a removed entry breaks the chain at the next one', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(verifyLinks(links)).toMatchObject({ ok: false, checked: 1, brokenAt: 3, reason: expect.stringContaining('does not follow') });
  });

  test('key order in details does not matter; values do', () => {
    const [link] = chain(1);
    const reordered = { ...link!, details: { n: 1, status: 201 } };
    expect(verifyLinks([reordered]).ok).toBe(true);
    expect(verifyLinks([{ ...link!, details: { status: 200, n: 1 } }]).ok).toBe(false);
  });
});

describe('the audit log over the API and PostgreSQL', () => {
  const h = useHarness();

  async function entries(min: number) {
    for (let i = 0; i < 100; i++) {
      const res = await h.call('get', '/api/v1/audit/log', { token: h.tokens.auditor });
      if (res.body.items.length >= min) return res.body.items as Array<Record<string, unknown>>;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${min} audit entries`);
  }

  /** The chain as the database holds it, read without an auditor's read adding to it. */
  async function chainRows(min: number) {
    for (let i = 0; i < 100; i++) {
      const { rows } = await h.pool.query(
        `SELECT seq, actor, actor_role, action, subject, request_id, remote, details, prev_hash, hash FROM audit_log ORDER BY seq`,
      );
      if (rows.length >= min) return rows as Array<Record<string, unknown>>;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${min} audit entries`);
  }

  test('each change through the API is one entry: who, role, what, when, from where, request id; so is each refusal of who asked; other reads and bad bodies are not', async () => {
    const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody(), headers: { 'X-Request-Id': 'req-open-1' } });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-request-id')).toBe('req-open-1');
    await chainRows(1);
    const contact = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.admin,
      body: { name: '고객 담당자', email: 'customer@example.com', audience: 'customer', hours: 'always' },
    });
    expect(contact.status).toBe(201);
    await chainRows(2);
    // Not audited: a read that is not of evidence, a refused body.
    await h.call('get', '/api/v1/incidents', { token: h.tokens.spm });
    expect((await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: {} })).status).toBe(400);
    // Audited, without a body: a forbidden role, and a token nobody holds (issue 17).
    expect((await h.call('post', '/api/v1/contacts', { token: h.tokens.auditor, body: { name: 'x' } })).status).toBe(403);
    await chainRows(3);
    expect((await h.call('get', '/api/v1/incidents', { token: 'not-a-token' })).status).toBe(401);

    const rows = await chainRows(4);
    await new Promise((r) => setTimeout(r, 300));
    expect((await chainRows(4)).length).toBe(4);
    expect(rows[0]).toMatchObject({
      seq: '1',
      actor: SUBJECTS.spm,
      actor_role: 'spm',
      action: 'POST /api/v1/incidents',
      subject: '/api/v1/incidents',
      request_id: 'req-open-1',
      remote: expect.stringMatching(/127\.0\.0\.1/),
      details: { status: 201, bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      prev_hash: GENESIS_HASH,
    });
    expect(rows[1]).toMatchObject({ seq: '2', actor: SUBJECTS.admin, actor_role: 'admin', action: 'POST /api/v1/contacts', prev_hash: rows[0]!.hash });
    expect(rows[2]).toMatchObject({
      actor: SUBJECTS.auditor,
      actor_role: 'auditor',
      action: 'POST /api/v1/contacts',
      details: { status: 403, outcome: 'denied' },
    });
    expect(rows[3]).toMatchObject({
      actor: '(unauthenticated)',
      actor_role: '(none)',
      action: 'GET (no route)',
      subject: '/api/v1/incidents',
      details: { status: 401, outcome: 'denied' },
      remote: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(JSON.stringify(rows)).not.toContain(h.tokens.spm);
    expect(JSON.stringify(rows)).not.toContain('not-a-token');
    // Knocking again with bad tokens within the minute adds nothing: nobody grows the chain by knocking.
    for (let i = 0; i < 3; i++) expect((await h.call('get', '/api/v1/incidents', { token: `bad-${i}` })).status).toBe(401);
    // An admin's read of evidence, by any spelling of its path, is in the chain too.
    expect((await h.call('get', '/api/v1/AUDIT/log', { token: h.tokens.admin })).status).toBe(200);
    const readByAdmin = await chainRows(5);
    expect(readByAdmin[4]).toMatchObject({ actor: SUBJECTS.admin, action: 'GET /api/v1/audit/log', details: { status: 200, outcome: 'read' } });

    // An auditor's read of the evidence is in the chain too: who looked, at what, when.
    const verdict = await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor });
    expect(verdict.body).toEqual({
      ok: true,
      checked: 5,
      lastHash: readByAdmin[4]!.hash,
      // Every entry sealed with the audit key from the first one on; no anchor signed yet.
      keyId: testAuditSigner().keyId,
      sealedFrom: 1,
      anchors: { checked: 0, latest: null },
    });
    const afterRead = await chainRows(6);
    expect(afterRead[5]).toMatchObject({
      actor: SUBJECTS.auditor,
      actor_role: 'auditor',
      action: 'GET /api/v1/audit/verify',
      details: { status: 200, outcome: 'read' },
    });
    expect(afterRead).toHaveLength(6);
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE of the log: to the application for want of privilege, to its owner by trigger', async () => {
    for (const statement of [`UPDATE audit_log SET actor = 'x' WHERE seq = 1`, `DELETE FROM audit_log WHERE seq = 1`, `TRUNCATE audit_log`]) {
      await expect(h.pool.query(statement)).rejects.toThrow(/permission denied for table audit_log/);
    }
    const owner = new Client({ connectionString: h.ownerDatabaseUrl });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE audit_log SET actor = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(owner.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    } finally {
      await owner.end();
    }
  });

  test('a row altered behind the API’s back is found: the API and the CLI name that entry', async () => {
    const before = await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody({ title: '세 번째 변경' }) });
    expect(before.status).toBe(201);
    await entries(3);
    // A superuser with triggers switched off for the session: what a tamperer with database access could do.
    const tamper = new Client({ connectionString: h.ownerDatabaseUrl });
    await tamper.connect();
    try {
      await tamper.query(`SET session_replication_role = replica`);
      await tamper.query(`UPDATE audit_log SET actor = 'nobody' WHERE seq = 2`);
    } finally {
      await tamper.end();
    }

    const verdict = await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ ok: false, checked: 1, brokenAt: 2, reason: expect.stringContaining('changed after it was written') });

    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts/audit-verify.ts')], {
      env: { ...process.env, DATABASE_URL: h.databaseUrl },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('audit log BROKEN at entry 2');
  });
});
