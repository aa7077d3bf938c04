import { testAuditSigner } from '../../runtime/embedded-worker';
import { readdirSync, readFileSync } from 'node:fs';
import { webhook } from '../support/alertmanager';
import { DEFAULT_ALERT_RULES } from '../../domain/monitoring/default-rules';
import { DEFAULT_BILL_PROFILES } from '../../domain/billing/default-profiles';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { apiRoutes } from '../../api/app';
import type { AnyRoute } from '../../api/route';
import { loadConfig } from '../../runtime/config';
import type { Role } from '../../domain/actor';
import { fillPath, incidentBody, useHarness, type CallResult } from './harness';
import { pathParamNames, sampleParams } from './route-samples';
import type { Json } from '../support/json';

/**
 * Fuzz of every mutating route (POST/PUT/DELETE of the route table): generated JSON, near-valid
 * bodies (a valid body with one field replaced by junk, removed, or an unknown key added),
 * malformed raw bodies and odd content types, sent with a token the route allows, at path
 * parameters naming REAL entities in the state the route acts from (so the body reaches the
 * workflow's Update validators, not just a 404). Whatever comes back:
 *   - never a 5xx;
 *   - a 4xx carries the API's error shape `{ error: { code, message, details } }`;
 *   - a 4xx changed nothing: no row of any table of db/migrations (audit_log included: the trail
 *     appends for successful mutations and for 401/403, and every request here carries a token the
 *     route allows), no workflow started, ended or moved (the namespace's
 *     workflows as visibility lists them; the history length of the route's own entity's workflows).
 * A 2xx may change state: the test waits for the workflows to settle and takes a new baseline.
 * fast-check chooses the seed; a failure prints it with the shrunk request. Re-run one route with it:
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest test/api/fuzz.test.ts -t '<method> <path>'`.
 * FUZZ_RUNS sets the requests per route (default 16, plus the deeply nested body: over 60 routes that is
 * about a thousand requests a run, which keeps `npm test` within its time; FUZZ_RUNS=200 for a deeper run).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const REPLAY = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {};

const h = useHarness({ vendors: true });

// The route table as the app mounts it, known when jest collects the tests (handlers never run here);
// the first test checks it is the harness's own.
const STUB_DEPS = { pool: {} as Pool, auditSigner: testAuditSigner(), client: {} as Client, taskQueue: 'unused', tokens: [], timing: loadConfig({}).timing };
const key = (r: Pick<AnyRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
const isMutating = (r: AnyRoute) => r.method !== 'get';
/** Routes that change what later requests are judged by (SLA policies, the calendar) run last: nothing opened after them. */
const CONFIGURATION = /^\/api\/v1\/(sla-policies|calendar|bill-profiles|reconciliation-rules|line-usage-sources)\b/;
const MUTATING = apiRoutes(STUB_DEPS)
  .filter(isMutating)
  .sort((a, b) => Number(CONFIGURATION.test(a.path)) - Number(CONFIGURATION.test(b.path)));

// ---- valid bodies: the starting point of the near-valid variants -------------------------------

const inDays = (days: number, hours = 0) => new Date(Date.now() + days * 86_400_000 + hours * 3_600_000).toISOString();
const CONTRACT = { contractNo: 'SKB-FUZZ-1', carrier: 'SK브로드밴드', monthlyFee: 22_000, termMonths: 24, signedAt: '2026-02-01' };
/** P4/simple: the business-hours clock and the longest targets, so no SLA timer fires while the fuzz runs. */
const INCIDENT = incidentBody({ severity: 'P4', complexity: 'simple', title: 'fuzz 장애', description: 'fuzz' });
const CSV = 'date,center,offered,answered\r\n2024-01-02,상담1센터,100,90\r\n2024-01-03,상담1센터,120,100\r\n';
/** A KT bill as KT lays it out (two title rows, its column names): the fuzz's uploads vary it. */
const BILL_CSV =
  'KT 통신요금 청구서 (2024-01)\r\n고객명: fuzz\r\n서비스번호,청구년월,기본료,통화료,부가서비스료,할인액,청구금액,납부기한\r\n' +
  '02-4800-0001,2024-01,"30,000",1200,0,0,"31,200",2024-02-25\r\n02-4800-0002,2024-01,"30,000",0,0,-500,"29,500",2024-02-25\r\n';
/** What a route takes in its query string besides its body (the bill upload: whose bill, which month). */
const QUERY: Record<string, string> = { 'post /api/v1/bills': '?carrier=KT&month=2024-01' };
/** The dispute the settle fixture opened (its id is the settle body's). */
let disputeToSettle = 'BILL-999999-D1';
/** A finding of the dispute fixture's bill (the dispute body names it). */
let findingToDispute = 1;

/**
 * A valid body per mutating route that has a body schema (JSON, or text for a text/csv route).
 * A new route without one fails the coverage test below: add it here.
 */
