import { LineBatchView, MAX_BATCH_LINES } from '../../domain/line/batch';
import { useHarness } from './harness';
import { untilGet } from './polling';
import { deleteTeam } from '../support/cti-admin';
import { eventually } from '../support/eventually';
import type { Json } from '../support/json';

/** Batches of lines over the whole API: real Temporal (dev server), PostgreSQL, Kamailio + SIPp and the CTI emulator. */
const h = useHarness({ vendors: true });

const CONTRACT = { contractNo: 'LGU-2026-77', carrier: 'LG U+', monthlyFee: 18_000, termMonths: 24, signedAt: '2026-03-02' };
let dnSerial = 0;
const dn = () => `47${String(++dnSerial).padStart(3, '0')}`;
const agent = (login: string, team?: string) => ({ loginId: `${login}@team.example`, name: `상담원 ${login}`, ...(team ? { team } : {}), skills: [] });

const until = (id: string, done: (batch: Json) => boolean) => untilGet(h, `/api/v1/line-batches/${id}`, done, 120_000);

async function count(table: string): Promise<number> {
  return (await h.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}

test('a batch of three lines with one contract: every line ACTIVE through its own workflow, the batch COMPLETED, the SPM told', async () => {
  const body = {
    center: '상담 3센터',
    team: '상담1팀',
    lines: [
      { dn: dn(), displayName: '신규팀 1', lineType: 'extension', agent: agent('batch.one') },
      { dn: dn(), displayName: '신규팀 2', lineType: 'extension', agent: agent('batch.two') },
      { dn: dn(), displayName: '신규팀 대표', lineType: 'extension' },
    ],
    contract: CONTRACT,
  };
  const created = await h.call('post', '/api/v1/line-batches', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'batch-1' } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id: expect.stringMatching(/^LB-\d{6}$/), status: 'RUNNING', total: 3, center: '상담 3센터', team: '상담1팀' });
  expect(created.body.contract).toMatchObject({ ...CONTRACT, recordedBy: { id: 'spm-kim', role: 'spm' } });
  expect(created.body.lines.map((l: Json) => l.dn)).toEqual(body.lines.map((l) => l.dn));
  expect(LineBatchView.strict().parse(created.body)).toEqual(created.body);
  const id: string = created.body.id;
  const lineIds: string[] = created.body.lines.map((l: Json) => l.lineId);
  expect(new Set(lineIds).size).toBe(3);

  // A retried POST (same Idempotency-Key) is the same batch with the same lines.
  const retried = await h.call('post', '/api/v1/line-batches', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'batch-1' } });
  expect(retried.status).toBe(201);
  expect(retried.body.id).toBe(id);
  expect(retried.body.lines.map((l: Json) => l.lineId)).toEqual(lineIds);

  const done = await until(id, (b) => b.status !== 'RUNNING');
  expect(done.status).toBe('COMPLETED');
  expect(done.counts).toEqual({ ACTIVE: 3 });
  expect(done.lines).toEqual(
    lineIds.map((lineId, i) => expect.objectContaining({ lineId, dn: body.lines[i]!.dn, status: 'ACTIVE', outcome: 'ACTIVE', contract: 'recorded' })),
  );
  expect(LineBatchView.strict().parse(done)).toEqual(done);

  // Each line is a line like any other: its contract is the batch's, its agent in the batch's team.
  for (const [i, lineId] of lineIds.entries()) {
    const line = await h.call('get', `/api/v1/lines/${lineId}`, { token: h.tokens.auditor });
    expect(line.body).toMatchObject({ status: 'ACTIVE', contract: { contractNo: CONTRACT.contractNo }, center: '상담 3센터' });
    if (i < 2) expect(line.body.agent.team).toBe('상담1팀');
  }
  const notices = await eventually(
    () => h.pool.query<{ kind: string; subject: string }>(`SELECT kind, subject FROM notifications WHERE about = $1`, [id]),
    (r) => r.rows.length > 0,
  );
  expect(notices.rows).toEqual([{ kind: 'line-batch-ended', subject: expect.stringContaining('[일괄 개통 완료]') }]);
  expect(notices.rows[0]!.subject).toContain('3/3회선');

  // The batch's contract once: a second is refused now that the batch has ended.
  const again = await h.call('post', `/api/v1/line-batches/${id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  expect(again.status).toBe(409);
});

test('one contract later for the batch; a line cancelled by its own route and a line whose CTI team was deleted while the contract was awaited: PARTIAL, each line’s outcome told', async () => {
  const { cti, emulator } = h.vendors!;
  const soonGone = await cti.createTeam('없는팀', { key: 'test:team:batch-soon-gone' });
  const created = await h.call('post', '/api/v1/line-batches', {
    token: h.tokens.engineer,
    body: {
      center: '상담 1센터',
      team: '상담2팀',
      lines: [
        { dn: dn(), displayName: '정상', lineType: 'extension', agent: agent('batch.ok') },
        { dn: dn(), displayName: '없는 팀', lineType: 'extension', agent: agent('batch.noteam', '없는팀') },
        { dn: dn(), displayName: '취소', lineType: 'did' },
      ],
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect(created.body.counts).toEqual({ PENDING_CONTRACT: 3 });
  const [ok, noTeam, cancelled] = created.body.lines.map((l: Json) => l.lineId as string);
  // Checked at submission, the team existed; an administrator deletes it before the contract comes.
  await deleteTeam(emulator, soonGone.id);

  const cancel = await h.call('post', `/api/v1/lines/${cancelled}/cancel`, { token: h.tokens.spm, body: { reason: '고객사 요청' } });
  expect(cancel.status).toBe(200);
  await until(id, (b) => b.lines[2].outcome === 'CANCELLED');

  const contracted = await h.call('post', `/api/v1/line-batches/${id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  expect(contracted.status).toBe(200);
  expect(contracted.body.contract).toMatchObject({ contractNo: CONTRACT.contractNo, recordedBy: { id: 'spm-kim' } });

  const done = await until(id, (b) => b.status !== 'RUNNING');
  expect(done.status).toBe('PARTIAL');
  expect(done.counts).toEqual({ ACTIVE: 1, FAILED: 1, CANCELLED: 1 });
  expect(done.lines[0]).toMatchObject({ lineId: ok, status: 'ACTIVE', contract: 'recorded' });
  expect(done.lines[1]).toMatchObject({
    lineId: noTeam,
    status: 'FAILED',
    contract: 'recorded',
    // The check after the contract finds the team missing before anything is installed.
    failure: { step: 'preflight', cause: expect.stringContaining('없는팀') },
  });
  expect(done.lines[2]).toMatchObject({ lineId: cancelled, status: 'CANCELLED' });
  expect(done.lines[2].contract).toBeUndefined();
  // The failed line holds nothing on the PBX or the CTI.
  const failed = await h.call('get', `/api/v1/lines/${noTeam}`, { token: h.tokens.auditor });
  expect(failed.body).toMatchObject({ status: 'FAILED', installed: [] });
  const notice = await eventually(
    () => h.pool.query<{ subject: string; text: string }>(`SELECT subject, payload->>'text' AS text FROM notifications WHERE about = $1`, [id]),
    (r) => r.rows.length > 0,
  );
  expect(notice.rows[0]!.subject).toContain('[일괄 개통 일부 완료]');
  expect(notice.rows[0]!.text).toContain(`${noTeam} `);
});

