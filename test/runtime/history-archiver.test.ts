import { Client } from 'pg';
import { createHash } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { archivedHistory } from '../../db/histories.repo';
import { createHistoryArchiver } from '../../runtime/history-archiver';
import { incidentBody, useHarness } from '../api/harness';
import { workflowBundle, testAuditSigner } from '../../runtime/embedded-worker';

/** Closed workflows' histories are archived once, replayable, hashed, and entered in the audit chain. */

const h = useHarness();

test('a closed incident is archived once with its hash, replays, and is an entry of the audit chain', async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3', complexity: 'simple' }) });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  expect((await h.call('post', `/api/v1/incidents/${id}/cancel`, { token: h.tokens.spm, body: { reason: '중복 접수' } })).status).toBe(200);
  const workflowId = `incident-${id}`;
  await h.client.workflow.getHandle(workflowId).result();

  const archiver = createHistoryArchiver({ pool: h.pool, client: h.client, auditSigner: testAuditSigner() });
  // Visibility catches up with the close a moment later; a pass that sees nothing is harmless.
  let archived = await archivedHistory(h.pool, workflowId);
  for (let i = 0; i < 100 && !archived; i++) {
    await archiver.runOnce();
    archived = await archivedHistory(h.pool, workflowId);
    if (!archived) await new Promise((r) => setTimeout(r, 200));
  }
  expect(archived).toMatchObject({ workflowType: 'incidentWorkflow', businessKey: id, status: 'COMPLETED' });
  expect(createHash('sha256').update(archived!.history).digest('hex')).toBe(archived!.sha256);
  const history = JSON.parse(archived!.history) as { events: unknown[] };
  expect(history.events).toHaveLength(archived!.events);
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId)).resolves.toBeUndefined();

  // The closed incident's clock case is read as it is archived, naming the history: the SLA what-if reads this.
  const cases = await h.pool.query('SELECT incident_id, history_sha256, sla_case FROM sla_cases WHERE last_run_id = $1', [archived!.runId]);
  expect(cases.rows).toEqual([
    {
      incident_id: id,
      history_sha256: [archived!.sha256],
      sla_case: expect.objectContaining({
        incidentId: id,
        events: [expect.objectContaining({ type: 'opened' }), expect.objectContaining({ type: 'cancelled' })],
      }),
    },
  ]);

  // Running again (or after a crash) archives nothing twice.
  const again = await archiver.runOnce();
  expect(again.archived).toBe(0);
  const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM workflow_histories WHERE workflow_id = $1`, [workflowId]);
  expect(rows[0].n).toBe(1);

  const log = await h.call('get', '/api/v1/audit/log', { token: h.tokens.auditor, headers: {} });
  const entries = (log.body.items as Array<{ action: string; subject: string; details: Record<string, unknown> }>).filter(
    (e) => e.action === 'archive-history',
  );
  expect(entries).toEqual([
    expect.objectContaining({ subject: workflowId, details: expect.objectContaining({ sha256: archived!.sha256, runId: archived!.runId }) }),
  ]);
  expect((await h.call('get', '/api/v1/audit/verify', { token: h.tokens.auditor })).body).toMatchObject({ ok: true });

  // The application's role may not change the archive (db/roles.ts); the database itself refuses its owner too.
  await expect(h.pool.query(`UPDATE workflow_histories SET status = 'FAILED'`)).rejects.toThrow(/permission denied for table workflow_histories/);
  const owner = new Client({ connectionString: h.ownerDatabaseUrl });
  await owner.connect();
  try {
    await expect(owner.query(`UPDATE workflow_histories SET status = 'FAILED'`)).rejects.toThrow(/append-only: UPDATE refused/);
  } finally {
    await owner.end();
  }

  // The auditor's view of the archive: the list, the exact JSON with its hash, the readable timeline.
  const list = await h.call('get', `/api/v1/audit/workflows?type=incidentWorkflow&key=${id}`, { token: h.tokens.auditor });
  expect(list.body.items).toEqual([expect.objectContaining({ workflowId, runId: archived!.runId, status: 'COMPLETED', sha256: archived!.sha256 })]);
  const raw = await h.call('get', `/api/v1/audit/workflows/${workflowId}/history`, { token: h.tokens.auditor });
  expect(raw.headers.get('x-history-sha256')).toBe(archived!.sha256);
  expect(createHash('sha256').update(raw.text).digest('hex')).toBe(archived!.sha256);
  const timeline = await h.call('get', `/api/v1/audit/workflows/${workflowId}/timeline`, { token: h.tokens.auditor });
  expect(timeline.status).toBe(200);
  const lines = timeline.body.timeline as Array<{ event: string; actor: string | null; summary: string; atSeoul: string }>;
  expect(lines[0]).toMatchObject({ event: 'WORKFLOW_EXECUTION_STARTED', summary: 'incidentWorkflow started', actor: expect.stringContaining('(spm)') });
  expect(lines).toContainEqual(
    expect.objectContaining({ event: 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', summary: 'update "cancel" accepted', actor: expect.stringContaining('(spm)') }),
  );
  expect(lines.at(-1)).toMatchObject({ event: 'WORKFLOW_EXECUTION_COMPLETED' });
  expect(lines.every((l) => /^\d{4}\. \d{2}\. \d{2}\. \d{2}:\d{2}$/.test(l.atSeoul))).toBe(true);
  expect((await h.call('get', '/api/v1/audit/workflows/incident-INC-424242/history', { token: h.tokens.auditor })).status).toBe(404);
  expect((await h.call('get', `/api/v1/audit/workflows/${workflowId}/history`, { token: h.tokens.engineer })).status).toBe(403);
});