const VALID: Record<string, () => unknown> = {
  'post /api/v1/incidents': () => INCIDENT,
  'post /api/v1/incidents/:id/rca': () => ({
    cause: '교환기 카드 불량',
    actions: '카드 교체',
    prevention: [{ item: '예비 카드 확보', owner: 'eng-park', dueDate: '2026-12-31' }],
  }),
  'post /api/v1/incidents/:id/report/publish': () => ({ locale: 'ko', note: '보고서' }),
  'post /api/v1/incidents/:id/assign': () => ({ assignee: 'eng-park', note: '배정' }),
  'post /api/v1/incidents/:id/start': () => ({ note: '착수' }),
  'post /api/v1/incidents/:id/pend': () => ({ reason: 'vendor', note: '벤더 대기' }),
  'post /api/v1/incidents/:id/resume': () => ({ note: '재개' }),
  'post /api/v1/incidents/:id/resolve': () => ({ resolution: '카드 교체로 복구' }),
  'post /api/v1/incidents/:id/reopen': () => ({ reason: '재발' }),
  'post /api/v1/incidents/:id/close': () => ({ note: '종료' }),
  'post /api/v1/incidents/:id/cancel': () => ({ reason: '중복' }),
  'post /api/v1/incidents/:id/escalate': () => ({ reason: '장기화' }),
  'post /api/v1/incidents/:id/notes': () => ({ text: '메모' }),
  'post /api/v1/lines/provisioning': () => ({ center: '상담 1센터', dn: '48100', displayName: 'fuzz', lineType: 'extension' }),
  'post /api/v1/lines/:id/contract': () => CONTRACT,
  'post /api/v1/lines/:id/termination': () => ({ reason: '센터 축소', effectiveDate: '2026-12-01' }),
  'post /api/v1/lines/:id/equipment-returned': () => ({ note: '회수 완료' }),
  'post /api/v1/lines/:id/termination/cancel': () => ({ reason: '고객 철회' }),
  'post /api/v1/lines/:id/termination/retry': () => ({ note: '벤더 복구 확인' }),
  'post /api/v1/lines/:id/cancel': () => ({ reason: '고객사 요청' }),
  'post /api/v1/line-batches': () => ({
    center: '상담 1센터',
    team: '상담1팀',
    lines: [
      { dn: '48200', displayName: 'fuzz 일괄 1', lineType: 'extension' },
      { dn: '48201', displayName: 'fuzz 일괄 2', lineType: 'did' },
    ],
  }),
  'post /api/v1/line-batches/:id/contract': () => CONTRACT,
  'post /api/v1/changes': () => ({
    type: 'agent-account',
    target: 'fuzz.change@center1.example',
    params: { state: 'inactive' },
    window: { start: inDays(30), end: inDays(30, 1) },
    reason: '휴직',
  }),
  'post /api/v1/changes/:id/approve': () => ({ approver: 'customer', comment: 'OK' }),
  'post /api/v1/changes/:id/reject': () => ({ approver: 'customer', comment: '반려' }),
  'post /api/v1/changes/:id/cancel': () => ({ reason: '취소' }),
  'post /api/v1/inspections': () => ({ period: '2024-01', centers: ['상담1센터'] }),
  'post /api/v1/inspections/:id/approve': () => ({ comments: '확인' }),
  'post /api/v1/inspections/:id/return': () => ({ comments: '재확인' }),
  'post /api/v1/qsr': () => ({ quarter: '2024-Q1' }),
  'post /api/v1/qsr/:id/approve': () => ({ comments: '확인' }),
  'post /api/v1/qsr/:id/return': () => ({ comments: '재확인' }),
  'post /api/v1/qsr/:id/proposals': () => ({ proposals: [{ title: '야간 인력', detail: '야간 상담 인력 보강', owner: 'spm-kim' }] }),
  'post /api/v1/call-volume': () => CSV,
  'post /api/v1/bills': () => BILL_CSV,
  'post /api/v1/billing-reports': () => ({ month: '2024-01' }),
  'post /api/v1/billing-reports/:id/approve': () => ({ comments: '확인' }),
  'post /api/v1/billing-reports/:id/return': () => ({ comments: '재확인' }),
  'post /api/v1/bills/:id/approve': () => ({ comment: '지급 승인' }),
  'post /api/v1/bills/:id/dispute': () => ({ findingIds: [findingToDispute], carrierReference: 'KT-FUZZ-1', note: '환급 요청' }),
  'post /api/v1/bills/:id/settle': () => ({ disputeId: disputeToSettle, creditKrw: 1_000 }),
  'post /api/v1/bills/:id/pay': () => ({ paidOn: '2024-02-20', amountKrw: 61_200 }),
  'post /api/v1/bills/:id/withdraw': () => ({ reason: '재발행' }),
  'put /api/v1/bill-profiles/:carrier': () => DEFAULT_BILL_PROFILES.LGU,
  'put /api/v1/reconciliation-rules': () => ({ usageSpikePercent: 60 }),
  'put /api/v1/line-usage-sources': () => ({ centers: { '상담 2센터': 'cti' } }),
  'post /api/v1/savings-proposals/start': () => ({ key: 'idle-line:LN-999999', asOf: '2024-01-31' }),
  'post /api/v1/sla/preview': () => ({ severity: 'P4', complexity: 'simple', startAt: '2026-03-02T10:00:00+09:00' }),
  'post /api/v1/alerts/alertmanager': () => webhook([{ labels: { alertname: 'FuzzAlert', instance: 'fuzz-1' } }]),
  'put /api/v1/alert-rules': () => ({ rules: DEFAULT_ALERT_RULES }),
  'put /api/v1/trunks/:trunk': () => ({ channels: 30, warnAtPercent: 80, criticalAtPercent: 95, center: '상담 1센터' }),
  'put /api/v1/sla-policies/auto-close': () => ({ afterSeconds: 5 * 24 * 3600 }),
  'put /api/v1/sla-policies/:severity/:complexity': () => ({
    clock: 'business',
    responseTargetSeconds: 4 * 3600,
    restoreTargetSeconds: 8 * 3600,
    statusReportIntervalSeconds: null,
  }),
  'put /api/v1/calendar/holidays/:date': () => ({ name: '창립기념일', kind: 'company' }),
  'post /api/v1/contacts': () => ({ name: 'fuzz 담당', email: 'fuzz@customer.example', audience: 'engineer', hours: 'business' }),
  'post /api/v1/tokens': () => ({ name: 'fuzz-holder', role: 'auditor' }),
  'post /api/v1/audit/workflows/:workflowId/export': () => ({ reason: '감사 요청' }),
  'post /api/v1/sla/what-if': () => ({
    from: '2026-01-01',
    to: '2026-04-01',
    policies: [{ severity: 'P1', complexity: 'complex', clock: '24x7', responseTargetSeconds: 900, restoreTargetSeconds: 10800 }],
  }),
  'post /api/v1/audit/anchors': () => ({ reason: '분기 감사' }),
  'post /api/v1/sla/what-if/report.pdf': () => ({ from: '2026-01-01', to: '2026-04-01' }),
};

