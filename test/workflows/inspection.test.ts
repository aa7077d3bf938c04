import type { AuditAnchor } from '../../domain/audit/seal';
import { verifyAuditChain } from '../../db/audit.repo';
import { testAuditSigner } from '../../runtime/embedded-worker';
import { createHash } from 'node:crypto';
import { demoDevices } from '../../db/device-seed';
import { upsertDevices, type DeviceRow } from '../../db/devices.repo';
import type { Finding, InspectionState } from '../../domain/inspection/contracts';
import { defaultPayloadConverter } from '@temporalio/common';
import { inspectionWorkflowId } from '../../workflows/inspection/messages';
import { SUBJECTS, useHarness } from '../api/harness';
import { mailWithKey, useSmtpReceiver } from '../activities/notifications/local-receivers';
import { pdfBytesText } from '../reports/pdf-harness';
import { seedEmergencyChange } from '../support/emergency-changes';
import type { Json } from '../support/json';

/**
 * The monthly inspection (domain.md process 5) end to end over HTTP: a real worker
 * whose collectors read the real Kamailio, the CTI emulator and the TELEMETRY
 * SIMULATOR (values pinned, one system made to fail), findings by the default rules,
 * an incident per critical finding, the report stored and e-mailed once approved.
 */

const PERIOD = '2026-10';
const C1 = '상담1센터';
const C2 = '상담2센터';
const CUSTOMER = 'ops-report@customer.example';
const GIB = 2 ** 30;
const DAY_MS = 86_400_000;

const smtp = useSmtpReceiver();
const h = useHarness({ vendors: true, mail: smtp.mail });

/** Seoul's calendar date `days` from today: asset dates relative to the real clock, so the verdicts do not age. */
const seoulDate = (days: number) => new Date(Date.now() + 9 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);

/**
 * 상담1센터: every system (12 devices); 상담2센터: three IVR servers and two switches.
 * End dates cleared, but for one switch whose EOS is 100 days away (a warning).
 */
const DEVICES: DeviceRow[] = demoDevices()
  .filter((d) => d.center === C1 || (d.center === C2 && (d.system === 'IVR' || d.system === 'NET')))
  .map((d) => ({ ...d, eosDate: d.id === 'C1-NET-02' ? seoulDate(100) : null, eolDate: null }));
const C2_IVR = DEVICES.filter((d) => d.center === C2 && d.system === 'IVR').map((d) => d.id);

beforeAll(async () => {
  await upsertDevices(h.pool, DEVICES);
  // An emergency change of the month whose customer approval did not come within 24 h.
  await seedEmergencyChange(h.pool, { id: 'CHG-700002', target: '점검 긴급 휴일', appliedAt: '2026-10-14T05:00:00.000Z', retro: 'missing' });

  const healthy = (d: DeviceRow) => [
    { name: 'cpu', value: 21.5, capacity: 100, unit: 'percent' },
    { name: 'memory', value: 12 * GIB, capacity: 32 * GIB, unit: 'bytes' },
    { name: 'disk', value: 300e9, capacity: 960e9, unit: 'bytes' },
    ...(d.system === 'NET' ? [{ name: 'ports', value: 12, capacity: 48, unit: 'count' }] : []),
  ];
  const recently = new Date(Date.now() - 3_600_000).toISOString();
  for (const d of DEVICES) {
    await simulator('PUT', `/devices/${d.id}/metrics`, { metrics: healthy(d) });
    await simulator('PUT', `/backups/${d.id}`, { jobs: [{ job: 'config', lastSuccessAt: recently, lastAttemptAt: recently, status: 'ok' }] });
  }
  // One device past the critical line (95 %), one past the warning line (80 %).
  await simulator('PUT', '/devices/C1-REC-01/metrics', {
    metrics: healthy(DEVICES[0]!).map((m) => (m.name === 'memory' ? { ...m, value: 0.97 * 32 * GIB } : m)),
  });
  await simulator('PUT', '/devices/C1-IVR-02/metrics', {
    metrics: healthy(DEVICES[0]!).map((m) => (m.name === 'memory' ? { ...m, value: 0.85 * 32 * GIB } : m)),
  });
  // Every IVR server of 상담2센터 is unreachable for its metrics (its backups still answer).
  for (const deviceId of C2_IVR) await simulator('POST', '/faults', { match: { deviceId, path: '/v1/devices/' }, kind: 'error', status: 503 });
  await simulator('DELETE', '/requests');

  const contact = await call('post', '/api/v1/contacts', h.tokens.spm, { name: '고객사 운영팀', email: CUSTOMER, audience: 'customer', hours: 'always' });
  expect(contact.status).toBe(201);
});

