import type { proveSla } from '../../domain/audit/sla-proof';
import { sha256Hex } from '../../adapters/temporal/history-capture';
import { archiveHistory } from '../../db/histories.repo';
import { testAuditSigner } from '../../runtime/embedded-worker';
import { archiveFixtureIncidents, FIXTURE_INCIDENTS } from '../support/archived-incidents';
import { useHarness } from './harness';
import { pdfBytesText } from '../reports/pdf-harness';

/**
 * POST /api/v1/sla/what-if over real archived incident histories (the committed replay fixtures,
 * recorded from the real workflow): what they were judged by agrees with the SLA proof of each
 * history; a candidate policy flips exactly the incidents it should, each explained; nothing
 * stored changes but the cache of clock cases, which names the histories it was read from.
 */

const h = useHarness();
const CLOSED_AT = '2026-11-10T03:00:00.000Z';
const PERIOD = { from: '2026-11-01', to: '2026-12-01' };

type Proof = ReturnType<typeof proveSla>;
const proofs = new Map<string, Proof>();
const sha = new Map<string, string>();

beforeAll(async () => {
  for (const [id, { proof, sha256 }] of await archiveFixtureIncidents(h.pool, CLOSED_AT)) {
    proofs.set(id, proof);
    sha.set(id, sha256);
  }
});

const whatIf = (body: unknown, token = h.tokens.spm) => h.call('post', '/api/v1/sla/what-if', { token, body });

test('without a candidate, every incident is judged as its SLA proof judges it, and nothing flips', async () => {
  const res = await whatIf(PERIOD);
  expect(res.status).toBe(200);
  expect(res.body.incidents).toBe(FIXTURE_INCIDENTS.length);
  expect(res.body.skipped).toEqual([]);
  expect(res.body.flips).toEqual([]);
  const expected = { response: 0, restore: 0 };
  for (const p of proofs.values()) {
    if (p.recomputed.response.breached) expected.response++;
    if (p.recomputed.restore.breached) expected.restore++;
  }
  expect(res.body.totals).toEqual({ breachedNow: expected, breachedCandidate: expected });
  // At least one of them breached, or the comparison above proves little.
  expect(expected.restore + expected.response).toBeGreaterThan(0);
  const groups = res.body.groups as Array<{ severity: string; complexity: string; incidents: number; candidate: unknown }>;
  expect(groups.reduce((n, g) => n + g.incidents, 0)).toBe(FIXTURE_INCIDENTS.length);
  expect(groups.every((g) => g.candidate === null)).toBe(true);
  // The cases were read once from the archived histories, and name them.
  const { rows } = await h.pool.query<{ incident_id: string; history_sha256: string[] }>('SELECT incident_id, history_sha256 FROM sla_cases ORDER BY 1');
  expect(rows).toEqual([...sha.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, s]) => ({ incident_id: id, history_sha256: [s] })));
});

test('a candidate restore target of one minute on 24×7 flips every incident that met its restore target and counted more than a minute', async () => {
  const p1 = [...proofs.values()].find((p) => p.policy.severity === 'P1')!;
  const policies = [{ severity: p1.policy.severity, complexity: p1.policy.complexity, clock: '24x7', responseTargetSeconds: 3600, restoreTargetSeconds: 60 }];
  const res = await whatIf({ ...PERIOD, policies });
  expect(res.status).toBe(200);
  // Those of the group that met their restore target now (each counted more than a minute: asserted below).
  const expectedFlips = [...proofs.values()].filter(
    (p) => p.policy.severity === p1.policy.severity && p.policy.complexity === p1.policy.complexity && !p.recomputed.restore.breached,
  );
  expect(expectedFlips.length).toBeGreaterThan(0);
  const restoreFlips = (
    res.body.flips as Array<{
      incidentId: string;
      clock: string;
      now: { breached: boolean };
      candidate: { breached: boolean; targetSeconds: number };
      explanation: { ko: string; en: string };
    }>
  ).filter((f) => f.clock === 'restore');
  for (const f of restoreFlips) {
    expect(f.now.breached).toBe(false);
    expect(f.candidate).toMatchObject({ breached: true, targetSeconds: 60, clock: '24x7' });
    expect(f.explanation.ko).toMatch(/^복구: 현재 기준 .+ 준수 → 후보 기준 .+ \/ 목표 1분\(24×7\) 위반 \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? KST$/);
    expect(f.explanation.en).toContain('candidate');
  }
  expect(restoreFlips.map((f) => f.incidentId).sort()).toEqual(expectedFlips.map((p) => p.incidentId).sort());
  const group = (res.body.groups as Array<{ severity: string; candidate: unknown; breachedCandidate: { restore: number }; incidents: number }>).find(
    (g) => g.severity === p1.policy.severity,
  )!;
  expect(group.candidate).toEqual({ clock: '24x7', responseTargetSeconds: 3600, restoreTargetSeconds: 60 });
  // Under a one-minute target every incident of the group that counted a minute of restore breaches.
  expect(group.breachedCandidate.restore).toBe(group.incidents);
  // Nothing stored changed: the incidents' own results are what they were.
  expect((await whatIf(PERIOD)).body.flips).toEqual([]);
});

