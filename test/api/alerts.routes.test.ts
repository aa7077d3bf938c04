import { useHarness } from './harness';
import { webhook, type TestAlert } from '../support/alertmanager';
import { eventually } from '../support/eventually';
import { DEFAULT_ALERT_RULES } from '../../domain/monitoring/default-rules';
import type { Json } from '../support/json';

/**
 * Alertmanager's webhook over the real API, worker, Temporal and PostgreSQL: which incident each
 * delivery opens, counts, reopens or resolves (issue 15). The real Prometheus and Alertmanager
 * drive the same route in test/e2e/monitoring.test.ts.
 */

// A short deadline: the 503 test waits for it.
const h = useHarness({ requestDeadlineMs: 3_000 });

const RULES = [
  ...DEFAULT_ALERT_RULES,
  {
    id: 'ivr-down',
    name: 'IVR 서비스 중단',
    matchers: [
      { label: 'alertname', value: 'IvrDown' },
      { label: 'site', op: '=~', value: 'seoul-.*' },
    ],
    severity: 'P3',
    severityFromLabel: { label: 'severity', values: { critical: 'P1', major: 'P2' } },
    complexity: 'complex',
    system: 'IVR',
    centerLabel: 'site',
    title: '{{labels.site}} IVR 중단: {{annotations.summary}}',
    dedupeBy: 'group',
    autoResolve: true,
    reopenWithinMinutes: 60,
  },
  {
    id: 'rec-disk',
    name: '녹취 디스크',
    matchers: [{ label: 'alertname', value: 'RecordingDiskFull' }],
    severity: 'P4',
    system: 'REC',
    title: '녹취 서버 {{labels.instance}} 디스크 부족',
    dedupeBy: 'alert',
    reopenWithinMinutes: 0,
  },
];

let seq = 0;
/** A label set no other test uses, so each test has its own dedupe keys. */
const ivr = (extra: Record<string, string> = {}): TestAlert['labels'] => ({
  alertname: 'IvrDown',
  site: 'seoul-1',
  severity: 'critical',
  instance: `ivr-${++seq}`,
  ...extra,
});

async function post(body: unknown, token = h.tokens.automation) {
  return h.call('post', '/api/v1/alerts/alertmanager', { token, body });
}

async function deliver(alerts: TestAlert[], group?: Parameters<typeof webhook>[1]): Promise<Json[]> {
  const res = await post(webhook(alerts, group));
  expect(res.status).toBe(200);
  return res.body.alerts;
}

async function incident(id: string) {
  const res = await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.spm });
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  const res = await h.call('put', '/api/v1/alert-rules', { token: h.tokens.admin, body: { rules: RULES } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ version: 1, savedBy: 'admin-choi' });
});