test('a DN held by a live line refuses the whole batch with a 409 naming the DN and its place; nothing is reserved', async () => {
  const held = dn();
  const single = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', dn: held, displayName: '기존', lineType: 'extension' },
  });
  expect(single.status).toBe(201);
  const [lines, batches, keys] = [await count('lines'), await count('line_batches'), await count('idempotency_keys')];
  const free = dn();
  const res = await h.call('post', '/api/v1/line-batches', {
    token: h.tokens.spm,
    body: {
      center: '상담 1센터',
      lines: [
        { dn: free, displayName: '새 회선', lineType: 'extension' },
        { dn: held, displayName: '겹침', lineType: 'extension' },
      ],
    },
    headers: { 'Idempotency-Key': 'batch-held' },
  });
  expect(res.status).toBe(409);
  expect(res.body.error.message).toContain(`DN ${held} (lines.1.dn) is already held by line ${single.body.id}`);
  expect(res.body.error.details).toEqual({ problems: [{ path: 'lines.1.dn', code: 'taken', message: expect.stringContaining(single.body.id) }] });
  expect([await count('lines'), await count('line_batches'), await count('idempotency_keys')]).toEqual([lines, batches, keys]);
  expect((await h.call('get', `/api/v1/lines?dn=${free}`, { token: h.tokens.auditor })).body.total).toBe(0);
});