async function simulator(method: string, route: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${h.vendors!.telemetrySimulator.url}/__simulator${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} /__simulator${route} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

function call(method: string, route: string, token: string, body?: unknown) {
  return h.call(method, route, { token, body });
}

/** Polls GET /inspections/:id until `done` holds: the workflow runs in real time. */
async function until(id: string, done: (s: InspectionState) => boolean, timeoutMs = 90_000): Promise<InspectionState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('get', `/api/v1/inspections/${id}`, h.tokens.auditor);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`inspection ${id} stayed ${res.body.status} (${res.body.progress.done}/${res.body.progress.total})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(): Promise<InspectionState> {
  const res = await call('post', '/api/v1/inspections', h.tokens.spm, { period: PERIOD });
  expect(res.status).toBe(201);
  return res.body;
}

const finding = (s: InspectionState, key: string): Finding | undefined => s.findings.find((f) => f.key === key);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CRITICAL_KEY = 'memory-usage:C1-REC-01:memory';
const FAILED_KEY = `collection-failed:${C2}/IVR:-`;

describe('a monthly inspection of two centers, one system failing', () => {
  let first: InspectionState;
  let incidentId: string;

  it('POST → 201 RUNNING with one collector per center and system that has devices', async () => {
    const started = await start();
    expect(started).toMatchObject({ id: expect.stringMatching(/^INS-\d{6}$/), period: PERIOD, status: 'RUNNING', centers: [C1, C2] });
    expect(started.requestedBy).toEqual({ id: SUBJECTS.spm, role: 'spm' });
    // 상담1센터: PBX CTI IVR REC ERS NET + BACKUP ASSET; 상담2센터: IVR NET + BACKUP ASSET.
    expect(started.collectors.map((c) => `${c.center}/${c.system}`)).toEqual([
      ...['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET', 'BACKUP', 'ASSET'].map((s) => `${C1}/${s}`),
      ...['IVR', 'NET', 'BACKUP', 'ASSET'].map((s) => `${C2}/${s}`),
    ]);
    expect(started.progress.total).toBe(12);

    first = await until(started.id, (s) => s.status !== 'RUNNING');
    expect(first.status).toBe('AWAITING_REVIEW');
    expect(first.failure).toBeNull();
  });

  it('every collector ran: progress done = total; the unreachable system is failed with why, the others done', () => {
    expect(first.progress).toEqual({ done: 12, total: 12 });
    const failed = first.collectors.filter((c) => c.status !== 'done');
    expect(failed).toEqual([expect.objectContaining({ center: C2, system: 'IVR', status: 'failed' })]);
    expect(failed[0]!.error).toMatch(/all 3 device\(s\) failed/);
    expect(failed[0]!.error).toMatch(/\/v1\/devices\/C2-IVR-0\d\/metrics → 503/);
    expect(first.collectors.find((c) => c.center === C1 && c.system === 'REC')).toMatchObject({ status: 'done', devices: 2 });
    expect(first.collectors.find((c) => c.center === C2 && c.system === 'BACKUP')).toMatchObject({ status: 'done', devices: 5 });
  });

  it('the failing collector was retried before it was given up (three attempts per device)', async () => {
    for (const deviceId of C2_IVR) {
      const log = await simulator('GET', `/requests?path=/v1/devices&deviceId=${deviceId}`);
      expect({ deviceId, total: log.total, statuses: log.requests.map((r: { status: number }) => r.status) }).toEqual({
        deviceId,
        total: 3,
        statuses: [503, 503, 503],
      });
    }
  });

  it('findings: the planted critical and warning, the collection failure, the EOS warning, each with its threshold', () => {
    expect(finding(first, CRITICAL_KEY)).toMatchObject({
      ruleId: 'memory-usage',
      center: C1,
      system: 'REC',
      deviceId: 'C1-REC-01',
      severity: 'critical',
      threshold: 0.95,
    });
    expect(finding(first, CRITICAL_KEY)!.value).toBeCloseTo(0.97, 6);
    expect(finding(first, 'memory-usage:C1-IVR-02:memory')).toMatchObject({ severity: 'warning', threshold: 0.8 });
    expect(finding(first, 'memory-usage:C1-IVR-02:memory')!.value).toBeCloseTo(0.85, 6);
    expect(finding(first, FAILED_KEY)).toMatchObject({
      ruleId: 'collection-failed',
      center: C2,
      system: 'IVR',
      deviceId: null,
      severity: 'warning',
      value: null,
    });
    expect(finding(first, FAILED_KEY)!.error).toMatch(/all 3 device\(s\) failed/);
    expect(finding(first, 'hw-eos:C1-NET-02:eos')).toMatchObject({ severity: 'warning', value: 100, threshold: 180 });
    // Nothing else planted crosses a line: healthy pins, fresh backups, no other end dates.
    const pinnedKeys = first.findings
      .filter((f) => f.system !== 'PBX' && f.system !== 'CTI')
      .map((f) => f.key)
      .sort();
    expect(pinnedKeys).toEqual([CRITICAL_KEY, FAILED_KEY, 'hw-eos:C1-NET-02:eos', 'memory-usage:C1-IVR-02:memory'].sort());
    expect(new Set(first.findings.map((f) => f.key)).size).toBe(first.findings.length);
  });

  it('exactly one incident per critical finding, opened P3/simple on the device system and in the read model', async () => {
    const critical = first.findings.filter((f) => f.severity === 'critical');
    expect(critical.map((f) => f.key)).toContain(CRITICAL_KEY);
    expect(first.incidents.map((i) => i.findingKey).sort()).toEqual(critical.map((f) => f.key).sort());
    expect(new Set(first.incidents.map((i) => i.incidentId)).size).toBe(first.incidents.length);
    incidentId = first.incidents.find((i) => i.findingKey === CRITICAL_KEY)!.incidentId;

    const deadline = Date.now() + 30_000;
    let rows: Json[] = [];
    while (Date.now() < deadline) {
      ({ rows } = await h.pool.query('SELECT id, status, severity, complexity, system, center, source, title FROM incidents WHERE id = $1', [incidentId]));
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows).toEqual([
      {
        id: incidentId,
        status: 'OPEN',
        severity: 'P3',
        complexity: 'simple',
        system: 'REC',
        center: C1,
        source: 'monitoring',
        title: `[정기점검 ${PERIOD}] ${C1} C1-REC-01 memory 위험`,
      },
    ]);
    const claimed = await h.pool.query('SELECT finding_key, incident_id FROM finding_incidents WHERE period = $1 AND finding_key = $2', [PERIOD, CRITICAL_KEY]);
    expect(claimed.rows).toEqual([{ finding_key: CRITICAL_KEY, incident_id: incidentId }]);
  });

  it('the workflow passes references: collectors return counts, incidents and the report go by the inspection id, no finding is in its history', async () => {
    const history = await h.client.workflow.getHandle(inspectionWorkflowId(first.id)).fetchHistory();
    const events = history.events ?? [];
    const scheduled = new Map<string, { type: string; input: unknown }>();
    const results: Array<{ type: string; result: unknown }> = [];
    for (const e of events) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(e.eventId), { type: s.activityType!.name!, input: defaultPayloadConverter.fromPayload(s.input!.payloads![0]!) });
      const c = e.activityTaskCompletedEventAttributes;
      if (c) {
        const { type } = scheduled.get(String(c.scheduledEventId))!;
        results.push({ type, result: c.result?.payloads?.length ? defaultPayloadConverter.fromPayload(c.result.payloads[0]!) : undefined });
      }
    }
    const types = [...scheduled.values()].map((a) => a.type);
    expect(types).not.toContain('collectSystem');
    expect(types).not.toContain('claimFindingIncident');
    expect(events.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);

    // 11 collectors answered with how much they stored; the failed one's finding was recorded for it.
    const counts = results.filter((r) => r.type === 'inspectSystem').map((r) => r.result as Record<string, unknown>);
    expect(counts).toHaveLength(11);
    for (const c of counts)
      expect(c).toEqual({ devices: expect.any(Number), readings: expect.any(Number), findings: expect.any(Number), critical: expect.any(Number) });
    expect(counts.reduce((n, c) => n + (c.findings as number), 1)).toBe(first.findings.length);
    expect(first.collectors.reduce((n, c) => n + (c.findings ?? 0), 0)).toBe(first.findings.length);
    expect(types.filter((t) => t === 'recordCollectorFailure')).toHaveLength(1);

    const render = [...scheduled.values()].filter((a) => a.type === 'renderInspectionReport');
    expect(render).toEqual([{ type: 'renderInspectionReport', input: expect.objectContaining({ inspectionId: first.id, version: 1 }) }]);
    expect(render[0]!.input).not.toHaveProperty('state');
    expect(results.find((r) => r.type === 'openFindingIncidents')!.result).toEqual({ incidents: first.incidents.length });

    // No finding's text travels through the workflow: they are in the database, and the read model has them from there.
    const text = JSON.stringify(events, (key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
    expect(first.findings.length).toBeGreaterThan(3);
    expect(first.findings.filter((f) => text.includes(f.proposal.ko)).map((f) => f.key)).toEqual([]);
  });

  it('the report is stored, served with its hash, and its text has the device, the finding and the Korean headings', async () => {
    expect(first.report).toMatchObject({ reportId: `${first.id}-R1`, kind: 'inspection', subjectId: first.id, version: 1 });
    const { rows } = await h.pool.query('SELECT sha256, pdf FROM reports WHERE id = $1', [first.report!.reportId]);
    expect(sha256(rows[0].pdf)).toBe(first.report!.sha256);

    const res = await fetch(`${h.baseUrl}/api/v1/inspections/${first.id}/report.pdf`, { headers: { authorization: `Bearer ${h.tokens.auditor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-report-sha256')).toBe(first.report!.sha256);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(rows[0].pdf)).toBe(true);

    const text = pdfBytesText(bytes);
    for (const heading of [`월간 정기점검 보고서 ${PERIOD}`, '점검 개요', '점검 결과 (발견 사항)', '개선사항']) expect(text).toContain(heading);
    expect(text).toContain('녹취 서버 #1'); // C1-REC-01
    expect(text).toContain(incidentId);
    expect(text.replace(/\s+/g, '')).toContain('메모리증설또는불필요프로세스정리검토');
    // The month's emergency change, flagged: no customer approval within 24 h.
    expect(text).toContain('긴급 변경 내역');
    expect(text).toMatch(/CHG-700002\s+ivr-holidays\s+점검 긴급 휴일\s+.*기한\(24시간\) 경과\s+고객 승인 누락/);
    // Host metrics from the TELEMETRY SIMULATOR and licences from the CTI EMULATOR: the customer reads that it is simulated.
    expect(text).toContain('모의 데이터 / SIMULATED DATA');
    expect(text.replace(/\s+/g, '')).toContain('CTI에뮬레이터,텔레메트리시뮬레이터');

    // The audit chain's head, signed as the report was rendered: a copy of an anchor outside the database, which holds.
    const { rows: anchors } = await h.pool.query<{ anchor: AuditAnchor }>(`SELECT anchor FROM audit_anchors WHERE reason = $1`, [
      `inspection report ${first.id} version 1`,
    ]);
    expect(anchors).toHaveLength(1);
    const anchor = anchors[0]!.anchor;
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`감사로그앵커#${anchor.no}·seq${anchor.seq}·${anchor.hash}·키${anchor.keyId}·${anchor.signedAt}·봉인시작${anchor.sealedFrom}`);
    expect(flat).toContain(anchor.signature);
    expect(await verifyAuditChain(h.pool, testAuditSigner().publicKey, [anchor])).toMatchObject({ ok: true, anchors: { checked: expect.any(Number) } });
  });

  it('GET /readings: each reading with who measured it and its source, vendor (the real Kamailio) or simulated (the stand-ins)', async () => {
    const res = await call('get', `/api/v1/inspections/${first.id}/readings`, h.tokens.auditor);
    expect(res.status).toBe(200);
    expect(res.body.simulated).toBe(true);
    const items: Array<{ deviceId: string; metric: string; measuredBy: string; source: string }> = res.body.items;
    const pbx = items.filter((r) => r.deviceId === 'C1-PBX-01');
    expect(pbx.find((r) => r.metric === 'phones')).toMatchObject({ measuredBy: 'kamailio', source: 'vendor' });
    expect(pbx.find((r) => r.metric === 'cpu')).toMatchObject({ measuredBy: 'telemetry-simulator', source: 'simulated' });
    expect(items.find((r) => r.metric === 'licences')).toMatchObject({ measuredBy: 'cti-emulator', source: 'simulated' });
    expect(items.find((r) => r.metric === 'eos')).toMatchObject({ measuredBy: 'asset-register', source: 'vendor' });
    expect(new Set(items.map((r) => r.source))).toEqual(new Set(['vendor', 'simulated']));
    expect((await call('get', '/api/v1/inspections/INS-999999/readings', h.tokens.auditor)).status).toBe(404);
  });

  it('GET /readings a page at a time: limit and offset over one order, total and simulated of the whole inspection; a bad page is a 400 naming the field', async () => {
    const all = await call('get', `/api/v1/inspections/${first.id}/readings?limit=5000`, h.tokens.auditor);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.total).toBeGreaterThan(3);
    const page = await call('get', `/api/v1/inspections/${first.id}/readings?limit=2&offset=1`, h.tokens.auditor);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ items: all.body.items.slice(1, 3), total: all.body.total, simulated: true });
    const vendorOnly = all.body.items.findIndex((r: { source: string }) => r.source === 'vendor');
    // A page of vendor readings only still says the inspection had simulated ones.
    const one = await call('get', `/api/v1/inspections/${first.id}/readings?limit=1&offset=${vendorOnly}`, h.tokens.auditor);
    expect(one.body).toMatchObject({ items: [{ source: 'vendor' }], simulated: true });
    const past = await call('get', `/api/v1/inspections/${first.id}/readings?offset=${all.body.total}`, h.tokens.auditor);
    expect(past.body).toEqual({ items: [], total: all.body.total, simulated: true });

    for (const [query, path] of [
      ['limit=0', 'limit'],
      ['limit=5001', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=ten', 'limit'],
    ]) {
      const bad = await call('get', `/api/v1/inspections/${first.id}/readings?${query}`, h.tokens.auditor);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([`query.${path}`]);
    }
    expect((await call('get', `/api/v1/inspections/${first.id}/readings?page=2`, h.tokens.auditor)).status).toBe(400);
  });

  it('validation, roles and unknown ids: 400 naming period, 404, 403', async () => {
    const bad = await call('post', '/api/v1/inspections', h.tokens.spm, { period: '2026-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', details: [{ path: 'period', message: 'expected a month as YYYY-MM' }] });

    const unknown = await call('get', '/api/v1/inspections/INS-999999', h.tokens.auditor);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details).toEqual({ resource: 'inspection', id: 'INS-999999' });
    expect((await call('post', '/api/v1/inspections/INS-999999/approve', h.tokens.spm, {})).status).toBe(404);

    const byEngineer = await call('post', `/api/v1/inspections/${first.id}/approve`, h.tokens.engineer, {});
    expect(byEngineer.status).toBe(403);
    expect((await call('get', `/api/v1/inspections/${first.id}`, h.tokens.auditor)).body.status).toBe('AWAITING_REVIEW');
  });

  it('another run of the month while this one awaits review → 409 CONFLICT naming it', async () => {
    const res = await call('post', '/api/v1/inspections', h.tokens.engineer, { period: PERIOD, centers: [C2] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect(res.body.error.message).toContain(first.id);
  });

  it('approve → DELIVERED; the customer contact receives the report, the stored PDF attached', async () => {
    const res = await call('post', `/api/v1/inspections/${first.id}/approve`, h.tokens.spm, { comments: '확인했습니다' });
    expect(res.status).toBe(200);
    const delivered = await until(first.id, (s) => s.status === 'DELIVERED');
    expect(delivered.review).toMatchObject({ decision: 'approved', by: { id: SUBJECTS.spm, role: 'spm' }, comments: '확인했습니다' });
    expect(delivered.deliveredAt).toEqual(expect.any(String));

    const received = await mailWithKey(smtp.mails, `${first.id}:delivered`);
    expect(received.envelopeTo).toEqual([CUSTOMER]);
    expect(received.parsed.subject).toBe(`[월간 정기점검 ${PERIOD}] 점검 보고서`);
    expect(received.parsed.attachments).toHaveLength(1);
    const { rows } = await h.pool.query('SELECT pdf FROM reports WHERE id = $1', [first.report!.reportId]);
    expect(received.parsed.attachments[0]).toMatchObject({ filename: `${first.report!.reportId}.pdf`, contentType: 'application/pdf' });
    expect(received.parsed.attachments[0]!.content.equals(rows[0].pdf)).toBe(true);
  });

  it('approving again → 409 INVALID_TRANSITION: it is DELIVERED', async () => {
    const res = await call('post', `/api/v1/inspections/${first.id}/approve`, h.tokens.spm, {});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'DELIVERED' } });
  });

  describe('the same month again', () => {
    let second: InspectionState;

    it('reaches review with every collector done, and the critical finding keeps its incident: none is opened twice', async () => {
      await simulator('DELETE', '/faults'); // the IVR servers answer again; the pins stay
      const { rows: before } = await h.pool.query('SELECT count(*)::int AS n FROM incidents');
      const started = await start();
      expect(started.id).not.toBe(first.id);
      second = await until(started.id, (s) => s.status !== 'RUNNING');
      expect(second.status).toBe('AWAITING_REVIEW');
      expect(second.collectors.every((c) => c.status === 'done')).toBe(true);
      expect(finding(second, FAILED_KEY)).toBeUndefined();
      expect(finding(second, CRITICAL_KEY)).toMatchObject({ severity: 'critical' });

      expect(second.incidents.find((i) => i.findingKey === CRITICAL_KEY)).toEqual({ findingKey: CRITICAL_KEY, incidentId });
      const { rows: after } = await h.pool.query('SELECT count(*)::int AS n FROM incidents');
      expect(after[0].n).toBe(before[0].n);
      const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE title LIKE '%C1-REC-01 memory%'`);
      expect(rows[0].n).toBe(1);
    });

    it('a POST while it awaits review → 409; sending it back needs comments (400), then → RETURNED', async () => {
      const again = await call('post', '/api/v1/inspections', h.tokens.spm, { period: PERIOD });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(second.id);

      const noComments = await call('post', `/api/v1/inspections/${second.id}/return`, h.tokens.spm, {});
      expect(noComments.status).toBe(400);
      expect(noComments.body.error.details).toEqual([{ path: 'comments', message: 'Required' }]);

      const returned = await call('post', `/api/v1/inspections/${second.id}/return`, h.tokens.spm, { comments: 'IVR 수집 결과 재확인 필요' });
      expect(returned.status).toBe(200);
      const final = await until(second.id, (s) => s.status === 'RETURNED');
      expect(final.review).toMatchObject({ decision: 'returned', comments: 'IVR 수집 결과 재확인 필요' });
      expect(final.deliveredAt).toBeNull();
      // Nothing goes to the customer for a returned report.
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.mails.filter((m) => m.parsed.headers.get('x-butler-notification-key') === `${second.id}:delivered`)).toEqual([]);
    });

    it('the list shows both runs of the month, newest first, with their statuses', async () => {
      const res = await call('get', `/api/v1/inspections?period=${PERIOD}`, h.tokens.auditor);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items.map((i: InspectionState) => [i.id, i.status])).toEqual([
        [second.id, 'RETURNED'],
        [first.id, 'DELIVERED'],
      ]);
    });
  });
});