describe('a firing alert opens an incident by its rule', () => {
  it('maps severity (from the label), system, center and the Korean title; the opened event carries the labels and the link', async () => {
    const labels = ivr();
    const [result] = await deliver([{ labels, annotations: { summary: '시나리오 응답 없음' }, startsAt: '2026-12-06T02:00:00Z' }]);
    expect(result).toMatchObject({ outcome: 'opened', repeat: false, ruleId: 'ivr-down', incidentId: expect.stringMatching(/^INC-/) });
    const got = await incident(result.incidentId);
    expect(got).toMatchObject({
      title: 'seoul-1 IVR 중단: 시나리오 응답 없음',
      severity: 'P1',
      complexity: 'complex',
      system: 'IVR',
      center: 'seoul-1',
      source: 'monitoring',
      status: 'OPEN',
      openedBy: { id: 'monitoring-bot', role: 'automation' },
    });
    expect(got.timeline[0]).toMatchObject({
      type: 'opened',
      details: {
        alert: { status: 'firing', alertname: 'IvrDown', labels, ruleId: 'ivr-down', generatorURL: expect.stringContaining('http://prometheus.test:9090/') },
      },
    });
  });

  it("Alertmanager's resends add no second incident: only the delivery count and last seen", async () => {
    const alert = { labels: ivr(), startsAt: '2026-12-06T03:00:00Z' };
    const [first] = await deliver([alert]);
    const [again] = await deliver([alert]);
    const [third] = await deliver([alert]);
    expect(again).toMatchObject({ outcome: 'opened', repeat: true, incidentId: first.incidentId });
    expect(third).toMatchObject({ repeat: true, incidentId: first.incidentId });
    const list = await h.call('get', `/api/v1/alerts?incident=${first.incidentId}`, { token: h.tokens.auditor });
    expect(list.body.items).toEqual([expect.objectContaining({ deliveries: 3, outcome: 'opened', status: 'firing' })]);
    expect(Date.parse(list.body.items[0].lastReceivedAt)).toBeGreaterThan(Date.parse(list.body.items[0].firstReceivedAt));
    const got = await incident(first.incidentId);
    expect(got.timeline.map((e: Json) => e.type)).toEqual(['opened']);
    const { rows } = await h.pool.query(`SELECT deliveries FROM alert_incidents WHERE incident_id = $1`, [first.incidentId]);
    expect(rows).toEqual([{ deliveries: 3 }]);
  });

  it('two deliveries of one group at the same moment open one incident', async () => {
    const groupKey = `{}:{alertname="IvrDown",site="seoul-9",race="${++seq}"}`;
    const a = { labels: ivr({ site: 'seoul-9' }), startsAt: '2026-12-06T04:00:00Z' };
    const b = { labels: ivr({ site: 'seoul-9' }), startsAt: '2026-12-06T04:00:01Z' };
    const [ra, rb] = await Promise.all([post(webhook([a], { groupKey })), post(webhook([b], { groupKey }))]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const ids = [ra.body.alerts[0].incidentId, rb.body.alerts[0].incidentId];
    expect(ids[0]).toBe(ids[1]);
    expect([ra.body.alerts[0].outcome, rb.body.alerts[0].outcome].sort()).toEqual(['opened', 'recorded']);
    const got = await incident(ids[0]);
    expect(got.timeline.map((e: Json) => e.type)).toEqual(['opened', 'alert']);
  });
});

describe("Grafana alerting's webhook (the same shape, with its own fields)", () => {
  it('opens an incident like Alertmanager does', async () => {
    const labels = { alertname: 'IvrDown', site: 'seoul-3', severity: 'major', instance: `ivr-${++seq}`, grafana_folder: 'Contact center' };
    const grafana = {
      ...webhook([{ labels, annotations: { summary: 'IVR 포트 응답 없음' }, startsAt: '2026-12-06T15:00:00Z' }]),
      orgId: 1,
      title: '[FIRING:1] IvrDown (Contact center)',
      state: 'alerting',
      message: '**Firing** …',
    };
    grafana.alerts = grafana.alerts.map((a) => ({
      ...a,
      values: { B: 0, C: 1 },
      valueString: "[ var='B' labels={instance=ivr} value=0 ]",
      silenceURL: 'http://grafana.test:3000/alerting/silence/new',
      dashboardURL: '',
      panelURL: '',
    }));
    const res = await post(grafana);
    expect(res.status).toBe(200);
    expect(res.body.alerts).toEqual([expect.objectContaining({ outcome: 'opened', ruleId: 'ivr-down' })]);
    expect(await incident(res.body.alerts[0].incidentId)).toMatchObject({ severity: 'P2', center: 'seoul-3', title: 'seoul-3 IVR 중단: IVR 포트 응답 없음' });
  });
});

describe('resolution', () => {
  it('a resolved alert is written on the timeline; an untouched incident is resolved when its rule says so', async () => {
    const labels = ivr();
    const startsAt = '2026-12-06T05:00:00Z';
    const groupKey = `{}:{alertname="IvrDown",instance="${labels.instance}"}`;
    const [fired] = await deliver([{ labels, startsAt }], { groupKey });
    const [cleared] = await deliver([{ labels, startsAt, status: 'resolved' }], { groupKey });
    expect(cleared).toMatchObject({ outcome: 'recorded', repeat: false, incidentId: fired.incidentId });
    const got = await incident(fired.incidentId);
    expect(got.status).toBe('RESOLVED');
    expect(got.timeline.slice(1)).toEqual([
      expect.objectContaining({
        type: 'alert',
        actor: { id: 'monitoring-bot', role: 'automation' },
        details: { alert: expect.objectContaining({ status: 'resolved', labels }) },
      }),
      expect.objectContaining({ type: 'resolved', details: { resolution: expect.stringContaining('모니터링 경보 해소로 자동 해결'), automatic: true } }),
    ]);
    // The SLA proof, recomputed from the workflow's history, sees the resolution the alert's Update made.
    const exported = await h.call('post', `/api/v1/audit/workflows/incident-${fired.incidentId}/export`, {
      token: h.tokens.auditor,
      body: { reason: '자동 해결 검증' },
    });
    expect(exported.status).toBe(201);
    const proof = await h.call('get', `/api/v1/audit/incidents/${fired.incidentId}/sla`, { token: h.tokens.auditor });
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ matches: true, differences: [] });
    expect(proof.body.clockEvents.map((e: Json) => e.type)).toEqual(['opened', 'resolved']);
  });

  it('an incident a person has touched is not resolved by the alert: a timeline entry only', async () => {
    const labels = ivr();
    const startsAt = '2026-12-06T06:00:00Z';
    const groupKey = `{}:{alertname="IvrDown",instance="${labels.instance}"}`;
    const [fired] = await deliver([{ labels, startsAt }], { groupKey });
    const assigned = await h.call('post', `/api/v1/incidents/${fired.incidentId}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park' } });
    expect(assigned.status).toBe(200);
    await deliver([{ labels, startsAt, status: 'resolved' }], { groupKey });
    const got = await incident(fired.incidentId);
    expect(got.status).toBe('ASSIGNED');
    expect(got.timeline.map((e: Json) => e.type)).toEqual(['opened', 'assigned', 'alert']);
  });

  it("a group's incident resolves only when the whole group has", async () => {
    const groupKey = `{}:{alertname="IvrDown",group="${++seq}"}`;
    const one = { labels: ivr(), startsAt: '2026-12-06T07:00:00Z' };
    const two = { labels: ivr(), startsAt: '2026-12-06T07:00:00Z' };
    const [a, b] = await deliver([one, two], { groupKey });
    expect(b.incidentId).toBe(a.incidentId);
    await deliver([{ ...one, status: 'resolved' }, two], { groupKey, status: 'firing' });
    expect((await incident(a.incidentId)).status).toBe('OPEN');
    await deliver(
      [
        { ...one, status: 'resolved' },
        { ...two, status: 'resolved' },
      ],
      { groupKey },
    );
    const got = await incident(a.incidentId);
    expect(got.status).toBe('RESOLVED');
    // The second alert joining the group, the first resolving, the second resolving: then the incident.
    expect(got.timeline.map((e: Json) => e.type)).toEqual(['opened', 'alert', 'alert', 'alert', 'resolved']);
  });

  it('a default rule (note only) leaves the incident open', async () => {
    const labels = { alertname: 'PbxUnreachable', instance: `pbx-${++seq}:5060`, center: '상담 1센터' };
    const [fired] = await deliver([{ labels, startsAt: '2026-12-06T08:00:00Z' }]);
    const got = await incident(fired.incidentId);
    expect(got).toMatchObject({ severity: 'P1', system: 'PBX', center: '상담 1센터', title: `PBX 응답 없음: ${labels.instance}` });
    await deliver([{ labels, startsAt: '2026-12-06T08:00:00Z', status: 'resolved' }]);
    expect((await incident(fired.incidentId)).status).toBe('OPEN');
  });
});

describe('re-fire', () => {
  it('within the window after resolution: the incident is reopened, with the alert on its timeline', async () => {
    const labels = ivr();
    const groupKey = `{}:{alertname="IvrDown",instance="${labels.instance}"}`;
    const [fired] = await deliver([{ labels, startsAt: '2026-12-06T09:00:00Z' }], { groupKey });
    await deliver([{ labels, startsAt: '2026-12-06T09:00:00Z', status: 'resolved' }], { groupKey });
    expect((await incident(fired.incidentId)).status).toBe('RESOLVED');
    const [again] = await deliver([{ labels, startsAt: '2026-12-06T09:10:00Z' }], { groupKey });
    expect(again).toMatchObject({ outcome: 'reopened', incidentId: fired.incidentId });
    const got = await incident(fired.incidentId);
    expect(got.status).toBe('IN_PROGRESS');
    expect(got.timeline.map((e: Json) => e.type)).toEqual(['opened', 'alert', 'resolved', 'reopened', 'alert']);
    expect(got.timeline[3].details.reason).toContain('모니터링 경보 재발생');
  });

  it('after the window (or once closed): a new incident, linked to the earlier one as similar', async () => {
    const labels = { alertname: 'RecordingDiskFull', instance: `rec-${++seq}` };
    const [fired] = await deliver([{ labels, startsAt: '2026-12-06T10:00:00Z' }]);
    await h.call('post', `/api/v1/incidents/${fired.incidentId}/assign`, { token: h.tokens.spm, body: { assignee: 'eng-park' } });
    const resolved = await h.call('post', `/api/v1/incidents/${fired.incidentId}/resolve`, { token: h.tokens.spm, body: { resolution: '디스크 정리' } });
    expect(resolved.status).toBe(200);
    await deliver([{ labels, startsAt: '2026-12-06T10:00:00Z', status: 'resolved' }]);
    // reopenWithinMinutes: 0 — any re-fire after resolution is a new incident.
    const [again] = await deliver([{ labels, startsAt: '2026-12-06T11:00:00Z' }]);
    expect(again.outcome).toBe('opened');
    expect(again.incidentId).not.toBe(fired.incidentId);
    const got = await incident(again.incidentId);
    expect(got.timeline[0].details).toMatchObject({ similarTo: fired.incidentId });
    expect((await incident(fired.incidentId)).status).toBe('RESOLVED');
  });
});

describe('alerts that match no rule, and notify-only rules', () => {
  it('an unmatched alert is kept and listed, never dropped; a resend counts', async () => {
    const labels = { alertname: 'SomethingNobodyMapped', instance: `x-${++seq}` };
    const body = webhook([{ labels }]);
    const first = await post(body);
    expect(first.body.alerts).toEqual([expect.objectContaining({ outcome: 'unmatched', repeat: false, ruleId: null, incidentId: null })]);
    await post(body);
    const list = await h.call('get', '/api/v1/alerts?unmatched=true', { token: h.tokens.admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ alertname: 'SomethingNobodyMapped', labels, deliveries: 2, outcome: 'unmatched' }));
    const matched = await h.call('get', '/api/v1/alerts?unmatched=false&limit=200', { token: h.tokens.admin });
    expect(matched.body.items.every((a: Json) => a.ruleId !== null)).toBe(true);
  });

  it("a notify rule (the trunk's 80 % warning) tells the SPM and opens no incident", async () => {
    const labels = { alertname: 'TrunkUtilizationHigh', trunk: `KT-SEOUL-${++seq}`, center: '상담 1센터' };
    const before = await h.pool.query(`SELECT count(*)::int AS n FROM incidents`);
    const [result] = await deliver([{ labels, annotations: { utilization: '85%' }, startsAt: '2026-12-06T12:00:00Z' }]);
    expect(result).toMatchObject({ outcome: 'notified', incidentId: null, ruleId: 'trunk-warning' });
    const rows = await eventually(
      async () =>
        (await h.pool.query(`SELECT kind, subject, payload FROM notifications WHERE kind = 'monitoring-warning' AND subject LIKE $1`, [`%${labels.trunk} %`]))
          .rows,
      (r) => r.length > 0,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        subject: `[경고] 트렁크 ${labels.trunk} 사용률 85% (80% 이상)`,
        payload: expect.objectContaining({ data: { alert: expect.objectContaining({ labels }) } }),
      }),
    ]);
    expect((await h.pool.query(`SELECT count(*)::int AS n FROM incidents`)).rows).toEqual(before.rows);
  });
});

describe('what goes wrong on the way', () => {
  it('an alert refused as it stands is kept as failed with the reason, the others of its payload go on, and its next delivery is taken again', async () => {
    const disk = { labels: { alertname: 'RecordingDiskFull', instance: `rec-${++seq}` }, startsAt: '2026-12-06T13:00:00Z' };
    const other = { labels: ivr(), startsAt: '2026-12-06T13:00:00Z' };
    const policy = await h.pool.query(`DELETE FROM sla_policies WHERE severity = 'P4' AND complexity = 'simple' RETURNING *`);
    try {
      const [failed, opened] = await deliver([disk, other], { groupKey: `{}:{failing="${seq}"}` });
      expect(failed).toMatchObject({ outcome: 'failed', incidentId: null, ruleId: 'rec-disk' });
      expect(opened).toMatchObject({ outcome: 'opened', ruleId: 'ivr-down' });
      const listed = await h.call('get', '/api/v1/alerts?limit=200', { token: h.tokens.admin });
      expect(listed.body.items).toContainEqual(
        expect.objectContaining({ alertname: 'RecordingDiskFull', outcome: 'failed', error: expect.stringContaining('no SLA policy for P4/simple') }),
      );
    } finally {
      const p = policy.rows[0];
      await h.pool.query(
        `INSERT INTO sla_policies (severity, complexity, clock, response_target_seconds, restore_target_seconds, status_report_interval_seconds, updated_at, updated_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [p.severity, p.complexity, p.clock, p.response_target_seconds, p.restore_target_seconds, p.status_report_interval_seconds, p.updated_at, p.updated_by],
      );
    }
    const [again] = await deliver([disk]);
    expect(again).toMatchObject({ outcome: 'opened', repeat: false, incidentId: expect.stringMatching(/^INC-/) });
    const rows = await h.call('get', `/api/v1/alerts?incident=${again.incidentId}`, { token: h.tokens.admin });
    expect(rows.body.items).toEqual([expect.objectContaining({ outcome: 'opened', deliveries: 2, error: null })]);
  });

  it('a resend after a 503, with a new value in its annotations, lands on the incident the first attempt started', async () => {
    const labels = { alertname: 'RecordingDiskFull', instance: `rec-${++seq}` };
    await h.stopWorker();
    const first = await post(webhook([{ labels, annotations: { summary: '디스크 사용률 91%' }, startsAt: '2026-12-06T14:00:00Z' }]));
    expect(first.status).toBe(503);
    h.logged.splice(0);
    await h.startWorker();
    const [again] = await deliver([{ labels, annotations: { summary: '디스크 사용률 93%' }, startsAt: '2026-12-06T14:00:00Z' }]);
    expect(again).toMatchObject({ outcome: 'opened', incidentId: expect.stringMatching(/^INC-/) });
    const { rows } = await h.pool.query(`SELECT id FROM incidents WHERE title = $1`, [`녹취 서버 ${labels.instance} 디스크 부족`]);
    expect(rows).toEqual([{ id: again.incidentId }]);
  }, 60_000);
});

