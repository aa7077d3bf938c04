import { createHash } from 'node:crypto';

/**
 * Alertmanager webhook payloads (version 4) as Alertmanager 0.25 sends them, for tests that
 * post to Butler directly; the end-to-end test gets them from the real Alertmanager.
 */

export interface TestAlert {
  status?: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

/** As Alertmanager computes it in spirit: stable per label set (its exact hash is not needed here). */
export function fingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function webhook(alerts: TestAlert[], group: { groupKey?: string; status?: 'firing' | 'resolved' } = {}) {
  const full = alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt ?? '2026-12-06T01:00:00.000Z',
    endsAt: a.endsAt ?? (a.status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z'),
    generatorURL: `http://prometheus.test:9090/graph?g0.expr=${encodeURIComponent(a.labels.alertname ?? '')}`,
    fingerprint: a.fingerprint ?? fingerprint(a.labels),
  }));
  const common = Object.fromEntries(Object.entries(full[0]!.labels).filter(([k, v]) => full.every((a) => a.labels[k] === v)));
  return {
    receiver: 'butler',
    status: group.status ?? (full.every((a) => a.status === 'resolved') ? 'resolved' : 'firing'),
    alerts: full,
    groupLabels: { alertname: common.alertname ?? '' },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test:9093',
    version: '4',
    // Alertmanager's group key is the route's and the group's labels; here, all the labels the alerts share.
    groupKey:
      group.groupKey ??
      `{}:{${Object.entries(common)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`,
    truncatedAlerts: 0,
  };
}
