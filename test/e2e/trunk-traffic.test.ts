import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { placeConcurrentCalls } from '../../adapters/pbx/sipp-load';
import { TEST_LINE_SET_ID } from '../../adapters/pbx/kamailio/test-line';
import { monitoringInstalled, startEmbeddedMonitoring, type EmbeddedMonitoring } from '../../runtime/embedded-monitoring';
import { useHarness } from '../api/harness';
import { eventually } from '../support/eventually';
import { CALLER_DN, TEST_NUMBER } from '../support/vendors';
import type { Json } from '../support/json';

/**
 * PBX traffic at 80 % (issue 15), all real: SIPp places concurrent calls through Kamailio over the
 * test line's trunk (dispatcher set 9, sized here at 5 channels); Kamailio serves its active calls,
 * Butler the capacity and thresholds; Debian's Prometheus evaluates the shipped
 * deploy/prometheus/pbx.rules.yml (its `for: 1m` made 0 s, nothing else changed) and Alertmanager
 * sends to Butler. 4 calls = 80 %: the SPM is warned, no incident; the calls end: cleared.
 * 5 calls = 100 %: an incident opens; the calls end: the timeline says the alert resolved.
 */

const h = useHarness({ vendors: true });
const TRUNK = String(TEST_LINE_SET_ID);
let monitoring: EmbeddedMonitoring;
let dir: string;

beforeAll(async () => {
  if (!monitoringInstalled()) throw new Error('prometheus and prometheus-alertmanager are not installed (npm test installs them with apt)');
  dir = mkdtempSync(path.join(tmpdir(), 'butler-trunks-'));
  const shipped = readFileSync(path.join(__dirname, '../../deploy/prometheus/pbx.rules.yml'), 'utf8');
  const rules = path.join(dir, 'pbx.rules.yml');
  writeFileSync(rules, shipped.replaceAll('for: 1m', 'for: 0s'));
  const kamailio = new URL(h.vendors!.kamailio.kamailio.rpcUrl);
  monitoring = await startEmbeddedMonitoring({
    dataDir: dir,
    webhookUrl: `${h.baseUrl}/api/v1/alerts/alertmanager`,
    webhookToken: h.tokens.automation,
    scrapeTargets: [
      { job: 'kamailio', targets: [kamailio.host] },
      { job: 'butler-api', targets: [new URL(h.baseUrl).host], bearerToken: h.tokens.automation },
    ],
    ruleFiles: [rules],
    timing: { scrapeInterval: '1s', evaluationInterval: '1s', resendDelay: '1s', groupWait: '1s', groupInterval: '2s', repeatInterval: '1h' },
  });
  const sized = await h.call('put', `/api/v1/trunks/${TRUNK}`, {
    token: h.tokens.spm,
    body: { channels: 5, center: '상담 1센터', description: '시험 트렁크' },
  });
  expect(sized.status).toBe(200);
  expect(sized.body).toMatchObject({ trunk: TRUNK, channels: 5, warnAtPercent: 80, criticalAtPercent: 95, source: 'recorded' });
}, 60_000);

afterAll(async () => {
  await monitoring?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function calls(concurrent: number, holdMs: number) {
  return placeConcurrentCalls({
    pbxSipAddress: h.vendors!.kamailio.kamailio.sipAddress,
    credentials: await h.vendors!.kamailio.pbx.getSipCredentials(CALLER_DN),
    calledNumber: TEST_NUMBER,
    concurrent,
    holdMs,
  });
}

async function notices(kind: string): Promise<Array<{ subject: string }>> {
  const { rows } = await h.pool.query(`SELECT subject FROM notifications WHERE kind = $1 AND subject LIKE $2 ORDER BY created_at`, [kind, `%트렁크 ${TRUNK}%`]);
  return rows;
}

async function trunkIncidents(): Promise<Json[]> {
  const res = await h.call('get', '/api/v1/incidents?limit=200', { token: h.tokens.spm });
  return res.body.items.filter((i: Json) => i.source === 'monitoring' && String(i.title).includes(`트렁크 ${TRUNK}`));
}

test('Prometheus sees the trunk through Kamailio and Butler', async () => {
  const targets = await eventually(
    async () => ((await (await fetch(`${monitoring.prometheusUrl}/api/v1/targets`)).json()) as Json).data.activeTargets as Json[],
    (t) => t.length === 2 && t.every((x) => x.health === 'up'),
    15_000,
  );
  expect(targets.map((t) => ({ job: t.labels.job, health: t.health, error: t.lastError }))).toEqual(
    expect.arrayContaining([
      { job: 'kamailio', health: 'up', error: '' },
      { job: 'butler-api', health: 'up', error: '' },
    ]),
  );
});

test('4 calls on 5 channels (80 %): the SPM is warned, no incident; the calls end: cleared', async () => {
  const placing = calls(4, 15_000);
  const warned = await eventually(
    () => notices('monitoring-warning'),
    (n) => n.length > 0,
    30_000,
  );
  expect(warned[0]!.subject).toBe(`[경고] 트렁크 ${TRUNK} 사용률 80% (80% 이상)`);
  expect(await trunkIncidents()).toEqual([]);
  expect(await placing).toMatchObject({ ok: true });
  const cleared = await eventually(
    () => notices('monitoring-cleared'),
    (n) => n.length > 0,
    30_000,
  );
  expect(cleared[0]!.subject).toMatch(new RegExp(`^\\[해소\\] 트렁크 ${TRUNK} 사용률`));
  expect(await trunkIncidents()).toEqual([]);
}, 90_000);

test('5 calls on 5 channels (100 %): an incident opens; the calls end: the timeline says the alert resolved', async () => {
  const placing = calls(5, 15_000);
  const opened = await eventually(trunkIncidents, (list) => list.length > 0, 30_000);
  expect(opened).toHaveLength(1);
  expect(opened[0]).toMatchObject({ severity: 'P2', system: 'PBX', center: '상담 1센터', status: 'OPEN' });
  expect(opened[0]!.title).toBe(`트렁크 ${TRUNK} 사용률 100% (95% 이상)`);
  expect(await placing).toMatchObject({ ok: true });
  const id = opened[0]!.id;
  const after = await eventually(
    async () => (await h.call('get', `/api/v1/incidents/${id}`, { token: h.tokens.spm })).body,
    (i) => i.timeline.some((e: Json) => e.type === 'alert' && e.details.alert.status === 'resolved'),
    30_000,
  );
  expect(after.timeline[0].details.alert.labels).toMatchObject({ alertname: 'TrunkUtilizationCritical', trunk: TRUNK, center: '상담 1센터' });
  expect(await trunkIncidents()).toHaveLength(1);
}, 90_000);