test('what the PBX and the CTI say cannot work refuses the whole batch at submission, each problem under its line (lines.N.…): nothing reserved, no key kept; fixed, the same request is accepted', async () => {
  const { pbx, cti, acceptancePlan } = h.vendors!;
  const handMade = dn();
  await pbx.createExtension(
    { dn: handMade, displayName: '수작업 내선', domain: acceptancePlan.domain, password: 'hand-made-secret' },
    { key: `test:ext:${handMade}` },
  );
  const body = {
    center: '상담 1센터',
    team: '일괄신설팀',
    lines: [
      { dn: dn(), displayName: '문제없음', lineType: 'extension' },
      {
        dn: dn(),
        displayName: '새 팀 상담원',
        lineType: 'extension',
        agent: { ...agent('batch.newteam'), skills: [{ name: '일괄베트남어', proficiency: 3 }] },
      },
      { dn: handMade, displayName: 'PBX에 이미 있음', lineType: 'extension' },
      { dn: dn(), displayName: '같은 팀 둘째', lineType: 'extension', agent: agent('batch.newteam2') },
    ],
  };
  const [lines, batches, keys] = [await count('lines'), await count('line_batches'), await count('idempotency_keys')];
  const refused = await h.call('post', '/api/v1/line-batches', { token: h.tokens.spm, body, headers: { 'Idempotency-Key': 'batch-checked' } });
  expect(refused.status).toBe(409);
  expect(refused.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('lines.2.dn') });
  expect(refused.body.error.details.problems).toEqual([
    { path: 'lines.1.agent.team', code: 'missing', message: expect.stringContaining('일괄신설팀') },
    { path: 'lines.1.agent.skills.0.name', code: 'missing', message: expect.stringContaining('일괄베트남어') },
    { path: 'lines.2.dn', code: 'taken', message: expect.stringContaining(handMade) },
    { path: 'lines.3.agent.team', code: 'missing', message: expect.stringContaining('일괄신설팀') },
  ]);
  expect([await count('lines'), await count('line_batches'), await count('idempotency_keys')]).toEqual([lines, batches, keys]);

  // Only missing things: 404, the same problems named.
  const onlyMissing = { ...body, lines: body.lines.filter((_, i) => i !== 2) };
  const missing = await h.call('post', '/api/v1/line-batches', { token: h.tokens.spm, body: onlyMissing });
  expect(missing.status).toBe(404);
  expect(missing.body.error.details.problems.map((p: Json) => p.path)).toEqual(['lines.1.agent.team', 'lines.1.agent.skills.0.name', 'lines.2.agent.team']);

  await cti.createTeam('일괄신설팀', { key: 'test:team:batch-new' });
  await cti.createSkill('일괄베트남어', { key: 'test:skill:batch-vietnamese' });
  const accepted = await h.call('post', '/api/v1/line-batches', {
    token: h.tokens.spm,
    body: onlyMissing,
    headers: { 'Idempotency-Key': 'batch-checked' },
  });
  expect(accepted.status).toBe(201);
  expect(accepted.body.lines.map((l: Json) => l.dn)).toEqual(onlyMissing.lines.map((l) => l.dn));
  for (const line of accepted.body.lines as Json[]) {
    expect((await h.call('post', `/api/v1/lines/${line.lineId}/cancel`, { token: h.tokens.spm, body: { reason: '테스트 종료' } })).status).toBe(200);
  }
  await until(accepted.body.id, (b) => b.status !== 'RUNNING');
});

test('bad batches: 400 naming the field path; more than 200 lines; unknown batch 404; auditors read only', async () => {
  const item = (n: number) => ({ dn: String(49000 + n), displayName: `회선 ${n}`, lineType: 'extension' });
  const tooMany = await h.call('post', '/api/v1/line-batches', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', lines: Array.from({ length: MAX_BATCH_LINES + 1 }, (_, i) => item(i)) },
  });
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.error.details).toEqual([{ path: 'lines', message: `a batch holds at most ${MAX_BATCH_LINES} lines` }]);

  const bad = await h.call('post', '/api/v1/line-batches', {
    token: h.tokens.spm,
    body: { center: '상담 1센터', lines: [item(1), item(2), item(3), { ...item(4), dn: '12ab' }, item(1)] },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lines.3.dn', 'lines.4.dn']);
  expect(bad.body.error.details[1].message).toBe('DN 49001 is also lines.0.dn');

  expect((await h.call('get', '/api/v1/line-batches/LB-999999', { token: h.tokens.auditor })).status).toBe(404);
  expect((await h.call('post', '/api/v1/line-batches/LB-999999/contract', { token: h.tokens.spm, body: CONTRACT })).status).toBe(404);
  expect((await h.call('get', '/api/v1/line-batches/LN-000001', { token: h.tokens.auditor })).status).toBe(400);
  const auditor = await h.call('post', '/api/v1/line-batches', { token: h.tokens.auditor, body: { center: 'x', lines: [item(9)] } });
  expect(auditor.status).toBe(403);
});