// ---- real entities for the path parameters, made in beforeAll through the API ------------------

/** Path parameters per mutating route: entities in the state the route acts from. */
const PARAMS: Record<string, Record<string, string>> = {};

async function ok(method: string, p: string, body: unknown, status: number, role: Role = 'admin'): Promise<Json> {
  const res = await h.call(method, p, { token: h.tokens[role], body });
  if (res.status !== status) throw new Error(`${method.toUpperCase()} ${p} → ${res.status} ${res.text} (expected ${status})`);
  return res.body;
}

async function until(p: string, done: (x: Json) => boolean, timeoutMs = 90_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.call('get', p, { token: h.tokens.auditor });
    if (res.status === 200 && done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`${p} stayed ${res.status} ${res.text.slice(0, 300)}`);
    await sleep(250);
  }
}

/** An incident brought through `steps` (each an action and its body). */
async function incident(steps: Array<[string, unknown]>): Promise<string> {
  const { id } = await ok('post', '/api/v1/incidents', INCIDENT, 201);
  for (const [action, body] of steps) await ok('post', `/api/v1/incidents/${id}/${action}`, body, 200);
  return id;
}
const ASSIGN: [string, unknown] = ['assign', { assignee: 'eng-park' }];
const START: [string, unknown] = ['start', {}];
const RESOLVE: [string, unknown] = ['resolve', { resolution: '복구' }];

async function line(dn: string, until_: 'PENDING_CONTRACT' | 'ACTIVE' | 'TERMINATING' | 'TERMINATION_SCHEDULED'): Promise<string> {
  const { id } = await ok('post', '/api/v1/lines/provisioning', { center: '상담 1센터', dn, displayName: `fuzz ${dn}`, lineType: 'extension' }, 201);
  if (until_ === 'PENDING_CONTRACT') return id;
  await ok('post', `/api/v1/lines/${id}/contract`, CONTRACT, 200);
  await until(`/api/v1/lines/${id}`, (l) => l.status === 'ACTIVE');
  if (until_ === 'ACTIVE') return id;
  await ok(
    'post',
    `/api/v1/lines/${id}/termination`,
    until_ === 'TERMINATION_SCHEDULED' ? { reason: '예약', effectiveDate: '2099-01-04' } : { reason: '축소' },
    202,
  );
  return id;
}

/** An agent's line whose termination could not delete its CTI user (an injected fault on that user only): TERMINATION_FAILED. */
async function failedTermination(dn: string): Promise<string> {
  const agent = { loginId: `fuzz.stuck${dn}@center1.example`, name: 'fuzz 잔류', team: '상담1팀', skills: [] };
  const { id } = await ok('post', '/api/v1/lines/provisioning', { center: '상담 1센터', dn, displayName: `fuzz ${dn}`, lineType: 'extension', agent }, 201);
  await ok('post', `/api/v1/lines/${id}/contract`, CONTRACT, 200);
  const active = await until(`/api/v1/lines/${id}`, (l) => l.status === 'ACTIVE');
  const user = active.installed.find((i: { kind: string }) => i.kind === 'cti-agent');
  const faults = h.vendors!.emulator.faults;
  faults.add({ route: { method: 'DELETE', path: `/api/v2/users/${user.agentId}` }, failAlways: { status: 503 } });
  await ok('post', `/api/v1/lines/${id}/termination`, { reason: '해지 실패 준비' }, 202);
  await until(`/api/v1/lines/${id}`, (l) => l.step.includes('equipment'));
  await ok('post', `/api/v1/lines/${id}/equipment-returned`, {}, 200);
  await until(`/api/v1/lines/${id}`, (l) => l.status === 'TERMINATION_FAILED', 180_000);
  // The CTI is healthy again: a retry the fuzz gets through can finish the termination.
  faults.set(faults.current().filter((r) => r.route?.path !== `/api/v2/users/${user.agentId}`));
  return id;
}

