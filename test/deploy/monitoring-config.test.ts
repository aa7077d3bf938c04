import { testAuditSigner } from '../../runtime/embedded-worker';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { createMetrics } from '../../api/metrics';

/**
 * The monitoring configuration Butler ships (deploy/prometheus, deploy/grafana): the rules pass
 * Prometheus's own checker, and every Butler metric a rule or a dashboard panel names is one
 * /metrics exports (a renamed metric would leave a panel empty and an alert silent).
 */

const root = path.resolve(__dirname, '../..');
const ruleFiles = readdirSync(path.join(root, 'deploy/prometheus'))
  .filter((f) => f.endsWith('.rules.yml'))
  .map((f) => path.join(root, 'deploy/prometheus', f));
const dashboard = JSON.parse(readFileSync(path.join(root, 'deploy/grafana/butler-dashboard.json'), 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

/** Every series name Butler's registry exports; a histogram's as Prometheus stores them. */
function exportedNames(): Set<string> {
  // Names only: no collect() runs, so no database is needed.
  const { registry } = createMetrics({ pool: {} as Pool, auditKey: testAuditSigner().publicKey, client: {} as Client, scheduleIds: [] });
  const names = new Set<string>();
  for (const m of registry.getMetricsAsArray()) {
    const { name, type } = m as unknown as { name: string; type: string };
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  return names;
}

function butlerNamesIn(expr: string): string[] {
  return [...expr.matchAll(/\bbutler_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

test('the shipped rule files pass promtool check rules', () => {
  expect(ruleFiles.length).toBeGreaterThan(0);
  const check = spawnSync('promtool', ['check', 'rules', ...ruleFiles], { encoding: 'utf8' });
  expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
});

test('every Butler metric the rules and the Grafana dashboard use is exported', () => {
  const exported = exportedNames();
  const used: Array<{ where: string; name: string }> = [];
  for (const file of ruleFiles) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*expr:\s*(.+)$/gm)) {
      for (const name of butlerNamesIn(match[1]!)) used.push({ where: path.basename(file), name });
    }
  }
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) for (const name of butlerNamesIn(target.expr)) used.push({ where: `panel ${panel.title}`, name });
  }
  expect(used.length).toBeGreaterThan(10);
  expect(used.filter((u) => !exported.has(u.name))).toEqual([]);
  // The check itself can fail: a name Butler does not export is caught.
  expect(exported.has('butler_incidents_opened')).toBe(false);
});

test("docker-compose's Alertmanager configuration passes amtool and sends to Butler's webhook with the monitoring token", () => {
  const file = path.join(root, 'deploy/alertmanager/alertmanager.compose.yml');
  const check = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
  expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('url: http://api:3000/api/v1/alerts/alertmanager');
  expect(text).toContain('credentials_file: /run/secrets/monitoring_token');
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  expect(compose).toContain('./deploy/prometheus/butler.rules.yml:/etc/prometheus/butler.rules.yml:ro');
  expect(compose).toContain('BUTLER_WORKER_METRICS_ADDRESS: 0.0.0.0:9464');
});
