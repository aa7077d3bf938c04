import { testAuditSigner } from '../../runtime/embedded-worker';
import { Client } from 'pg';
import { ArchivedWorkflowPage, AuditLogPage, ChainVerdictView, HistoryExportView, SlaProofView, TimelineView } from '../../domain/audit/views';
import { createHistoryArchiver } from '../../runtime/history-archiver';
import { incidentBody, useHarness } from './harness';

/**
 * The audit routes answer what their OpenAPI document promises (the console's client is typed by
 * it): each answer parses, field for field, with the route's zod schema; lists say how many match.
 */
const h = useHarness();
const token = () => h.tokens.auditor;

/** Parsed with the schema (unknown keys stripped at every level) and still equal: no field missing, none extra. */
function exactly<T>(schema: { parse(v: unknown): T }, body: unknown): void {
  expect(schema.parse(body)).toEqual(body);
}

let closed = '';
let running = '';

beforeAll(async () => {
  const open = async () => (await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P3' }) })).body.id as string;
  closed = await open();
  running = await open();
  for (const [action, body] of [
    ['assign', { assignee: 'eng-park' }],
    ['start', {}],
    ['resolve', { resolution: '재기동' }],
  ] as const) {
    expect((await h.call('post', `/api/v1/incidents/${closed}/${action}`, { token: h.tokens.engineer, body })).status).toBe(200);
  }
  expect((await h.call('post', `/api/v1/incidents/${closed}/close`, { token: h.tokens.spm, body: {} })).status).toBe(200);
  await h.client.workflow.getHandle(`incident-${closed}`).result();
  const archiver = createHistoryArchiver({ pool: h.pool, client: h.client, auditSigner: testAuditSigner() });
  for (let i = 0; i < 100; i++) {
    await archiver.runOnce();
    if ((await h.pool.query(`SELECT 1 FROM workflow_histories WHERE workflow_id = $1`, [`incident-${closed}`])).rowCount) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the closed incident was not archived');
});

test('archived workflows: a page with the total, by business key', async () => {
  const res = await h.call('get', `/api/v1/audit/workflows?key=${closed}`, { token: token() });
  expect(res.status).toBe(200);
  exactly(ArchivedWorkflowPage, res.body);
  expect(res.body).toMatchObject({ total: 1, items: [{ workflowId: `incident-${closed}`, businessKey: closed, status: 'COMPLETED' }] });
  const none = await h.call('get', '/api/v1/audit/workflows?key=INC-999999', { token: token() });
  expect(none.body).toEqual({ items: [], total: 0 });
  // Past the last page: no rows, the total still counted.
  const past = await h.call('get', `/api/v1/audit/workflows?offset=10`, { token: token() });
  expect(past.body.items).toEqual([]);
  expect(past.body.total).toBeGreaterThanOrEqual(1);
});

test('the timeline and the SLA proof answer their schemas', async () => {
  const timeline = await h.call('get', `/api/v1/audit/workflows/incident-${closed}/timeline`, { token: token() });
  exactly(TimelineView, timeline.body);
  const proof = await h.call('get', `/api/v1/audit/incidents/${closed}/sla`, { token: token() });
  expect(proof.status).toBe(200);
  exactly(SlaProofView, proof.body);
  expect(proof.body.matches).toBe(true);
});

test('an export answers its schema', async () => {
  const res = await h.call('post', `/api/v1/audit/workflows/incident-${running}/export`, { token: token(), body: { reason: '표본' } });
  expect(res.status).toBe(201);
  exactly(HistoryExportView, res.body);
  expect(res.body).toMatchObject({ status: 'RUNNING', created: true, reason: '표본' });
});

test('the log: a page with the total, in chain order or newest first; the verdict names the cause of a break', async () => {
  const asc = await h.call('get', '/api/v1/audit/log?limit=2', { token: token() });
  exactly(AuditLogPage, asc.body);
  expect(asc.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
  // Newest first: the last entry of the chain order leads (seq may have gaps: a request rolled back took a number with it).
  const desc = await h.call('get', '/api/v1/audit/log?order=desc&limit=2', { token: token() });
  exactly(AuditLogPage, desc.body);
  const last = await h.call('get', `/api/v1/audit/log?limit=1&offset=${desc.body.total - 1}`, { token: token() });
  expect(desc.body.items[0].seq).toBe(last.body.items[0].seq);
  expect(desc.body.items[0].seq).toBeGreaterThan(desc.body.items[1].seq);
  expect((await h.call('get', '/api/v1/audit/log?order=sideways', { token: token() })).status).toBe(400);

  const intact = await h.call('get', '/api/v1/audit/verify', { token: token() });
  exactly(ChainVerdictView, intact.body);
  expect(intact.body.ok).toBe(true);
  expect(intact.body.checked).toBeGreaterThanOrEqual(asc.body.total);

  // Entry 2 taken out behind the API's back: entry 3 no longer follows.
  const tamper = new Client({ connectionString: h.ownerDatabaseUrl });
  await tamper.connect();
  try {
    await tamper.query(`SET session_replication_role = replica`);
    await tamper.query(`DELETE FROM audit_log WHERE seq = 2`);
  } finally {
    await tamper.end();
  }
  const broken = await h.call('get', '/api/v1/audit/verify', { token: token() });
  exactly(ChainVerdictView, broken.body);
  expect(broken.body).toMatchObject({ ok: false, checked: 1, brokenAt: 3, cause: 'unlinked' });
});

test('the OpenAPI document carries the audit answers', async () => {
  const doc = (await h.call('get', '/openapi.json')).body;
  const schema = (p: string, status = '200') => doc.paths[p].get?.responses[status]?.content['application/json'].schema;
  expect(schema('/api/v1/audit/workflows').required).toEqual(['items', 'total']);
  expect(schema('/api/v1/audit/log').required).toEqual(['items', 'total']);
  expect(Object.keys(schema('/api/v1/audit/incidents/{id}/sla').properties)).toEqual(
    expect.arrayContaining(['history', 'policy', 'calendar', 'clockEvents', 'recomputed', 'matches', 'differences', 'explanation']),
  );
  expect(schema('/api/v1/audit/verify').oneOf ?? schema('/api/v1/audit/verify').anyOf).toHaveLength(2);
});
