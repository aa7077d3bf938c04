import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killGroup, stopGroup } from '../system/child-process';
import { freePort } from '../system/ports';

/**
 * The monitoring stack every operator already runs, on loopback: Debian's Prometheus and
 * Alertmanager (apt `prometheus`, `prometheus-alertmanager`; the packages cannot start their
 * services here, so the binaries are started directly). Alertmanager sends to Butler's webhook
 * with an automation token. The configuration files are written as JSON, which both read as YAML.
 */

export const PROMETHEUS_PATH = '/usr/bin/prometheus';
export const ALERTMANAGER_PATH = '/usr/bin/prometheus-alertmanager';

export function monitoringInstalled(): boolean {
  return existsSync(PROMETHEUS_PATH) && existsSync(ALERTMANAGER_PATH);
}

export interface ScrapeTarget {
  job: string;
  /** host:port */
  targets: string[];
  metricsPath?: string;
  /** Sent as `Authorization: Bearer …` (Butler's own /metrics). */
  bearerToken?: string;
  /** Keep the target's own `instance`/`job` labels (an exporter that speaks for other hosts). */
  honorLabels?: boolean;
}

export interface EmbeddedMonitoringOptions {
  dataDir: string;
  /** Butler's Alertmanager webhook, e.g. http://127.0.0.1:3000/api/v1/alerts/alertmanager. */
  webhookUrl: string;
  /** A token of role automation, sent by Alertmanager as its bearer credentials. */
  webhookToken: string;
  scrapeTargets: ScrapeTarget[];
  /** Prometheus rule files (YAML) to load. */
  ruleFiles: string[];
  /**
   * How fast things move. The defaults are production's; tests shorten them all (Prometheus drops an
   * alert sent before Alertmanager is discovered and resends only after `resendDelay`).
   */
  timing?: Partial<MonitoringTiming>;
  prometheusPort?: number;
  alertmanagerPort?: number;
  onLog?: (line: string) => void;
}

export interface MonitoringTiming {
  scrapeInterval: string;
  evaluationInterval: string;
  resendDelay: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

const PRODUCTION_TIMING: MonitoringTiming = {
  scrapeInterval: '15s',
  evaluationInterval: '15s',
  resendDelay: '1m',
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
};

export interface EmbeddedMonitoring {
  prometheusUrl: string;
  alertmanagerUrl: string;
  stop(): Promise<void>;
}

const LISTEN_IP = '127.0.0.1';

export async function startEmbeddedMonitoring(opts: EmbeddedMonitoringOptions): Promise<EmbeddedMonitoring> {
  const timing = { ...PRODUCTION_TIMING, ...opts.timing };
  const dir = path.join(opts.dataDir, 'monitoring');
  mkdirSync(path.join(dir, 'alertmanager-data'), { recursive: true });
  mkdirSync(path.join(dir, 'prometheus-data'), { recursive: true });
  const [amPort, promPort] = [opts.alertmanagerPort ?? (await freePort()), opts.prometheusPort ?? (await freePort())];
  const log = opts.onLog ?? (() => undefined);

  const alertmanagerConfig = path.join(dir, 'alertmanager.yml');
  writeFileSync(
    alertmanagerConfig,
    JSON.stringify(
      {
        route: {
          receiver: 'butler',
          group_by: ['alertname', 'instance', 'trunk'],
          group_wait: timing.groupWait,
          group_interval: timing.groupInterval,
          repeat_interval: timing.repeatInterval,
        },
        receivers: [
          {
            name: 'butler',
            webhook_configs: [
              { url: opts.webhookUrl, send_resolved: true, max_alerts: 0, http_config: { authorization: { type: 'Bearer', credentials: opts.webhookToken } } },
            ],
          },
        ],
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );

  const prometheusConfig = path.join(dir, 'prometheus.yml');
  writeFileSync(
    prometheusConfig,
    JSON.stringify(
      {
        global: { scrape_interval: timing.scrapeInterval, evaluation_interval: timing.evaluationInterval },
        rule_files: opts.ruleFiles,
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`${LISTEN_IP}:${amPort}`] }] }] },
        scrape_configs: opts.scrapeTargets.map((t) => ({
          job_name: t.job,
          metrics_path: t.metricsPath ?? '/metrics',
          static_configs: [{ targets: t.targets }],
          ...(t.honorLabels ? { honor_labels: true } : {}),
          ...(t.bearerToken ? { authorization: { type: 'Bearer', credentials: t.bearerToken } } : {}),
        })),
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );

  const children: ChildProcess[] = [];
  // If Butler dies without an orderly stop, neither may outlive it.
  const killOnExit = () => children.forEach((c) => killGroup(c, 'SIGKILL'));
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await Promise.all(children.splice(0).map((c) => stopGroup(c, 5_000)));
  };
  try {
    children.push(
      run(
        ALERTMANAGER_PATH,
        [
          `--config.file=${alertmanagerConfig}`,
          `--storage.path=${path.join(dir, 'alertmanager-data')}`,
          `--web.listen-address=${LISTEN_IP}:${amPort}`,
          `--web.external-url=http://${LISTEN_IP}:${amPort}`,
          // No cluster: one Alertmanager, no gossip port.
          '--cluster.listen-address=',
        ],
        (line) => log(`alertmanager: ${line}`),
      ),
    );
    const alertmanagerUrl = `http://${LISTEN_IP}:${amPort}`;
    await ready(`${alertmanagerUrl}/-/ready`, 'Alertmanager', children[0]!);
    children.push(
      run(
        PROMETHEUS_PATH,
        [
          `--config.file=${prometheusConfig}`,
          `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
          `--web.listen-address=${LISTEN_IP}:${promPort}`,
          `--rules.alert.resend-delay=${timing.resendDelay}`,
          // The links in alerts (generatorURL) point here, not at the machine's host name.
          `--web.external-url=http://${LISTEN_IP}:${promPort}`,
          '--web.enable-lifecycle',
        ],
        (line) => log(`prometheus: ${line}`),
      ),
    );
    const prometheusUrl = `http://${LISTEN_IP}:${promPort}`;
    await ready(`${prometheusUrl}/-/ready`, 'Prometheus', children[1]!);
    return { prometheusUrl, alertmanagerUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function run(binary: string, args: string[], log: (line: string) => void): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(log));
  }
  return child;
}

/** Until it answers ready; a child that exited meanwhile fails at once (whatever else answers on its port is not ours). */
async function ready(url: string, what: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready at ${url}: is the port taken?`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) {
        // Ready, and still ours: a process that lost the port race has exited by now.
        await sleep(300);
        if (child.exitCode === null && child.signalCode === null) return;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`${what} did not become ready at ${url} within ${timeoutMs} ms: ${String(last)}`);
}
