import { z } from 'zod';
import { currentAlertRules, listAlerts, saveAlertRules } from '../db/alerts.repo';
import { AlertmanagerWebhook } from '../domain/monitoring/alertmanager';
import { AlertRule, AlertRuleSet } from '../domain/monitoring/rules';
import { AlertIntakeResult, AlertView } from '../domain/monitoring/views';
import { ID_PREFIX } from '../domain/ids';
import { receiveAlerts } from './alert-service';
import { checkTitleTemplates } from './alert-title';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

const ListQuery = z
  .object({
    /** `true`: only alerts no rule matched (for an admin to write a rule); `false`: only matched ones. */
    unmatched: z.enum(['true', 'false']).optional(),
    incident: z
      .string()
      .regex(new RegExp(`^${ID_PREFIX.incident}-\\d{6,}$`), 'an incident id (INC-000001)')
      .optional(),
    status: z.enum(['firing', 'resolved']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const RuleSetRequest = AlertRuleSet.superRefine(({ rules }, ctx) => checkTitleTemplates(rules, ctx));
const RuleSetView = z.object({
  /** Null while the shipped defaults are in force. */
  version: z.number().int().nullable(),
  rules: z.array(AlertRule),
  savedBy: z.string().nullable(),
  savedAt: z.string().nullable(),
});

/** Who reads alerts and rules: everyone who works incidents, and auditors. */
const READERS = ['admin', 'spm', 'engineer', 'auditor'] as const;

export function alertRoutes(deps: IncidentServiceDeps): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/alerts/alertmanager',
      summary:
        "Alertmanager's webhook (version 4; Grafana alerting's webhook sends the same shape): each alert opens, adds to, reopens or resolves an incident by the alert rules",
      tag: 'alerts',
      roles: ['automation', 'admin'],
      body: AlertmanagerWebhook,
      success: { status: 200, description: 'what each alert of the payload did, in order', schema: AlertIntakeResult },
      handle: ({ body, actor }) => receiveAlerts(deps, body, actor),
    }),
    route({
      method: 'get',
      path: '/api/v1/alerts',
      summary: 'Alerts received, newest first; unmatched=true lists those no rule matched (kept, never dropped)',
      tag: 'alerts',
      roles: READERS,
      query: ListQuery,
      success: { status: 200, schema: z.object({ items: z.array(AlertView), total: z.number().int() }) },
      handle: ({ query }) =>
        listAlerts(deps.pool, {
          unmatched: query.unmatched === undefined ? undefined : query.unmatched === 'true',
          incident: query.incident,
          status: query.status,
          limit: query.limit,
          offset: query.offset,
        }),
    }),
    route({
      method: 'get',
      path: '/api/v1/alert-rules',
      summary: 'The rules that map alerts to incidents, tried in order (the shipped defaults until an admin saves others)',
      tag: 'alerts',
      roles: READERS,
      success: { status: 200, schema: RuleSetView },
      handle: () => currentAlertRules(deps.pool),
    }),
    route({
      method: 'put',
      path: '/api/v1/alert-rules',
      summary: 'Replace the alert rules (a new version; alerts keep the version they were mapped by)',
      tag: 'alerts',
      roles: ['admin'],
      body: RuleSetRequest,
      success: { status: 200, schema: RuleSetView },
      handle: ({ body, actor }) => saveAlertRules(deps.pool, body.rules, actor.id),
    }),
  ];
}
