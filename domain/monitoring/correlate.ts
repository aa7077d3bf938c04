import { createHash } from 'node:crypto';
import type { IncidentStatus } from '../incident/contracts';
import { NOT_ENDED, type AlertStatus, type AlertmanagerWebhook, type LabelSet, type WebhookAlert } from './alertmanager';
import type { AlertRule } from './rules';
import type { AlertReference } from './alert-reference';

/**
 * What one delivered alert does to the incidents (issue 15): one open incident per dedupe key;
 * a delivery seen before (same fingerprint, startsAt and status: Alertmanager's resend every
 * `repeat_interval`) only counts; a resolved alert is written on the timeline; a re-fire soon
 * after the incident was resolved reopens it, later it opens a new one linked as similar.
 */

/** Alertmanager always sends a fingerprint; a sender that does not gets one made from the labels, as Prometheus makes it: stable for the same label set. */
export function fingerprintOf(alert: WebhookAlert): string {
  if (alert.fingerprint) return alert.fingerprint.toLowerCase();
  const canonical = Object.keys(alert.labels)
    .sort()
    .map((k) => `${k}\u00ff${alert.labels[k]}`)
    .join('\u00fe');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The one delivery an alert stands for: a resend of it carries the same three. */
export function deliveryKey(alert: WebhookAlert): string {
  return createHash('sha256')
    .update([fingerprintOf(alert), new Date(alert.startsAt).toISOString(), alert.status].join('|'))
    .digest('hex')
    .slice(0, 32);
}

export function dedupeKeyOf(rule: AlertRule, payload: Pick<AlertmanagerWebhook, 'groupKey'>, alert: WebhookAlert): string {
  return rule.dedupeBy === 'group' ? `${rule.id}:group:${payload.groupKey}` : `${rule.id}:alert:${fingerprintOf(alert)}`;
}

export function alertReference(alert: WebhookAlert, rule: AlertRule, dedupeKey: string): AlertReference {
  const ended = alert.endsAt && alert.endsAt !== NOT_ENDED && alert.status === 'resolved' ? new Date(alert.endsAt).toISOString() : null;
  return {
    status: alert.status,
    alertname: alert.labels.alertname ?? '',
    labels: alert.labels as LabelSet,
    annotations: alert.annotations as LabelSet,
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: ended,
    fingerprint: fingerprintOf(alert),
    generatorURL: alert.generatorURL || null,
    ruleId: rule.id,
    dedupeKey,
  };
}

/** Where the incident a dedupe key last opened stands now (from the read model). */
export interface LinkedIncident {
  id: string;
  status: IncidentStatus;
  resolvedAt: string | null;
}

export type AlertDecision =
  /** A new incident; `similarTo` links the one this key opened before (resolved too long ago, or closed). */
  | { kind: 'open'; similarTo?: string }
  /** On the open (or resolved) incident's timeline; `autoResolve` asks the workflow to resolve it if nobody has touched it. */
  | { kind: 'record'; incidentId: string; autoResolve: boolean }
  | { kind: 'reopen'; incidentId: string }
  /** The rule only tells the SPM (the trunk's 80 % warning). */
  | { kind: 'notify' }
  /** Kept on the alert's record only: a resolution of an incident that ended, or of one never opened. */
  | { kind: 'keep'; reason: 'no-incident' | 'incident-ended'; incidentId?: string };

const ACTIVE: readonly IncidentStatus[] = ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING'];

export function decide(input: {
  rule: AlertRule;
  alert: Pick<WebhookAlert, 'status'>;
  /** The group's status as the payload gives it: "resolved" only when all its alerts are. */
  groupStatus: AlertStatus;
  incident: LinkedIncident | undefined;
  now: string;
}): AlertDecision {
  const { rule, alert, incident } = input;
  if (rule.action === 'notify') return { kind: 'notify' };
  if (alert.status === 'firing') {
    if (!incident) return { kind: 'open' };
    if (ACTIVE.includes(incident.status)) return { kind: 'record', incidentId: incident.id, autoResolve: false };
    const resolvedFor = incident.status === 'RESOLVED' && incident.resolvedAt ? Date.parse(input.now) - Date.parse(incident.resolvedAt) : Infinity;
    if (resolvedFor <= rule.reopenWithinMinutes * 60_000) return { kind: 'reopen', incidentId: incident.id };
    return { kind: 'open', similarTo: incident.id };
  }
  if (!incident) return { kind: 'keep', reason: 'no-incident' };
  if (incident.status === 'CLOSED' || incident.status === 'CANCELLED') return { kind: 'keep', reason: 'incident-ended', incidentId: incident.id };
  // A group's incident resolves itself only when the whole group has.
  const allClear = rule.dedupeBy === 'alert' || input.groupStatus === 'resolved';
  return { kind: 'record', incidentId: incident.id, autoResolve: rule.autoResolve && allClear && ACTIVE.includes(incident.status) };
}