test('bad requests are 400 naming the field; engineers may not ask', async () => {
  const cases: Array<[unknown, string]> = [
    [{ from: '2026-12-01', to: '2026-11-01' }, 'to'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [
      { ...PERIOD, policies: [{ severity: 'P9', complexity: 'simple', clock: '24x7', responseTargetSeconds: 1, restoreTargetSeconds: 1 }] },
      'policies.0.severity',
    ],
    [
      {
        ...PERIOD,
        policies: [
          { severity: 'P1', complexity: 'simple', clock: '24x7', responseTargetSeconds: 1, restoreTargetSeconds: 1 },
          { severity: 'P1', complexity: 'simple', clock: 'business', responseTargetSeconds: 2, restoreTargetSeconds: 2 },
        ],
      },
      'policies',
    ],
    [{ ...PERIOD, calendar: { addHolidays: ['2026-13-01'] } }, 'calendar.addHolidays.0'],
    [{ ...PERIOD, extra: true }, 'extra'],
  ];
  for (const [body, field] of cases) {
    const res = await whatIf(body);
    expect({ body, status: res.status }).toEqual({ body, status: 400 });
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  }
  expect((await whatIf(PERIOD, h.tokens.engineer)).status).toBe(403);
  expect((await whatIf(PERIOD, h.tokens.auditor)).status).toBe(200);
});

test('a period with no closed incidents answers empty, not an error', async () => {
  const res = await whatIf({ from: '2020-01-01', to: '2020-02-01' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ incidents: 0, groups: [], flips: [], skipped: [] });
});

test('the same what-if as a PDF: Korean by default, each flipping incident with its explanation; English on request', async () => {
  const p1 = [...proofs.values()].find((p) => p.policy.severity === 'P1')!;
  const body = {
    ...PERIOD,
    policies: [{ severity: p1.policy.severity, complexity: p1.policy.complexity, clock: '24x7', responseTargetSeconds: 3600, restoreTargetSeconds: 60 }],
  };
  const json = await whatIf(body);
  const flips = json.body.flips as Array<{ incidentId: string; explanation: { ko: string; en: string } }>;
  expect(flips.length).toBeGreaterThan(0);

  const res = await fetch(`${h.baseUrl}/api/v1/sla/what-if/report.pdf`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.tokens.spm}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const text = pdfBytesText(Buffer.from(await res.arrayBuffer())).replace(/\s+/g, ' ');
  for (const heading of ['SLA 가정 분석 2026-11-01 – 2026-11-30', '후보 정책', 'SLA 위반: 현재 대 후보', '복구 시간 분포 (목표 대비)', '판정이 바뀌는 장애']) {
    expect(text).toContain(heading);
  }
  for (const f of flips) {
    expect(text).toContain(f.incidentId);
    // pdftotext lays a table cell out in lines among its neighbours: every word of the explanation is there.
    for (const word of f.explanation.ko.split(/[\s()]+/).filter(Boolean)) expect(text).toContain(word);
  }
  // Kept as a report, its hash in the header.
  const { rows } = await h.pool.query<{ sha256: string }>(`SELECT sha256 FROM reports WHERE kind = 'sla-what-if'`);
  expect(rows.map((r) => r.sha256)).toContain(res.headers.get('x-report-sha256'));

  const en = await fetch(`${h.baseUrl}/api/v1/sla/what-if/report.pdf?locale=en`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.tokens.auditor}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const enText = pdfBytesText(Buffer.from(await en.arrayBuffer())).replace(/\s+/g, ' ');
  expect(enText).toContain('Incidents that flip');
  expect(enText).toContain(flips[0]!.incidentId);
  expect(enText).toMatch(/restore: now .+ met → candidate .+ of 1 min \(24×7\), breached/);
  // Every column of the breaches table is on the page: the total row has its four counts.
  const t = json.body.totals as { breachedNow: { response: number; restore: number }; breachedCandidate: { response: number; restore: number } };
  expect(enText).toContain(`Total ${t.breachedNow.response} ${t.breachedCandidate.response} ${t.breachedNow.restore} ${t.breachedCandidate.restore}`);
  expect(text).toContain(`합계 ${t.breachedNow.response} ${t.breachedCandidate.response} ${t.breachedNow.restore} ${t.breachedCandidate.restore}`);
});

test('a kept case altered behind Butler’s back is not trusted: its seal fails, it is read again from the history, the answer is unchanged', async () => {
  const before = (await whatIf(PERIOD)).body;
  const p1 = [...proofs.keys()].find((id) => proofs.get(id)!.policy.severity === 'P1')!;
  // As an insider with the application's access: the P1 incident "restored" at once.
  await h.pool.query(`UPDATE sla_cases SET sla_case = jsonb_set(sla_case, '{events}', '[]'::jsonb) WHERE incident_id = $1`, [p1]);
  const after = (await whatIf(PERIOD)).body;
  expect(after).toEqual(before);
  const { rows } = await h.pool.query<{ events: number }>(`SELECT jsonb_array_length(sla_case->'events') AS events FROM sla_cases WHERE incident_id = $1`, [
    p1,
  ]);
  expect(rows[0]!.events).toBe(proofs.get(p1)!.clockEvents.length);
});

test('an incident whose workflow did not close (terminated) is listed as skipped, with why', async () => {
  const history = JSON.stringify({ events: [{ eventId: '1', eventTime: '2026-11-12T00:00:00Z', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }] });
  await archiveHistory(h.pool, testAuditSigner(), {
    runId: 'terminated-run-1',
    workflowId: 'incident-INC-990001',
    workflowType: 'incidentWorkflow',
    businessKey: 'INC-990001',
    status: 'TERMINATED',
    startedAt: '2026-11-12T00:00:00Z',
    closedAt: '2026-11-12T01:00:00Z',
    events: 1,
    history,
    sha256: sha256Hex(history),
  });
  const res = await whatIf(PERIOD);
  expect(res.body.incidents).toBe(FIXTURE_INCIDENTS.length);
  expect(res.body.skipped).toEqual([{ incidentId: 'INC-990001', reason: 'its workflow ended TERMINATED, not closed or cancelled' }]);
});