describe('refused requests change nothing', () => {
  it('a bad payload is a 400 naming the field', async () => {
    const good = webhook([{ labels: ivr() }]);
    const cases: Array<[unknown, string]> = [
      [{ ...good, alerts: [] }, 'alerts'],
      [{ ...good, status: 'burning' }, 'status'],
      [{ ...good, alerts: [{ ...good.alerts[0], startsAt: 'yesterday' }] }, 'alerts.0.startsAt'],
      [{ ...good, alerts: [{ ...good.alerts[0], labels: {} }] }, 'alerts.0.labels'],
      [{ ...good, alerts: [{ ...good.alerts[0], fingerprint: 'not hex!' }] }, 'alerts.0.fingerprint'],
      [{ ...good, groupKey: undefined }, 'groupKey'],
    ];
    const before = await h.pool.query(`SELECT count(*)::int AS n FROM alerts`);
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((i: Json) => i.path)).toContain(field);
    }
    expect((await h.pool.query(`SELECT count(*)::int AS n FROM alerts`)).rows).toEqual(before.rows);
  });

  it('an unknown token is 401; a role that may not post alerts is 403', async () => {
    expect((await post(webhook([{ labels: ivr() }]), 'not-a-token')).status).toBe(401);
    expect((await post(webhook([{ labels: ivr() }]), h.tokens.engineer)).status).toBe(403);
    expect((await h.call('put', '/api/v1/alert-rules', { token: h.tokens.spm, body: { rules: RULES } })).status).toBe(403);
  });

  it('rules that cannot work are refused, naming the rule and field; the rules in force stay', async () => {
    const bad = async (rules: unknown[], field: string) => {
      const res = await h.call('put', '/api/v1/alert-rules', { token: h.tokens.admin, body: { rules } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((i: Json) => i.path)).toContain(field);
    };
    await bad([{ ...RULES[0], matchers: [{ label: 'alertname', op: '=~', value: '(' }] }], 'rules.0.matchers.0.value');
    await bad([RULES[0], { ...RULES[1], title: '{{#if labels.x}}' }], 'rules.1.title');
    await bad([RULES[0], RULES[0]], 'rules.1.id');
    await bad([{ ...RULES[0], severity: 'P9' }], 'rules.0.severity');
    await bad([{ ...RULES[0], matchers: [{ label: 'bad-label', value: 'x' }] }], 'rules.0.matchers.0.label');
    const now = await h.call('get', '/api/v1/alert-rules', { token: h.tokens.auditor });
    expect(now.body).toMatchObject({ version: 1 });
    expect(now.body.rules.map((r: Json) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});
