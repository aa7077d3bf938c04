import { testAuditSigner } from '../../runtime/embedded-worker';
import { createHash } from 'node:crypto';
import { createHistoryArchiver } from '../../runtime/history-archiver';
import { incidentBody, useHarness } from '../api/harness';
import { pdfBytesText } from '../reports/pdf-harness';
import type { Json } from '../support/json';

/**
 * What an auditor proves from stored histories: a running incident exported on demand,
 * its SLA recomputed from that export; the same incident after it closed, proven from
 * the archive; and the audit-trail PDF of that history.
 */

const h = useHarness();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let id: string;
let workflowId: string;

beforeAll(async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P2', complexity: 'simple' }) });
  expect(opened.status).toBe(201);
  id = opened.body.id;
  workflowId = `incident-${id}`;
  for (const [action, body] of [
    ['assign', { assignee: 'eng-park' }],
    ['start', {}],
    ['pend', { reason: 'customer' }],
    ['resume', {}],
  ] as const) {
    expect((await h.call('post', `/api/v1/incidents/${id}/${action}`, { token: h.tokens.engineer, body })).status).toBe(200);
  }
});

/** Waits until the workflow's history stops growing (its notifications delivered), so two exports see the same events. */
async function settled(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const events = (await h.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    if (events === last) return;
    last = events;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the history of ${workflowId} kept growing`);
}

describe('a running incident', () => {
  let exported: Json;
  beforeAll(settled);

  it('has no stored history until someone exports it: the SLA proof answers 404', async () => {
    const res = await h.call('get', `/api/v1/audit/incidents/${id}/sla`, { token: h.tokens.auditor });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('an auditor exports it → 201 with the hash of the stored history; the same events exported again are the same export', async () => {
    const res = await h.call('post', `/api/v1/audit/workflows/${workflowId}/export`, { token: h.tokens.auditor, body: { reason: 'Q4 audit sample' } });
    expect(res.status).toBe(201);
    exported = res.body;
    expect(exported).toMatchObject({
      workflowId,
      workflowType: 'incidentWorkflow',
      status: 'RUNNING',
      businessKey: id,
      created: true,
      exportedBy: 'audit-lee',
      reason: 'Q4 audit sample',
    });
    const again = await h.call('post', `/api/v1/audit/workflows/${workflowId}/export`, { token: h.tokens.auditor, body: {} });
    expect(again.body).toMatchObject({ id: exported.id, sha256: exported.sha256, created: false });

    const history = await h.call('get', `/api/v1/audit/workflows/${workflowId}/history`, { token: h.tokens.auditor });
    expect(history.headers.get('x-history-source')).toBe('export');
    expect(sha256(history.text)).toBe(exported.sha256);
    const log = await h.call('get', '/api/v1/audit/log?actor=audit-lee', { token: h.tokens.auditor });
    const entries = (log.body.items as Array<{ action: string }>).filter((e) => e.action === 'export-history');
    expect(entries).toEqual([
      expect.objectContaining({
        subject: workflowId,
        actorRole: 'auditor',
        details: expect.objectContaining({ sha256: exported.sha256, reason: 'Q4 audit sample' }),
      }),
    ]);
  });

  it('the SLA proof from the export: running clocks, the customer pend not counted, matching the last recorded state', async () => {
    const res = await h.call('get', `/api/v1/audit/incidents/${id}/sla`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    expect(res.body.history).toMatchObject({ source: 'export', sha256: exported.sha256 });
    expect(res.body).toMatchObject({ incidentId: id, matches: true, differences: [], recordedAt: { kind: 'update completed' } });
    expect(res.body.policy).toMatchObject({ severity: 'P2', complexity: 'simple' });
    expect(res.body.calendar).toMatchObject({ versionMatches: true, timezone: 'Asia/Seoul' });
    expect(res.body.clockEvents.map((e: { type: string }) => e.type)).toEqual(['opened', 'assigned', 'started', 'pended', 'resumed']);
    const restore = res.body.recomputed.restore;
    // Counted until the customer pend, paused, counting again from the resume (still running at the export).
    expect(restore.intervals).toHaveLength(2);
    expect(restore.intervals[0].toEventId).toBe(res.body.clockEvents[3].eventId);
    expect(restore.intervals[1].fromEventId).toBe(res.body.clockEvents[4].eventId);
  });

  it('an unknown workflow cannot be exported (404), and only auditors and admins may export (403)', async () => {
    expect((await h.call('post', '/api/v1/audit/workflows/incident-INC-424242/export', { token: h.tokens.admin, body: {} })).status).toBe(404);
    expect((await h.call('post', `/api/v1/audit/workflows/${workflowId}/export`, { token: h.tokens.spm, body: {} })).status).toBe(403);
    const bad = await h.call('post', `/api/v1/audit/workflows/${workflowId}/export`, { token: h.tokens.auditor, body: { reason: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'reason' });
  });
});

describe('the same incident once closed and archived', () => {
  let archivedSha: string;

  beforeAll(async () => {
    expect((await h.call('post', `/api/v1/incidents/${id}/resolve`, { token: h.tokens.engineer, body: { resolution: '녹취 서버 재기동' } })).status).toBe(200);
    expect((await h.call('post', `/api/v1/incidents/${id}/close`, { token: h.tokens.spm, body: {} })).status).toBe(200);
    await h.client.workflow.getHandle(workflowId).result();
    const archiver = createHistoryArchiver({ pool: h.pool, client: h.client, auditSigner: testAuditSigner() });
    for (let i = 0; i < 100; i++) {
      await archiver.runOnce();
      const { rows } = await h.pool.query(`SELECT sha256 FROM workflow_histories WHERE workflow_id = $1`, [workflowId]);
      if (rows[0]) {
        archivedSha = rows[0].sha256;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(archivedSha).toBeDefined();
  });

  it('the SLA proof now comes from the archive and matches what the workflow returned', async () => {
    const res = await h.call('get', `/api/v1/audit/incidents/${id}/sla`, { token: h.tokens.auditor });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-history-source')).toBe('archive');
    expect(res.body.history).toMatchObject({ source: 'archive', sha256: archivedSha, status: 'COMPLETED' });
    expect(res.body.differences).toEqual([]);
    expect(res.body).toMatchObject({ matches: true, recordedAt: { kind: 'workflow completed' } });
    expect(res.body.clockEvents.map((e: { type: string }) => e.type)).toEqual(['opened', 'assigned', 'started', 'pended', 'resumed', 'resolved', 'closed']);
    expect(res.body.recomputed.restore).toMatchObject({ stoppedBy: 'resolved', breached: false });
    expect(res.body.recomputed.response).toMatchObject({ stoppedBy: 'assigned', breached: false });

    // The earlier export can still be asked for by its hash.
    const earlier = await h.call(
      'get',
      `/api/v1/audit/incidents/${id}/sla?sha256=${(await h.pool.query(`SELECT sha256 FROM workflow_history_exports WHERE workflow_id = $1`, [workflowId])).rows[0].sha256}`,
      { token: h.tokens.auditor },
    );
    expect(earlier.body.history.source).toBe('export');
    expect((await h.call('get', `/api/v1/audit/incidents/${id}/sla?sha256=${'0'.repeat(64)}`, { token: h.tokens.auditor })).status).toBe(404);
    expect((await h.call('get', `/api/v1/audit/incidents/${id}/sla?sha256=xyz`, { token: h.tokens.auditor })).status).toBe(400);
  });

  it('the audit-trail PDF: rendered once per history, naming the workflow, its hash, every update and the SLA check', async () => {
    const first = await h.call('get', `/api/v1/audit/workflows/${workflowId}/trail.pdf`, { token: h.tokens.auditor });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('x-history-sha256')).toBe(archivedSha);
    const bytes = Buffer.from(
      await (
        await fetch(`${h.baseUrl}/api/v1/audit/workflows/${workflowId}/trail.pdf`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } })
      ).arrayBuffer(),
    );
    expect(sha256(bytes)).toBe(first.headers.get('x-report-sha256'));

    const text = pdfBytesText(bytes);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(archivedSha);
    expect(flat).toContain(workflowId);
    expect(text).toContain('감사 추적 보고서');
    expect(text).toContain('이력에서 재계산한 SLA 결과가 워크플로 기록과 일치합니다');
    for (const update of ['assign', 'start', 'pend', 'resume', 'resolve', 'close']) expect(text).toContain(`update "${update}" accepted`);

    // The same history is not rendered twice.
    const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM reports WHERE kind = 'audit-trail'`);
    expect(rows[0].n).toBe(1);
    const english = await h.call('get', `/api/v1/audit/workflows/${workflowId}/trail.pdf?locale=en`, { token: h.tokens.auditor });
    expect(english.status).toBe(200);
    expect(english.headers.get('x-report-sha256')).not.toBe(first.headers.get('x-report-sha256'));
  });

  it('no trail for a workflow with no stored history; engineers may not read trails', async () => {
    expect((await h.call('get', '/api/v1/audit/workflows/incident-INC-424242/trail.pdf', { token: h.tokens.auditor })).status).toBe(404);
    expect((await h.call('get', `/api/v1/audit/workflows/${workflowId}/trail.pdf`, { token: h.tokens.engineer })).status).toBe(403);
  });
});
