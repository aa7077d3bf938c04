import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { countRepeat, currentAlertRules, insertAlert, linkedIncident, linkIncident, tryLockDedupeKey, touchLink, type NewAlertRow } from '../db/alerts.repo';
import type { Actor } from '../domain/actor';
import { InvalidTransitionError, UnavailableError } from '../domain/errors';
import { semaphore } from '../system/semaphore';
import type { OpenIncidentRequest } from '../domain/incident/contracts';
import type { AlertReference } from '../domain/monitoring/alert-reference';
import type { AlertmanagerWebhook, WebhookAlert } from '../domain/monitoring/alertmanager';
import { alertReference, decide, dedupeKeyOf, deliveryKey, fingerprintOf, type AlertDecision } from '../domain/monitoring/correlate';
import { centerFor, selectRule, severityFor, type AlertRule } from '../domain/monitoring/rules';
import type { AlertIntakeResult, AlertOutcome } from '../domain/monitoring/views';
import { inTransaction } from '../system/postgres';
import type { MonitoringNoticeInput } from '../workflows/monitoring/notice';
import type { monitoringNoticeWorkflow } from '../workflows/monitoring/notice';
import { openIncident, recordIncidentAlert, transitionIncident, type IncidentServiceDeps } from './incident-service';
import { alertTitle } from './alert-title';
import { isRefusal, withinDeadline } from './temporal-calls';

/**
 * Alertmanager's (or Grafana's) webhook → incidents (issue 15). Each alert of a payload is taken
 * on its own, under a lock on its dedupe key, so that two deliveries at once open one incident.
 * What it does in Temporal carries a key made from the delivery (fingerprint, startsAt, status)
 * and the step (open, reopen, alert), standing for the delivery whatever its annotations say: a
 * retry after a crash or a 503 lands on the same incident and the same Update, and the alert's row
 * is written in the same transaction only once that succeeded, so nothing is half-written.
 * An alert refused for good (no SLA policy for the severity it maps to, say) is kept as `failed`
 * with the reason and taken again at its next delivery; the payload's other alerts go on.
 */

/**
 * Alerts this process takes at once. Each holds a connection (its key's lock) while Temporal
 * answers, and what it does needs others from the same pool: a bound keeps the pool from running dry.
 */
const intake = semaphore(2);
/** How long a delivery waits for another one of its dedupe key before answering 503 (Alertmanager retries). */
const LOCK_WAIT_MS = 15_000;

type AlertResult = AlertIntakeResult['alerts'][number];

export async function receiveAlerts(deps: IncidentServiceDeps, payload: AlertmanagerWebhook, actor: Actor): Promise<AlertIntakeResult> {
  const ruleSet = await currentAlertRules(deps.pool);
  const alerts: AlertResult[] = [];
  for (const alert of payload.alerts) {
    alerts.push(await intake.run(() => receiveOne(deps, { rules: ruleSet.rules, version: ruleSet.version }, payload, alert, actor)));
  }
  return { alerts };
}

/** Runs `work` in a transaction holding the dedupe key's lock; a busy key is waited for without holding a connection. */
async function withDedupeLock<T>(pool: Pool, dedupeKey: string, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const done = await inTransaction(pool, async (tx) => ((await tryLockDedupeKey(tx, dedupeKey)) ? { value: await work(tx) } : undefined));
    if (done) return done.value;
    if (Date.now() > deadline) throw new UnavailableError('another delivery of the same alert is still being taken; retry');
    await sleep(delay);
  }
}

async function receiveOne(
  deps: IncidentServiceDeps,
  ruleSet: { rules: AlertRule[]; version: number | null },
  payload: AlertmanagerWebhook,
  alert: WebhookAlert,
  actor: Actor,
): Promise<AlertResult> {
  const identity = { fingerprint: fingerprintOf(alert), startsAt: new Date(alert.startsAt).toISOString(), status: alert.status };
  const rule = selectRule(ruleSet.rules, alert.labels);
  const row = (ruleId: string | null, dedupeKey: string | null, outcome: AlertOutcome, incidentId: string | null): NewAlertRow => ({
    ...identity,
    endsAt: alert.status === 'resolved' && alert.endsAt && !alert.endsAt.startsWith('0001-') ? new Date(alert.endsAt).toISOString() : null,
    alertname: alert.labels.alertname ?? '',
    labels: alert.labels,
    annotations: alert.annotations,
    generatorUrl: alert.generatorURL || null,
    receiver: payload.receiver,
    groupKey: payload.groupKey,
    externalUrl: payload.externalURL,
    ruleId,
    ruleVersion: ruleId ? ruleSet.version : null,
    dedupeKey,
    outcome,
    incidentId,
  });
  const result = (outcome: AlertOutcome, repeat: boolean, incidentId: string | null): AlertResult => ({
    fingerprint: identity.fingerprint,
    status: identity.status,
    outcome,
    repeat,
    ruleId: rule?.id ?? null,
    incidentId,
  });

  if (!rule) {
    return inTransaction(deps.pool, async (tx) => {
      if (await countRepeat(tx, identity)) return result('unmatched', true, null);
      await insertAlert(tx, row(null, null, 'unmatched', null));
      return result('unmatched', false, null);
    });
  }

  const dedupeKey = dedupeKeyOf(rule, payload, alert);
  try {
    return await withDedupeLock(deps.pool, dedupeKey, async (tx) => {
      const seen = await countRepeat(tx, identity);
      if (seen) return result(seen.outcome as AlertOutcome, true, seen.incidentId);
      const now = (deps.now ?? (() => new Date()))().toISOString();
      const decision = decide({ rule, alert, groupStatus: payload.status, incident: await linkedIncident(tx, dedupeKey), now });
      const reference = alertReference(alert, rule, dedupeKey);
      const acted = await act(deps, tx, { decision, rule, alert, reference, actor, key: `alert:${deliveryKey(alert)}` });
      await insertAlert(tx, row(rule.id, dedupeKey, acted.outcome, acted.incidentId));
      return result(acted.outcome, false, acted.incidentId);
    });
  } catch (err) {
    if (!isRefusal(err)) throw err;
    // Refused for good as it stands: kept with the reason, taken again at its next delivery.
    await insertAlert(deps.pool, { ...row(rule.id, dedupeKey, 'failed', null), error: (err as Error).message.slice(0, 1_000) });
    return result('failed', false, null);
  }
}

