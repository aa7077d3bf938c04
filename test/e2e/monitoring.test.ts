import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useHarness } from '../api/harness';
import { eventually } from '../support/eventually';
import { monitoringInstalled, startEmbeddedMonitoring, type EmbeddedMonitoring } from '../../runtime/embedded-monitoring';
import type { Json } from '../support/json';

/**
 * The real Debian Prometheus and Alertmanager, on loopback, in front of the real API, worker,
 * Temporal and PostgreSQL (issue 15): a rule fires on a metric → an incident opens with the
 * mapped severity and Korean title; Alertmanager's resend adds no second incident; the metric
 * recovers → the timeline says the alert resolved. Timings are shortened (resend delay, group
 * wait/interval, repeat interval) so that it all happens within seconds.
 */

const h = useHarness();

/** A metric the test sets: the PBX's reachability, as a blackbox probe would export it. */
let pbxUp = 1;
let exporter: Server;
let monitoring: EmbeddedMonitoring;
let dir: string;

beforeAll(async () => {
  if (!monitoringInstalled()) throw new Error('prometheus and prometheus-alertmanager are not installed (npm test installs them with apt)');
  exporter = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`# TYPE probe_success gauge\nprobe_success{instance="pbx-e2e:5060",center="상담 2센터"} ${pbxUp}\n`);
  });
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(path.join(tmpdir(), 'butler-monitoring-'));
  const rules = path.join(dir, 'e2e.rules.yml');
  writeFileSync(
    rules,
    JSON.stringify({
      groups: [
        {
          name: 'e2e',
          rules: [
            {
              alert: 'PbxUnreachable',
              expr: 'probe_success == 0',
              labels: { severity: 'critical' },
              annotations: { summary: '{{ $labels.instance }} 응답 없음' },
            },
          ],
        },
      ],
    }),
  );
  monitoring = await startEmbeddedMonitoring({
    dataDir: dir,
    webhookUrl: `${h.baseUrl}/api/v1/alerts/alertmanager`,
    webhookToken: h.tokens.automation,
    scrapeTargets: [{ job: 'pbx-probe', honorLabels: true, targets: [`127.0.0.1:${(exporter.address() as AddressInfo).port}`] }],
    ruleFiles: [rules],
    timing: { scrapeInterval: '1s', evaluationInterval: '1s', resendDelay: '1s', groupWait: '1s', groupInterval: '2s', repeatInterval: '3s' },
  });
}, 60_000);

afterAll(async () => {
  await monitoring?.stop();
  await new Promise((resolve) => exporter?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function monitoringIncidents(): Promise<Json[]> {
  const res = await h.call('get', '/api/v1/incidents?limit=200', { token: h.tokens.spm });
  return res.body.items.filter((i: Json) => i.source === 'monitoring');
}

async function alertsOf(incidentId: string): Promise<Json[]> {
  return (await h.call('get', `/api/v1/alerts?incident=${incidentId}`, { token: h.tokens.auditor })).body.items;
}

test('Prometheus fires → Alertmanager → an incident; the resend adds none; the recovery is on the timeline', async () => {
  // Both are up and Prometheus has found Alertmanager before anything fires.
  await eventually(
    async () => (await (await fetch(`${monitoring.prometheusUrl}/api/v1/alertmanagers`)).json()) as Json,
    (body) => body.data.activeAlertmanagers.length === 1,
    15_000,
  );
  expect(await monitoringIncidents()).toEqual([]);

  pbxUp = 0;
  const fired = Date.now();
  const opened = await eventually(monitoringIncidents, (list) => list.length > 0, 30_000);
  expect(opened).toHaveLength(1);
  const openedWithinMs = Date.now() - fired;
  expect(openedWithinMs).toBeLessThan(30_000);
  const id = opened[0].id;
  const incident = (await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.spm })).body;
  expect(incident).toMatchObject({
    title: 'PBX 응답 없음: pbx-e2e:5060',
    severity: 'P1',
    system: 'PBX',
    center: '상담 2센터',
    source: 'monitoring',
    status: 'OPEN',
  });
  expect(incident.timeline[0].details.alert).toMatchObject({
    status: 'firing',
    alertname: 'PbxUnreachable',
    labels: { alertname: 'PbxUnreachable', instance: 'pbx-e2e:5060', job: 'pbx-probe', severity: 'critical' },
    annotations: { summary: 'pbx-e2e:5060 응답 없음' },
    // Prometheus's own link to the expression that fired.
    generatorURL: expect.stringContaining(`${monitoring.prometheusUrl}/graph?g0.expr=`),
  });

  // Alertmanager resends the firing alert every repeat_interval (3 s here): counted, nothing more.
  const resent = await eventually(
    () => alertsOf(id),
    (alerts) => alerts.some((a) => a.status === 'firing' && a.deliveries >= 2),
    20_000,
  );
  expect(resent.find((a) => a.status === 'firing')!.deliveries).toBeGreaterThanOrEqual(2);
  expect(await monitoringIncidents()).toHaveLength(1);
  expect((await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.spm })).body.timeline.map((e: Json) => e.type)).toEqual(['opened']);

  pbxUp = 1;
  const recovered = await eventually(
    async () => (await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.spm })).body,
    (i) => i.timeline.some((e: Json) => e.type === 'alert' && e.details.alert.status === 'resolved'),
    30_000,
  );
  const resolvedEvent = recovered.timeline.find((e: Json) => e.type === 'alert');
  expect(resolvedEvent).toMatchObject({ actor: { role: 'automation' }, details: { alert: { status: 'resolved', endsAt: expect.any(String) } } });
  // The shipped rule for an unreachable PBX notes the recovery; people resolve the incident.
  expect(recovered.status).toBe('OPEN');
  expect(await monitoringIncidents()).toHaveLength(1);
  process.stdout.write(`[monitoring e2e] incident opened ${openedWithinMs} ms after the metric dropped\n`);
}, 120_000);
