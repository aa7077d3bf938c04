import { Client as PgClient } from 'pg';
import { lineWorkflowId } from '../../workflows/line/messages';
import { useHarness } from './harness';
import { untilLine } from './polling';

// The SIP password is made inside the installing activity, kept by Kamailio, and handed to the SPM once.
const h = useHarness({ vendors: true });

const CONTRACT = { contractNo: 'KT-2026-13', carrier: 'KT', monthlyFee: 22_000, termMonths: 24, signedAt: '2026-02-01' };
let dnSerial = 0;
const dn = () => `43${String(++dnSerial).padStart(3, '0')}`;

async function requestLine(number: string): Promise<string> {
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: {
      center: '상담 1센터',
      dn: number,
      displayName: '1센터 상담원',
      lineType: 'extension',
      agent: { loginId: `sip.${number}@center1.example`, name: '비밀상담', team: '상담1팀', skills: [] },
    },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** The password as Kamailio's subscriber table holds it (what auth_db checks a REGISTER against). */
async function kamailioPassword(number: string): Promise<string | undefined> {
  const db = new PgClient({ connectionString: h.vendors!.kamailio.kamailio.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ password: string }>('SELECT password FROM subscriber WHERE username = $1', [number]);
    return rows[0]?.password;
  } finally {
    await db.end();
  }
}

/** The workflow's whole history as text, every payload decoded (its `data` is base64 of UTF-8 JSON). */
async function historyText(id: string): Promise<string> {
  const history = await h.client.workflow.getHandle(lineWorkflowId(id)).fetchHistory();
  return JSON.stringify(history, (key, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    return key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value;
  });
}

test('the SIP password appears in no workflow history, read-model row or line answer; the SPM collects it once, audited; then Butler forgets it', async () => {
  const number = dn();
  const id = await requestLine(number);
  expect((await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens.spm })).status).toBe(409);
  expect((await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.spm, body: CONTRACT })).status).toBe(200);
  const active = await untilLine(h, id, (l) => l.status === 'ACTIVE');

  const password = await kamailioPassword(number);
  expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
  const history = await historyText(id);
  // (Checked as booleans, so a failure does not print the texts, password and all.)
  // Payloads decoded: the input's login id reads in plain text.
  expect(history.includes(`sip.${number}@center1.example`)).toBe(true);
  expect(history.includes(password!)).toBe(false);
  const { rows } = await h.pool.query<{ state: string }>('SELECT state::text AS state FROM lines WHERE id = $1', [id]);
  expect(rows[0]!.state.includes(number)).toBe(true);
  expect(rows[0]!.state.includes(password!)).toBe(false);
  expect(JSON.stringify(active).includes(password!)).toBe(false);

  // Engineers and auditors cannot collect it.
  for (const role of ['engineer', 'auditor', 'automation'] as const) {
    expect((await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens[role] })).status).toBe(403);
  }

  const collected = await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens.spm });
  expect(collected.status).toBe(200);
  expect(collected.headers.get('cache-control')).toBe('no-store');
  expect(collected.body).toEqual({
    lineId: id,
    username: number,
    domain: expect.any(String),
    password,
    collectedBy: 'spm-kim',
    collectedAt: expect.any(String),
  });

  const again = await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens.admin });
  expect(again.status).toBe(410);
  expect(again.body.error).toMatchObject({ code: 'GONE', details: { collectedBy: 'spm-kim', collectedAt: collected.body.collectedAt } });
  expect(again.body.error.message).toContain('spm-kim');
  expect(JSON.stringify(again.body).includes(password!)).toBe(false);

  // Each read is in the audit log (the roles refused, the collection and the refused second read), never the password.
  const audit = await h.pool.query<{ actor: string; details: { outcome: string } }>(
    `SELECT actor, details FROM audit_log WHERE action = 'GET /api/v1/lines/:id/sip-credentials' AND subject = $1 ORDER BY seq`,
    [`/api/v1/lines/${id}/sip-credentials`],
  );
  expect(audit.rows.map((r) => [r.actor, r.details.outcome])).toEqual([
    ['eng-park', 'denied'],
    ['audit-lee', 'denied'],
    ['monitoring-bot', 'denied'],
    ['spm-kim', 'collected'],
    ['admin-choi', 'refused: already collected'],
  ]);
  const everything = await h.pool.query<{ text: string }>(`SELECT string_agg(details::text, ' ') AS text FROM audit_log`);
  expect(everything.rows[0]!.text.includes(password!)).toBe(false);
  // Collected: Butler no longer holds it (Kamailio does).
  const kept = await h.pool.query('SELECT password, collected_by FROM line_sip_credentials WHERE line_id = $1', [id]);
  expect(kept.rows).toEqual([{ password: null, collected_by: 'spm-kim' }]);
  expect(await kamailioPassword(number)).toBe(password);
});

test('sip-credentials: an unknown line is 404, a line not yet ACTIVE is 409', async () => {
  expect((await h.call('get', '/api/v1/lines/LN-999998/sip-credentials', { token: h.tokens.spm })).status).toBe(404);
  const id = await requestLine(dn());
  const pending = await h.call('get', `/api/v1/lines/${id}/sip-credentials`, { token: h.tokens.admin });
  expect(pending.status).toBe(409);
  expect(pending.body.error.message).toContain('PENDING_CONTRACT');
});
