import path from 'node:path';
import { ensureAptPackages } from '../system/system-packages';
import type { Logger } from '../system/logger';
import type { Config } from './config';
import { monitoringInstalled, startEmbeddedMonitoring, type EmbeddedMonitoring, type ScrapeTarget } from './embedded-monitoring';

/** The Debian packages of the embedded default's monitoring, installed like Chromium when missing (as root). */
export const MONITORING_PACKAGES = ['prometheus', 'prometheus-alertmanager'];

const RULE_FILES = ['butler.rules.yml', 'pbx.rules.yml'].map((f) => path.join(__dirname, '..', 'deploy', 'prometheus', f));

/**
 * `npm start`'s Prometheus and Alertmanager: they scrape the API's /metrics, the worker's Temporal SDK
 * metrics and the embedded Kamailio, load the shipped rules, and send alerts to Butler's webhook with
 * the automation token. Without the packages (and no root to install them) Butler runs without
 * them and says so: monitoring is not needed to work incidents.
 */
export async function startMonitoringForStack(
  config: Config,
  log: Logger,
  at: { apiPort: number; token: string; pbxMetricsTarget?: string },
): Promise<EmbeddedMonitoring | undefined> {
  ensureAptPackages(MONITORING_PACKAGES, (line) => log.info(line));
  if (!monitoringInstalled()) {
    log.warn('Prometheus and Alertmanager are not installed (apt prometheus prometheus-alertmanager): starting without them');
    return undefined;
  }
  const targets: ScrapeTarget[] = [{ job: 'butler-api', targets: [`127.0.0.1:${at.apiPort}`], bearerToken: at.token }];
  if (config.workerMetricsAddress) targets.push({ job: 'butler-worker', targets: [config.workerMetricsAddress] });
  if (at.pbxMetricsTarget) targets.push({ job: 'kamailio', targets: [at.pbxMetricsTarget] });
  const monitoring = await startEmbeddedMonitoring({
    dataDir: config.dataDir,
    webhookUrl: `http://127.0.0.1:${at.apiPort}/api/v1/alerts/alertmanager`,
    webhookToken: at.token,
    scrapeTargets: targets,
    ruleFiles: RULE_FILES,
    prometheusPort: config.monitoring.prometheusPort,
    alertmanagerPort: config.monitoring.alertmanagerPort,
    onLog: (line) => log.debug({ component: 'monitoring' }, line),
  });
  log.info(`Prometheus on ${monitoring.prometheusUrl}, Alertmanager on ${monitoring.alertmanagerUrl} (alerts → Butler's webhook)`);
  return monitoring;
}
