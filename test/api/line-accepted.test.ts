import { LineState } from '../../domain/line/contracts';
import { lineWorkflowId } from '../../workflows/line/messages';
import { useHarness } from './harness';
import type { Json } from '../support/json';
import { untilLine } from './polling';

/**
 * What the API confirms when the worker cannot answer in time (issue 18): a line request is 202
 * once its DN is reserved and Temporal holds its workflow, and the check against the PBX and the
 * CTI it could not run then is the workflow's first step. Here the worker is stopped, and the
 * wait for it is 1 s instead of production's 5 s.
 */
const h = useHarness({ vendors: true, confirmWithinMs: 1_000 });

const CONTRACT = { contractNo: 'KT-2026-18', carrier: 'KT', monthlyFee: 22_000, termMonths: 24, signedAt: '2026-02-01' };

const rowVersion = async (id: string) => (await h.pool.query<{ version: number }>('SELECT version FROM lines WHERE id = $1', [id])).rows[0]?.version;

test('with no worker a line request is 202: its DN reserved, its workflow held by Temporal, its check deferred; the worker back, the check runs first', async () => {
  const { pbx, acceptancePlan } = h.vendors!;
  const clean = '47001';
  // On the PBX already, not in the inventory: the check refuses it (409 when it can answer at once).
  const onPbx = '47002';
  await pbx.createExtension(
    { dn: onPbx, displayName: '수작업 내선', domain: acceptancePlan.domain, password: 'hand-made-secret' },
    { key: `test:ext:${onPbx}` },
  );
  const post = (dn: string, key: string) =>
    h.call('post', '/api/v1/lines/provisioning', {
      token: h.tokens.spm,
      body: { center: '상담 1센터', dn, displayName: '작업자 없음', lineType: 'extension' },
      headers: { 'Idempotency-Key': key },
    });

  await h.stopWorker();
  let id: string;
  let refusedId: string;
  try {
    const accepted = await post(clean, 'accepted-clean');
    expect(accepted.status).toBe(202);
    id = accepted.body.id;
    expect(accepted.headers.get('location')).toBe(`/api/v1/lines/${id}`);
    expect(LineState.parse(accepted.body)).toMatchObject({ status: 'PENDING_CONTRACT', dn: clean });
    expect(accepted.body.history).toEqual([expect.objectContaining({ type: 'requested', details: expect.objectContaining({ checks: 'deferred' }) })]);

    // Meanwhile GET answers the reservation, the DN is held, and a retry gets the same line.
    expect((await h.call('get', `/api/v1/lines/${id}`, { token: h.tokens.auditor })).body).toEqual(accepted.body);
    expect(await rowVersion(id)).toBe(0);
    const other = await post(clean, 'accepted-clean-other-key');
    expect(other.status).toBe(409);
    expect(other.body.error.details.problems).toEqual([expect.objectContaining({ path: 'dn', code: 'taken' })]);
    const retried = await post(clean, 'accepted-clean');
    expect(retried.status).toBe(202);
    expect(retried.body.id).toBe(id);
    expect((await h.client.workflow.getHandle(lineWorkflowId(id)).describe()).status.name).toBe('RUNNING');

    const refusedLater = await post(onPbx, 'accepted-on-pbx');
    expect(refusedLater.status).toBe(202);
    refusedId = refusedLater.body.id;
  } finally {
    await h.startWorker();
  }

  // The PBX already has that DN: FAILED at step preflight, naming dn, with nothing installed.
  const failed = await untilLine(h, refusedId, (l) => l.status === 'FAILED');
  expect(failed.failure).toMatchObject({ step: 'preflight', type: 'PreflightFailed' });
  expect(failed.installed).toEqual([]);
  expect(failed.history.find((e: Json) => e.type === 'preflight-failed').details.problems).toEqual([expect.objectContaining({ path: 'dn', code: 'taken' })]);

  // The clean one passed its check: its workflow wrote it, and it goes on to ACTIVE once its contract is recorded.
  for (const deadline = Date.now() + 30_000; ((await rowVersion(id)) ?? 0) === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 200));
  expect(await rowVersion(id)).toBeGreaterThan(0);
  const contracted = await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.spm, body: CONTRACT });
  expect(contracted.status).toBe(200);
  const active = await untilLine(h, id, (l) => l.status !== 'PENDING_CONTRACT' && l.status !== 'INSTALLING' && l.status !== 'ACCEPTANCE');
  expect(active.status).toBe('ACTIVE');
  expect(active.history.map((e: Json) => e.type)).not.toContain('preflight-failed');
  // Checked first thing once the worker was back; a retry with the first key is now a 201.
  expect(active.history.map((e: Json) => e.type).slice(0, 2)).toEqual(['requested', 'checked']);
  const confirmed = await post(clean, 'accepted-clean');
  expect(confirmed.status).toBe(201);
  expect(confirmed.body.id).toBe(id);
});