/** An agent on the CTI: a change naming one that does not exist is refused at submission. */
async function ctiAgent(loginId: string): Promise<void> {
  await h.vendors!.cti.createAgent({ loginId, name: 'fuzz 상담원' }, { key: `fuzz:agent:${loginId}` });
}

async function change(target: string): Promise<string> {
  await ctiAgent(target);
  const body = { type: 'agent-account', target, params: { state: 'inactive' }, window: { start: inDays(40), end: inDays(40, 1) }, reason: 'fuzz' };
  return (await ok('post', '/api/v1/changes', body, 201)).id;
}

async function inspection(period: string): Promise<string> {
  const { id } = await ok('post', '/api/v1/inspections', { period }, 201);
  await until(`/api/v1/inspections/${id}`, (s) => s.status === 'AWAITING_REVIEW');
  return id;
}

async function qsr(quarter: string, withProposals = false): Promise<string> {
  const { id } = await ok('post', '/api/v1/qsr', { quarter }, 201);
  await until(`/api/v1/qsr/${id}`, (s) => s.status === 'AWAITING_REVIEW');
  if (withProposals) await ok('post', `/api/v1/qsr/${id}/proposals`, VALID['post /api/v1/qsr/:id/proposals']!(), 200);
  return id;
}

/** A KT bill of `month` (a line of the inventory over its contract: one finding), brought to `status`. */
async function bill(month: string, status: 'AWAITING_REVIEW' | 'APPROVED' | 'DISPUTED' | 'TO_DISPUTE'): Promise<string> {
  const csv = BILL_CSV.replaceAll('2024-01', month).replaceAll('2024-02-25', `${month}-28`);
  const res = await h.call('post', `/api/v1/bills?carrier=KT&month=${month}`, { token: h.tokens.spm, body: csv, headers: { 'content-type': 'text/csv' } });
  if (res.status !== 201) throw new Error(`bill ${month} → ${res.status} ${res.text}`);
  const id: string = res.body.id;
  await until(`/api/v1/bills/${id}`, (b) => b.status === 'AWAITING_REVIEW');
  if (status === 'APPROVED') await ok('post', `/api/v1/bills/${id}/approve`, {}, 200);
  if (status === 'TO_DISPUTE') findingToDispute = (await ok('get', `/api/v1/bills/${id}/findings`, undefined, 200)).items[0].id;
  if (status === 'DISPUTED') {
    const { items } = await ok('get', `/api/v1/bills/${id}/findings`, undefined, 200);
    await ok('post', `/api/v1/bills/${id}/dispute`, { findingIds: [items[0].id], carrierReference: 'KT-FUZZ-0' }, 200);
    disputeToSettle = `${id}-D1`;
  }
  return id;
}

async function billingReport(month: string): Promise<string> {
  const { id } = await ok('post', '/api/v1/billing-reports', { month }, 201);
  await until(`/api/v1/billing-reports/${id}`, (s) => s.status === 'AWAITING_REVIEW');
  return id;
}