interface Act {
  decision: AlertDecision;
  rule: AlertRule;
  alert: WebhookAlert;
  reference: AlertReference;
  actor: Actor;
  /** Made from the delivery; each step adds its name: the Idempotency-Keys of what it does in Temporal. */
  key: string;
}

async function act(deps: IncidentServiceDeps, tx: PoolClient, a: Act): Promise<{ outcome: AlertOutcome; incidentId: string | null }> {
  const { decision, reference, actor, key } = a;
  switch (decision.kind) {
    case 'open': {
      const opened = await openIncident(deps, incidentRequest(a), actor, `${key}:open`, {
        alert: reference,
        similarTo: decision.similarTo,
        delivery: key,
      });
      await linkIncident(tx, reference.dedupeKey, a.rule.id, opened.id);
      return { outcome: 'opened', incidentId: opened.id };
    }
    case 'record': {
      await touchLink(tx, reference.dedupeKey);
      try {
        await recordIncidentAlert(deps, decision.incidentId, { alert: reference, autoResolve: decision.autoResolve }, actor, `${key}:alert`);
        return { outcome: 'recorded', incidentId: decision.incidentId };
      } catch (err) {
        // Closed or cancelled since the read model was read: the alert is kept, as for any ended incident.
        if (!(err instanceof InvalidTransitionError)) throw err;
        if (reference.status === 'resolved') return { outcome: 'kept', incidentId: decision.incidentId };
        return act(deps, tx, { ...a, decision: { kind: 'open', similarTo: decision.incidentId } });
      }
    }
    case 'reopen': {
      try {
        const reason = `모니터링 경보 재발생 (${reference.alertname || a.rule.name}): 해결 후 ${a.rule.reopenWithinMinutes}분 이내`;
        await transitionIncident(deps, decision.incidentId, 'reopen', { reason }, actor, `${key}:reopen`);
      } catch (err) {
        // Closed meanwhile (auto-close): a new incident, linked as similar.
        if (!(err instanceof InvalidTransitionError)) throw err;
        return act(deps, tx, { ...a, decision: { kind: 'open', similarTo: decision.incidentId } });
      }
      // The same key as a plain record: a retry that finds the incident reopened already records this once.
      await recordIncidentAlert(deps, decision.incidentId, { alert: reference, autoResolve: false }, actor, `${key}:alert`);
      await touchLink(tx, reference.dedupeKey);
      return { outcome: 'reopened', incidentId: decision.incidentId };
    }
    case 'notify':
      await notifySpm(deps, a);
      return { outcome: 'notified', incidentId: null };
    case 'keep':
      return { outcome: 'kept', incidentId: decision.incidentId ?? null };
  }
}

function incidentRequest({ rule, alert }: Act): OpenIncidentRequest {
  const title = alertTitle(rule, alert.labels, alert.annotations);
  const labels = Object.entries(alert.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const said = alert.annotations.description ?? alert.annotations.summary;
  const description = [said, `모니터링 경보 ${alert.labels.alertname ?? ''} (${labels})`, alert.generatorURL ? `출처: ${alert.generatorURL}` : undefined]
    .filter(Boolean)
    .join('\n')
    .slice(0, 10_000);
  const center = centerFor(rule, alert.labels);
  return {
    title,
    description,
    severity: severityFor(rule, alert.labels),
    complexity: rule.complexity,
    system: rule.system,
    ...(center ? { center } : {}),
    source: 'monitoring',
  };
}

/** A notify rule's alert: one durable notice to the SPM, started once per delivery (the workflow id is the delivery's). */
async function notifySpm(deps: IncidentServiceDeps, { rule, alert, reference, key }: Act): Promise<void> {
  const title = alertTitle(rule, alert.labels, alert.annotations);
  const firing = alert.status === 'firing';
  const subject = firing ? `[경고] ${title}` : `[해소] ${title}`;
  const center = centerFor(rule, alert.labels);
  const input: MonitoringNoticeInput = {
    key,
    about: `${reference.alertname || rule.id}:${reference.fingerprint}`.slice(0, 100),
    kind: firing ? 'monitoring-warning' : 'monitoring-cleared',
    subject,
    text: [subject, alert.annotations.description ?? alert.annotations.summary, reference.generatorURL].filter(Boolean).join('\n'),
    data: { alert: reference },
    ...(center ? { center } : {}),
  };
  await withinDeadline(deps, () =>
    deps.client.workflow.start<typeof monitoringNoticeWorkflow>('monitoringNoticeWorkflow', {
      workflowId: `monitoring-notice-${key.replace(/^alert:/, '')}`,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  ).catch((err: unknown) => {
    // Already started and finished by an earlier attempt of this delivery: told once is enough.
    if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError') return;
    throw err;
  });
}
