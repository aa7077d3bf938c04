import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTemporalCluster, type TemporalCluster } from '../../runtime/temporal-cluster';
import { incidentBody, useHarness, type Harness } from '../api/harness';
import type { Json } from '../support/json';
import { incidentWorkflowId } from '../../workflows/incident/messages';

/**
 * The production path cannot rot: Butler on a real Temporal cluster, the four services of the
 * server built from go.temporal.io/server (cached under .tools/) as four processes on PostgreSQL,
 * runs one incident lifecycle and one line provisioning (the real Kamailio, SIPp acceptance, the
 * CTI emulator) through its API, exactly as it does on the dev server.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'butler-cluster-'));
let cluster: TemporalCluster | undefined;
const logs: string[] = [];

beforeAll(async () => {
  cluster = await startTemporalCluster({ dataDir, postgresUrl: process.env.BUTLER_TEST_DATABASE_URL!, shards: 2, onLog: (l) => logs.push(l) });
}, 900_000);

const h = useHarness({ vendors: true, temporalAddress: () => cluster!.address });

afterAll(async () => {
  await h.stop?.();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(harness: Harness, path: string, done: (body: Json) => boolean, timeoutMs = 90_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await harness.call('get', path, { token: harness.tokens.auditor });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`${path} stayed ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the cluster is the real server: four services, its own PostgreSQL databases, the namespace Butler uses', async () => {
  expect(cluster!.tools.version).toBe('v1.29.1');
  for (const service of ['frontend', 'history', 'matching', 'worker'] as const) expect(cluster!.pid(service)).toEqual(expect.any(Number));
  const system = await h.client.connection.workflowService.getSystemInfo({});
  expect(system.serverVersion).toBe('1.29.1');
  const dbs = await h.pool.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'temporal%' ORDER BY 1`);
  expect(dbs.rows.map((r) => r.datname)).toEqual(['temporal', 'temporal_visibility']);
});

test('an incident lives its whole life on the cluster: opened, assigned, started, resolved, closed; the SLA proof of its history holds', async () => {
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: incidentBody({ severity: 'P2', complexity: 'complex' }) });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  for (const [action, body] of [
    ['assign', { assignee: 'eng-park' }],
    ['start', {}],
    ['resolve', { resolution: '녹취 서버 재기동' }],
    ['close', {}],
  ] as const) {
    const res = await h.call('post', `/api/v1/incidents/${id}/${action}`, { token: h.tokens.spm, body });
    expect({ action, status: res.status }).toEqual({ action, status: 200 });
  }
  await h.client.workflow.getHandle(incidentWorkflowId(id)).result();
  const incident = await until(h, `/api/v1/incidents/${id}`, (b) => b.status === 'CLOSED');
  expect(incident.sla.breached).toBe(false);
  const exported = await h.call('post', `/api/v1/audit/workflows/${incidentWorkflowId(id)}/export`, {
    token: h.tokens.auditor,
    body: { reason: 'cluster smoke test' },
  });
  expect(exported.status).toBe(201);
  const proof = await h.call('get', `/api/v1/audit/incidents/${id}/sla`, { token: h.tokens.auditor });
  expect(proof.body).toMatchObject({ matches: true, differences: [] });
});

test('a line is provisioned on the cluster: installed on the real Kamailio and CTI, accepted by a SIPp call, ACTIVE', async () => {
  const created = await h.call('post', '/api/v1/lines/provisioning', {
    token: h.tokens.spm,
    body: {
      center: '상담 1센터',
      dn: '47001',
      displayName: '클러스터 상담원',
      lineType: 'extension',
      agent: { loginId: 'sip.47001@center1.example', name: '클러스터', team: '상담1팀', skills: [] },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const contract = { contractNo: 'KT-2026-47', carrier: 'KT', monthlyFee: 22_000, termMonths: 24, signedAt: '2026-02-01' };
  expect((await h.call('post', `/api/v1/lines/${id}/contract`, { token: h.tokens.spm, body: contract })).status).toBe(200);
  const line = await until(h, `/api/v1/lines/${id}`, (b) => b.status === 'ACTIVE' || b.status === 'FAILED');
  expect(line.status).toBe('ACTIVE');
});