const FIXTURES: Record<string, () => Promise<Record<string, string>>> = {
  'post /api/v1/billing-reports/:id/approve': async () => ({ id: await billingReport('2022-01') }),
  'post /api/v1/billing-reports/:id/return': async () => ({ id: await billingReport('2022-02') }),
  'post /api/v1/bills/:id/approve': async () => ({ id: await bill('2023-01', 'AWAITING_REVIEW') }),
  'post /api/v1/bills/:id/dispute': async () => ({ id: await bill('2023-02', 'TO_DISPUTE') }),
  'post /api/v1/bills/:id/settle': async () => ({ id: await bill('2023-03', 'DISPUTED') }),
  'post /api/v1/bills/:id/pay': async () => ({ id: await bill('2023-04', 'APPROVED') }),
  'post /api/v1/bills/:id/withdraw': async () => ({ id: await bill('2023-05', 'AWAITING_REVIEW') }),
  'put /api/v1/bill-profiles/:carrier': async () => ({ carrier: 'LGU' }),
  'post /api/v1/incidents/:id/rca': async () => ({ id: await incident([ASSIGN, START]) }),
  'post /api/v1/incidents/:id/report/publish': async () => ({
    id: await incident([ASSIGN, START, RESOLVE, ['rca', VALID['post /api/v1/incidents/:id/rca']!()]]),
  }),
  'post /api/v1/incidents/:id/assign': async () => ({ id: await incident([]) }),
  'post /api/v1/incidents/:id/start': async () => ({ id: await incident([ASSIGN]) }),
  'post /api/v1/incidents/:id/pend': async () => ({ id: await incident([ASSIGN, START]) }),
  'post /api/v1/incidents/:id/resume': async () => ({ id: await incident([ASSIGN, START, ['pend', { reason: 'customer' }]]) }),
  'post /api/v1/incidents/:id/resolve': async () => ({ id: await incident([ASSIGN, START]) }),
  'post /api/v1/incidents/:id/reopen': async () => ({ id: await incident([ASSIGN, START, RESOLVE]) }),
  'post /api/v1/incidents/:id/close': async () => ({ id: await incident([ASSIGN, START, RESOLVE]) }),
  'post /api/v1/incidents/:id/cancel': async () => ({ id: await incident([]) }),
  'post /api/v1/incidents/:id/escalate': async () => ({ id: await incident([]) }),
  'post /api/v1/incidents/:id/notes': async () => ({ id: await incident([]) }),
  'post /api/v1/lines/:id/contract': async () => ({ id: await line('48001', 'PENDING_CONTRACT') }),
  'post /api/v1/lines/:id/termination': async () => ({ id: await line('48002', 'ACTIVE') }),
  'post /api/v1/lines/:id/equipment-returned': async () => ({ id: await line('48003', 'TERMINATING') }),
  'post /api/v1/lines/:id/termination/cancel': async () => ({ id: await line('48004', 'TERMINATION_SCHEDULED') }),
  'post /api/v1/lines/:id/termination/retry': async () => ({ id: await failedTermination('48005') }),
  'post /api/v1/lines/:id/cancel': async () => ({ id: await line('48006', 'PENDING_CONTRACT') }),
  'post /api/v1/line-batches/:id/contract': async () => ({
    id: (
      await ok(
        'post',
        '/api/v1/line-batches',
        { center: '상담 1센터', lines: ['48210', '48211'].map((dn) => ({ dn, displayName: `fuzz ${dn}`, lineType: 'extension' })) },
        201,
      )
    ).id,
  }),
  'post /api/v1/changes/:id/approve': async () => ({ id: await change('fuzz.approve@center1.example') }),
  'post /api/v1/changes/:id/reject': async () => ({ id: await change('fuzz.reject@center1.example') }),
  'post /api/v1/changes/:id/cancel': async () => ({ id: await change('fuzz.cancel@center1.example') }),
  'post /api/v1/inspections/:id/approve': async () => ({ id: await inspection('2025-01') }),
  'post /api/v1/inspections/:id/return': async () => ({ id: await inspection('2025-02') }),
  'post /api/v1/qsr/:id/approve': async () => ({ id: await qsr('2025-Q1', true) }),
  'post /api/v1/qsr/:id/return': async () => ({ id: await qsr('2025-Q2') }),
  'post /api/v1/qsr/:id/proposals': async () => ({ id: await qsr('2025-Q3') }),
  'post /api/v1/contacts': async () => ({}),
  'delete /api/v1/contacts/:id': async () => ({ id: String((await ok('post', '/api/v1/contacts', VALID['post /api/v1/contacts']!(), 201)).id) }),
  'delete /api/v1/tokens/:id': async () => ({ id: String((await ok('post', '/api/v1/tokens', VALID['post /api/v1/tokens']!(), 201)).id) }),
  'post /api/v1/audit/workflows/:workflowId/export': async () => ({ workflowId: `incident-${await incident([])}` }),
  // The policy the fuzz incidents are opened under; the fuzz of this route runs after every other.
  'put /api/v1/sla-policies/:severity/:complexity': async () => ({ severity: 'P4', complexity: 'simple' }),
  'put /api/v1/calendar/holidays/:date': async () => ({ date: '2099-12-31' }),
  'put /api/v1/trunks/:trunk': async () => ({ trunk: '42' }),
  'delete /api/v1/calendar/holidays/:date': async () => {
    await ok('put', '/api/v1/calendar/holidays/2099-12-30', { name: 'fuzz 휴일', kind: 'company' }, 201);
    return { date: '2099-12-30' };
  },
};

// ---- state: PostgreSQL and Temporal ---------------------------------------------------------------

/** The tables the migrations create (their Up sections), less those they drop again. */
function migrationTables(): string[] {
  const dir = path.join(__dirname, '../../db/migrations');
  const tables = new Set<string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const up = readFileSync(path.join(dir, file), 'utf8').split(/^--\s*Down Migration/im)[0]!;
    for (const m of up.matchAll(/\b(CREATE|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"?([A-Za-z_][A-Za-z0-9_]*)"?/gi)) {
      if (m[1]!.toUpperCase() === 'CREATE') tables.add(m[2]!.toLowerCase());
      else tables.delete(m[2]!.toLowerCase());
    }
  }
  return [...tables].sort();
}
const TABLES = migrationTables();
/**
 * Per table, a hash of its row versions: every INSERT, UPDATE or DELETE — even one writing the
 * same values — changes a row's (ctid, xmin). Cheaper than hashing the rows' text (reports holds
 * PDFs), and stricter: a refused request may not write at all.
 */
const TABLE_HASH_SQL = TABLES.map(
  (t) => `SELECT '${t}' AS t, md5(coalesce(string_agg(x.ctid::text || x.xmin::text, ',' ORDER BY x.ctid), '')) AS h FROM ${t} x`,
).join(' UNION ALL ');

interface Fingerprint {
  /** Table → md5 of its rows. */
  tables: Record<string, string>;
  /** "workflowId runId STATUS" of every workflow visibility lists in the namespace. */
  workflows: string[];
  /** The route's own entity's workflows, strongly consistent (describe): workflowId → "STATUS historyLength". */
  targets: Record<string, string>;
}

async function visibleWorkflows(): Promise<string[]> {
  const out: string[] = [];
  // A line or change request's preflight (workflows/preflight) only reads the PBX and the CTI: a refused
  // request may have run one (that is how it was refused), and it changes nothing, so it is not state here.
  for await (const wf of h.client.workflow.list({ query: `WorkflowType != "preflightWorkflow"` })) out.push(`${wf.workflowId} ${wf.runId} ${wf.status.name}`);
  return out.sort();
}

