import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { listAudit } from '../../db/audit.repo';
import { entryHash, type ChainLink } from '../../domain/audit/chain';
import { AuditAnchor, type AuditSigner } from '../../domain/audit/seal';
import { testAuditSigner } from '../../runtime/embedded-worker';
import { mailWithKey, useSmtpReceiver } from '../activities/notifications/local-receivers';
import { incidentBody, useHarness } from '../api/harness';

/**
 * The anchored chain over the API, PostgreSQL and the auditors' mail: each entry sealed with the
 * audit key (not in the database), the head signed on demand and mailed out; then an insider with
 * the database owner's access rewrites the chain, and the API and the offline CLI find the entry.
 */

const AUDITOR_MAIL = 'audit@auditfirm.example';
const smtp = useSmtpReceiver();
const h = useHarness({ mail: smtp.mail });
const dir = mkdtempSync(path.join(tmpdir(), 'butler-anchor-'));

let anchor: AuditAnchor;
let mailed: string;

function verifyCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts/audit-verify.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: h.databaseUrl },
    encoding: 'utf8',
  });
}

/** As the database's owner with triggers off for the session: what an insider with database access can do. */
async function asInsider(work: (db: Client) => Promise<void>): Promise<void> {
  const db = new Client({ connectionString: h.ownerDatabaseUrl });
  await db.connect();
  try {
    await db.query('SET session_replication_role = replica');
    await work(db);
  } finally {
    await db.end();
  }
}

/** Entry `seq` given another actor, and every hash from it on recomputed; re-sealed only with `key` (an insider who took it). */
async function rewriteFrom(seq: number, key?: AuditSigner): Promise<void> {
  const { items } = await listAudit(h.pool, { limit: 1000, offset: 0 });
  const at = items.findIndex((l) => l.seq === seq);
  let prev = items[at]!.prevHash;
  await asInsider(async (db) => {
    for (const link of items.slice(at)) {
      const { prevHash: _p, hash: _h, seal, ...entry } = link as ChainLink;
      const changed = link.seq === seq ? { ...entry, actor: 'nobody' } : entry;
      const hash = entryHash(prev, changed);
      await db.query('UPDATE audit_log SET actor = $2, prev_hash = $3, hash = $4, seal = $5 WHERE seq = $1', [
        link.seq,
        changed.actor,
        prev,
        hash,
        key ? key.seal(hash) : seal,
      ]);
      prev = hash;
    }
  });
}

describe('the anchored audit chain', () => {
  beforeAll(async () => {
    const contact = await h.call('post', '/api/v1/contacts', {
      token: h.tokens.admin,
      body: { name: '외부 감사인', email: AUDITOR_MAIL, audience: 'auditor', hours: 'always' },
    });
    expect(contact.status).toBe(201);
    for (const title of ['녹취 서버 응답 지연', 'IVR 안내 멘트 오류']) {
      expect((await h.call('post', '/api/v1/incidents', { token: h.tokens.engineer, body: incidentBody({ title }) })).status).toBe(201);
    }
  });

  test('every entry the API appends carries the audit key’s seal of its hash', async () => {
    const { items } = await listAudit(h.pool, { limit: 1000, offset: 0 });
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((l) => typeof l.seal === 'string' && l.seal.length > 0)).toBe(true);
  });

  test('an auditor signs the head on demand: the anchor is stored, served as a file and mailed to the auditors’ list', async () => {
    expect((await h.call('post', '/api/v1/audit/anchors', { token: h.tokens.engineer, body: {} })).status).toBe(403);
    const bad = await h.call('post', '/api/v1/audit/anchors', { token: h.tokens.auditor, body: { reason: ' ', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('reason');

    const head = (await listAudit(h.pool, { order: 'desc', limit: 1, offset: 0 })).items[0]!;
    const res = await h.call('post', '/api/v1/audit/anchors', { token: h.tokens.auditor, body: { reason: '분기 감사' } });
    expect(res.status).toBe(201);
    anchor = AuditAnchor.parse(res.body);
    // The head as it stood (the auditor's request is entered once it is answered, after the anchor).
    expect(anchor).toMatchObject({ no: 1, seq: head.seq, hash: head.hash, sealedFrom: 1, keyId: testAuditSigner().keyId });

    const listed = await h.call('get', '/api/v1/audit/anchors', { token: h.tokens.auditor });
    expect(listed.body.items).toEqual([{ anchor, reason: '분기 감사', requestedBy: 'audit-lee' }]);
    const file = await h.call('get', '/api/v1/audit/anchors/1', { token: h.tokens.auditor });
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="butler-audit-anchor-1.json"');
    expect(file.body).toEqual(anchor);
    expect((await h.call('get', '/api/v1/audit/anchors/7', { token: h.tokens.auditor })).status).toBe(404);
    expect((await h.call('get', '/api/v1/audit/anchors/x', { token: h.tokens.auditor })).status).toBe(400);

    const mail = await mailWithKey(smtp.mails, 'audit-anchor:1');
    expect(mail.envelopeTo).toEqual([AUDITOR_MAIL]);
    expect(mail.parsed.subject).toBe(`[Butler] 감사 로그 앵커 #1 (항목 ${anchor.seq}까지) · Audit chain anchor #1`);
    mailed = path.join(dir, 'anchor-1.eml.txt');
    writeFileSync(mailed, mail.parsed.text ?? '');

    const verdict = await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor });
    expect(verdict.body).toMatchObject({ ok: true, sealedFrom: 1, anchors: { checked: 1, latest: { no: 1, seq: anchor.seq, hash: anchor.hash } } });
    // Offline, from the mail as it arrived.
    const cli = verifyCli('--anchor', mailed);
    expect(cli.stdout).toContain('audit log intact');
    expect(cli.stdout).toContain('1 of yours');
    expect(cli.status).toBe(0);
  });

  test('an anchor file that is not one is refused by name (exit 2)', () => {
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, '{"format":"something else"}');
    const cli = verifyCli('--anchor', junk);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain(`${junk}: not a Butler audit anchor`);
  });

  test('an insider without the key rewrites entry 2 and re-hashes the chain after it: the API and the CLI name entry 2', async () => {
    await rewriteFrom(2);
    const verdict = await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor });
    expect(verdict.body).toMatchObject({ ok: false, brokenAt: 2, cause: 'forged', checked: 1 });
    const cli = verifyCli('--anchor', mailed);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('audit log BROKEN at entry 2 (forged');
  });

  test('one who also took the key re-seals everything and deletes the stored anchors: the anchor the auditors were mailed still differs', async () => {
    await rewriteFrom(2, testAuditSigner());
    await asInsider((db) => db.query('DELETE FROM audit_anchors').then(() => undefined));
    // What the database alone holds now looks whole…
    const verdict = await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor });
    expect(verdict.body).toMatchObject({ ok: true, anchors: { checked: 0, latest: null } });
    // …but not against the copy outside it.
    const cli = verifyCli('--anchor', mailed);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`audit log BROKEN at entry ${anchor.seq} (anchor-differs`);
    expect(cli.stdout).toContain(`between 1 and ${anchor.seq}`);
  });

  test('the end of the chain cut off: the mailed anchor finds it', async () => {
    await asInsider((db) => db.query('DELETE FROM audit_log WHERE seq >= $1', [anchor.seq]).then(() => undefined));
    const cli = verifyCli('--anchor', mailed);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/BROKEN at entry \d+ \(truncated/);
  });
});
