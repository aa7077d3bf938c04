import { spawnSync } from 'node:child_process';
import { incidentBody, useHarness } from './harness';

/**
 * GET /metrics (prom-client) over the real API, worker, Temporal and PostgreSQL: a token is
 * required, the exposition passes Prometheus's own linter (promtool, from the Debian package),
 * and the figures follow what happens to incidents.
 */

const h = useHarness();

async function scrape(): Promise<string> {
  const res = await h.call('get', '/metrics', { token: h.tokens.automation });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text;
}

/** The value of one sample, by its exact name and label set as Prometheus writes it; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('a token of role automation or admin is required', async () => {
  expect((await h.call('get', '/metrics')).status).toBe(401);
  expect((await h.call('get', '/metrics', { token: h.tokens.engineer })).status).toBe(403);
  expect((await h.call('get', '/metrics', { token: h.tokens.admin })).status).toBe(200);
});

test("the exposition passes promtool's linter and names every metric the dashboards and rules use", async () => {
  const text = await scrape();
  const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  // prom-client's own Node.js gauges are named *_total (its choice, kept so its dashboards work); everything of Butler's must pass.
  const problems = `${lint.stdout}${lint.stderr}`
    .split('\n')
    .filter((l) => l.trim() && !/^butler_api_nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(l));
  expect(problems).toEqual([]);
  expect(lint.status === 0 || lint.status === 3).toBe(true);
  for (const name of [
    'butler_incidents_open',
    'butler_sla_warnings_total',
    'butler_sla_breaches_total',
    'butler_sla_breaches_unnotified',
    'butler_incident_restore_seconds',
    'butler_notification_dead_letters',
    'butler_history_archive_last_pass_timestamp_seconds',
    'butler_audit_chain_intact',
    'butler_audit_chain_verified_timestamp_seconds',
    'butler_schedule_last_run_timestamp_seconds',
    'butler_http_requests_total',
    'butler_http_request_duration_seconds',
    'butler_api_process_resident_memory_bytes',
  ]) {
    expect({ name, declared: text.includes(`# TYPE ${name} `) }).toEqual({ name, declared: true });
  }
  expect(sample(text, 'butler_audit_chain_intact')).toBe(1);
});

test('open incidents, restore times and requests follow what happens', async () => {
  const series = 'butler_incidents_open{severity="P2",status="OPEN",level="L1"}';
  const before = sample(await scrape(), series) ?? 0;
  const opened = await h.call('post', '/api/v1/incidents', { token: h.tokens.spm, body: { ...incidentBody(), severity: 'P2' } });
  expect(opened.status).toBe(201);
  const id = opened.body.id;
  const during = await scrape();
  expect(sample(during, series)).toBe(before + 1);
  expect(sample(during, 'butler_http_requests_total{method="POST",route="/api/v1/incidents",status="201"}')).toBeGreaterThanOrEqual(1);

  for (const [action, body] of [
    ['assign', { assignee: 'eng-park' }],
    ['resolve', { resolution: '재기동' }],
  ] as const) {
    expect((await h.call('post', `/api/v1/incidents/${id}/${action}`, { token: h.tokens.spm, body })).status).toBe(200);
  }
  const after = await scrape();
  expect(sample(after, series) ?? 0).toBe(before);
  expect(sample(after, 'butler_incident_restore_seconds_count{severity="P2"}')).toBeGreaterThanOrEqual(1);
  // Route templates, not paths: one series for every incident's resolve.
  expect(sample(after, 'butler_http_requests_total{method="POST",route="/api/v1/incidents/:id/resolve",status="200"}')).toBe(1);
  expect(after).not.toContain(`route="/api/v1/incidents/${id}`);
});