async function fingerprint(targetIds: readonly string[]): Promise<Fingerprint> {
  const [{ rows }, workflows] = await Promise.all([h.pool.query<{ t: string; h: string }>(TABLE_HASH_SQL), visibleWorkflows()]);
  const targetWorkflows = [...new Set(workflows.map((w) => w.split(' ')[0]!))].filter((wid) => targetIds.some((id) => wid.includes(id)));
  const targets: Record<string, string> = {};
  await Promise.all(
    targetWorkflows.map(async (wid) => {
      const d = await h.client.workflow.getHandle(wid).describe();
      targets[wid] = `${d.status.name} ${d.historyLength}`;
    }),
  );
  return { tables: Object.fromEntries(rows.map((r) => [r.t, r.h])), workflows, targets };
}

function differences(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const t of TABLES) if (before.tables[t] !== after.tables[t]) out.push(`table ${t} changed`);
  const was = new Set(before.workflows);
  const is = new Set(after.workflows);
  for (const w of after.workflows) if (!was.has(w)) out.push(`workflow appeared/changed: ${w}`);
  for (const w of before.workflows) if (!is.has(w)) out.push(`workflow vanished/changed: ${w}`);
  for (const [wid, state] of Object.entries(after.targets)) {
    if (before.targets[wid] !== undefined && before.targets[wid] !== state) out.push(`workflow ${wid}: ${before.targets[wid]} → ${state}`);
  }
  return out;
}

/**
 * Waits until nothing is under way — no open workflow with a pending activity, a child not yet started or a workflow
 * task — and two fingerprints 100 ms apart agree (the audit trail appends just after a response).
 */
async function settle(targetIds: readonly string[], timeoutMs = 60_000): Promise<Fingerprint> {
  const deadline = Date.now() + timeoutMs;
  let busy: string[] = [];
  while (Date.now() < deadline) {
    const running: string[] = [];
    for await (const wf of h.client.workflow.list({ query: 'ExecutionStatus="Running"' })) running.push(wf.workflowId);
    const described = await Promise.all(running.map((wid) => h.client.workflow.getHandle(wid).describe()));
    busy = described
      // A child not yet started is the parent's work under way; a started one is a workflow of the list, judged on its own
      // (a batch of lines follows children that wait days for their contract).
      .filter(({ raw }) => (raw.pendingActivities?.length ?? 0) > 0 || (raw.pendingChildren ?? []).some((c) => !c.runId) || raw.pendingWorkflowTask)
      .map((d) => d.workflowId);
    if (busy.length === 0) {
      const a = await fingerprint(targetIds);
      await sleep(100);
      const b = await fingerprint(targetIds);
      if (differences(a, b).length === 0) return b;
    } else {
      await sleep(200);
    }
  }
  throw new Error(`the workflows did not settle within ${timeoutMs} ms; busy: ${busy.join(', ')}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- generated requests ---------------------------------------------------------------------------

interface FuzzRequest {
  kind: string;
  /** Path parameters; undefined: the route's real entity. */
  params?: Record<string, string>;
  /** The raw body (JSON text unless contentType says otherwise); undefined: none. */
  body?: string;
  contentType?: string;
  idempotencyKey?: string;
}

/** n nested arrays or objects around a leaf. */
const nest = (n: number, leaf: unknown, asObject: boolean): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = asObject ? { a: v } : [v];
  return v;
};

/** Values a field should refuse: any JSON, strings with NUL, huge or odd numbers, deep nesting, long strings. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 2 ** 31, 2 ** 31 - 1, 1e21, -1, -0, 0, 0.5, 1e-300, 90 * 24 * 3600 + 1),
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    'null',
    'NaN',
    '1e309',
    '-0',
    '0x10',
    '2026-02-30',
    '2026-13-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    "' OR 1=1 --",
    '$1',
    '%00',
    '\u202e',
    '🚀'.repeat(50),
  ),
  fc.integer({ min: 1_001, max: 12_000 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.integer({ min: 2, max: 3_000 }), fc.boolean()).map(([n, asObject]) => nest(n, 1, asObject)),
  fc.array(fc.jsonValue(), { maxLength: 60 }),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue(), { maxKeys: 10 }),
);

/** Every path into a JSON value: object keys and array indices, outermost first. */
function valuePaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...at, i], ...valuePaths(v, [...at, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...at, k], ...valuePaths(v, [...at, k])]);
  return [];
}

function setAt(value: unknown, at: ReadonlyArray<string | number>, replacement: unknown, remove = false): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const step of at.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (remove && Array.isArray(node)) node.splice(Number(last), 1);
  else if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Raw bodies no parser should choke on: truncated, invalid or enormous JSON, prototype keys. */
const malformed = (sample: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('{', '}', '{"a":', '[1,2', 'nul', 'tru', '{"a":1}}', "{'a':1}", '{"a":1,}', '\u0000', '', ' ', 'NaN', '1e99999', '"\\ud800"'),
    fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', `{"__proto__":null,${sample.slice(1)}`),
    fc.string({ maxLength: 200 }),
    fc.integer({ min: 0, max: Math.max(0, sample.length - 1) }).map((n) => sample.slice(0, n)),
    fc
      .tuple(fc.integer({ min: 1_000, max: 49_000 }), fc.boolean())
      .map(([n, asObject]) => (asObject ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`)),
    fc.constant(`{"a":"${'x'.repeat(110_000)}"}`),
  );

function requestsFor(route: AnyRoute): fc.Arbitrary<FuzzRequest> {
  const csv = route.bodyContentType === 'text/csv' || route.fileBody?.contentTypes.includes('text/csv') === true;
  const contentType = route.bodyContentType ?? (route.fileBody ? 'text/csv' : 'application/json');
  const sample = VALID[key(route)]?.() ?? {};
  const sampleText = typeof sample === 'string' ? sample : JSON.stringify(sample);
  const json =
    (kind: string) =>
    (v: unknown): FuzzRequest => ({ kind, body: JSON.stringify(v) ?? 'null', contentType: 'application/json' });
  const paths = valuePaths(sample);

  const bodies: Array<fc.Arbitrary<FuzzRequest>> = [
    fc.jsonValue().map(json('any JSON')),
    malformed(sampleText).map((body) => ({ kind: 'malformed JSON', body, contentType: 'application/json' })),
    fc
      .tuple(
        fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'text/csv', 'application/xml'),
        fc.oneof(fc.constant(sampleText), fc.string()),
      )
      .map(([ct, body]) => ({ kind: 'odd content type', body, contentType: ct })),
    fc.constant({ kind: 'no body' }),
    // The valid body itself: accepted once, then a conflict or an invalid transition (with or without an Idempotency-Key).
    fc.constant({ kind: 'valid body', body: sampleText, contentType }),
  ];
  if (csv) {
    const lines = sampleText.split('\r\n');
    bodies.push(
      fc.tuple(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: 3 }), junk).map(([l, c, v]) => {
        const cells = lines.map((x) => x.split(','));
        if (cells[l]![c] !== undefined) cells[l]![c] = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
        return { kind: 'near-valid CSV', body: cells.map((x) => x.join(',')).join('\r\n'), contentType };
      }),
      fc.string({ maxLength: 500 }).map((s) => ({ kind: 'text', body: s, contentType })),
    );
  } else if (paths.length > 0) {
    bodies.push(
      fc.tuple(fc.constantFrom(...paths), junk).map(([at, v]) => json(`near-valid: ${at.join('.')} replaced`)(setAt(sample, at, v))),
      fc.tuple(fc.constantFrom(...paths), junk).map(([at, v]) => json(`near-valid: ${at.join('.')} replaced`)(setAt(sample, at, v))),
      fc.constantFrom(...paths).map((at) => json(`near-valid: ${at.join('.')} removed`)(setAt(sample, at, undefined, true))),
      fc.tuple(fc.string({ maxLength: 30 }), junk).map(([k, v]) => json('near-valid: unknown key')({ ...(sample as object), [k]: v })),
      fc.constantFrom([sample], sampleText, null).map(json('valid body, wrong type')),
    );
  }
  const names = pathParamNames(route);
  const junkParam: fc.Arbitrary<[string, string] | null> = names.length
    ? fc.tuple(fc.constantFrom(...names), fc.oneof(fc.string(), fc.constantFrom("INC-000001' OR '1'='1", '0', '-1', '2147483648', '1e3', '..', '%')))
    : fc.constant(null);
  return fc
    .record({
      body: fc.oneof(...bodies),
      // Mostly the real entity; sometimes junk in a path parameter.
      junkParam: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: junkParam }),
      // Sometimes an Idempotency-Key: a refused create must not keep it.
      idempotencyKey: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.stringMatching(/^[!-~]{1,40}$/) }),
    })
    .map(({ body, junkParam, idempotencyKey }) => {
      const req: FuzzRequest = {
        ...body,
        ...(junkParam ? { params: { ...PARAMS[key(route)], [junkParam[0]]: junkParam[1] }, kind: `${body.kind}, junk :${junkParam[0]}` } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      // How fast-check prints a counterexample: bodies of 100 KB cut short.
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(route, req) });
    });
}

/** 40 000 nested arrays in 80 KB: within the body limit, far past any recursive walk's stack. */
function deeplyNested(route: AnyRoute): FuzzRequest {
  const req: FuzzRequest = { kind: 'deeply nested JSON', body: `${'['.repeat(40_000)}${']'.repeat(40_000)}`, contentType: 'application/json' };
  return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(route, req) });
}

function describeRequest(route: AnyRoute, req: FuzzRequest, res?: CallResult): string {
  const body = req.body === undefined ? '(none)' : req.body.length > 300 ? `${req.body.slice(0, 300)}… (${req.body.length} chars)` : req.body;
  return `${route.method.toUpperCase()} ${route.path} [${req.kind}] params=${JSON.stringify(req.params ?? PARAMS[key(route)])} content-type=${req.contentType ?? '-'}${req.idempotencyKey ? ` idempotency-key=${JSON.stringify(req.idempotencyKey)}` : ''} body=${body}${res ? ` → ${res.status} ${res.text.slice(0, 300)}` : ''}`;
}

// ---- the tests ------------------------------------------------------------------------------------

const covered = new Set<string>();
let baseline: Fingerprint;

beforeAll(async () => {
  // The agent the valid change body names is on the CTI: a change on a missing one is refused at submission.
  await ctiAgent('fuzz.change@center1.example');
  // All at once: each fixture has entities of its own (DNs, periods, targets), so they cannot meet.
  await Promise.all(
    MUTATING.filter((r) => FIXTURES[key(r)]).map(async (r) => {
      PARAMS[key(r)] = await FIXTURES[key(r)]!().catch((err: unknown) => {
        throw new Error(`fixture of ${key(r)}: ${String(err)}`);
      });
    }),
  );
}, 300_000);

test('the route table is the app’s, and every mutating route has a valid body and real entities for its parameters', () => {
  expect(MUTATING.map(key).sort()).toEqual(h.routes.filter(isMutating).map(key).sort());
  const missingBody = MUTATING.filter((r) => r.body && !VALID[key(r)]).map(key);
  const missingEntity = MUTATING.filter((r) => pathParamNames(r).length > 0 && !PARAMS[key(r)]).map(key);
  expect({ missingBody, missingEntity }).toEqual({ missingBody: [], missingEntity: [] });
  for (const r of MUTATING) {
    if (r.body) expect({ route: key(r), valid: r.body.safeParse(VALID[key(r)]!()).success }).toEqual({ route: key(r), valid: true });
    if (r.params) expect({ route: key(r), params: r.params.safeParse(PARAMS[key(r)]).success }).toEqual({ route: key(r), params: true });
  }
});

test('the state fingerprint covers every table of the migrations', async () => {
  const { rows } = await h.pool.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'pgmigrations' ORDER BY 1`,
  );
  expect(TABLES).toEqual(rows.map((r) => r.t));
  expect(TABLES).toEqual(expect.arrayContaining(['audit_log', 'incidents', 'idempotency_keys', 'lines', 'changes', 'inspections', 'qsrs']));
});

describe.each(MUTATING.map((r) => [key(r), r] as const))('%s', (routeKey, stub) => {
  test(`${RUNS} generated requests: never 5xx; a refusal has the error shape and changes nothing`, async () => {
    const route = h.routes.find((r) => key(r) === routeKey) ?? stub;
    const role: Role = route.roles.includes('admin') ? 'admin' : route.roles[0]!;
    // The business ids in the path (INC-000001, LN-000002, incident-INC-000003…): their workflows' histories are watched.
    const entityIds = Object.values(PARAMS[routeKey] ?? {}).flatMap((v) => v.match(/[A-Z]+-\d{6,}/) ?? []);
    baseline = await settle(entityIds);
    let accepted = 0;
    let last = '(none)';

    await fc.assert(
      fc.asyncProperty(requestsFor(route), async (req) => {
        const params = req.params ?? PARAMS[routeKey] ?? sampleParams(route);
        const headers: Record<string, string> = {};
        if (req.contentType) headers['content-type'] = req.contentType;
        if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
        const res = await h.call(route.method, fillPath(route.path, params) + (QUERY[routeKey] ?? ''), { token: h.tokens[role], body: req.body, headers });
        const what = describeRequest(route, req, res);

        try {
          expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
          if (res.status >= 400) {
            const error = res.body?.error;
            expect({ what, keys: Object.keys(res.body ?? {}), errorKeys: Object.keys(error ?? {}).sort() }).toEqual({
              what,
              keys: ['error'],
              errorKeys: ['code', 'details', 'message'],
            });
            expect({ what, code: error.code, message: typeof error.message }).toEqual({ what, code: expect.stringMatching(/^[A-Z_]+$/), message: 'string' });
            const changed = differences(baseline, await fingerprint(entityIds));
            expect({ what, lateWriteOfPrevious: last, changed }).toEqual({ what, lateWriteOfPrevious: last, changed: [] });
            last = what;
            return;
          }
        } catch (err) {
          // A fresh baseline, so that fast-check's shrinking judges each smaller request on its own.
          baseline = await settle(entityIds);
          last = '(failed, re-baselined)';
          throw err;
        }
        accepted++;
        // Wait for a new entity's workflow to be listed, then for the work it started to finish.
        const newId = typeof res.body?.id === 'string' && /^[A-Z]+-\d+$/.test(res.body.id) ? res.body.id : undefined;
        if (newId) await waitForWorkflowOf(newId);
        baseline = await settle(entityIds);
        last = '(accepted, re-baselined)';
      }),
      // First, always: the body that once overflowed the stack (a 500 in the NUL check; a crash in the audit trail of an accepted DELETE).
      { numRuns: RUNS, examples: [[deeplyNested(route)]], ...REPLAY },
    );

    // A write that lands after its response (the audit trail's, say) is caught here if not before.
    await sleep(150);
    expect({ route: routeKey, changed: differences(baseline, await fingerprint(entityIds)) }).toEqual({ route: routeKey, changed: [] });
    covered.add(routeKey);
    // A route that accepted every request would have tested nothing about refusals.
    expect(accepted).toBeLessThan(RUNS);
  });
});

test('every mutating route of the table was fuzzed (a new route cannot escape it)', () => {
  expect([...covered].sort()).toEqual(h.routes.filter(isMutating).map(key).sort());
});

async function waitForWorkflowOf(id: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await visibleWorkflows()).some((w) => w.split(' ')[0]!.includes(id))) return;
    await sleep(100);
  }
  // Not every created thing is a workflow's (a contact is a row): the settle that follows still holds.
}
