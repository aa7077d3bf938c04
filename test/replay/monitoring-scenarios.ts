import type { Actor } from '../../domain/actor';
import type { AlertReference } from '../../domain/monitoring/alert-reference';
import { incidentAlertUpdate, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { monitoringNoticeWorkflow } from '../../workflows/monitoring/notice';
import type { Scenario } from './scenario';

/** Issue 15: an incident monitoring opened and resolved, and a notify-only alert's notice to the SPM. */

const monitoringBot: Actor = { id: 'alertmanager', role: 'automation' };
const spm: Actor = { id: 'park-spm', role: 'spm' };

function alert(status: 'firing' | 'resolved', startsAt: string): AlertReference {
  return {
    status,
    alertname: 'PbxUnreachable',
    labels: { alertname: 'PbxUnreachable', instance: 'pbx-1:5060', center: '상담 1센터', severity: 'critical' },
    annotations: { summary: 'pbx-1:5060 응답 없음' },
    startsAt,
    endsAt: status === 'resolved' ? startsAt : null,
    fingerprint: '0f1e2d3c4b5a6978',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22kamailio%22%7D+%3D%3D+0',
    ruleId: 'pbx-unreachable',
    dedupeKey: 'pbx-unreachable:alert:0f1e2d3c4b5a6978',
  };
}

export const MONITORING_SCENARIOS: Scenario[] = [
  {
    // Opened by an alert, the alert fired again, resolved (resolving the untouched incident), closed by the SPM.
    name: 'incident-monitoring-auto-resolved',
    async run(ctx) {
      const id = 'INC-900901';
      const openedAt = await ctx.now();
      const h = await ctx.client.workflow.start(incidentWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: incidentWorkflowId(id),
        args: [
          {
            id,
            title: 'PBX 응답 없음: pbx-1:5060',
            description: '모니터링 경보 PbxUnreachable',
            severity: 'P1',
            complexity: 'complex',
            system: 'PBX',
            center: '상담 1센터',
            source: 'monitoring',
            openedBy: monitoringBot,
            openedAt,
            sla: await ctx.sla('P1', 'complex'),
            alert: alert('firing', openedAt),
          },
        ],
      });
      await ctx.sleep('5 minutes');
      await h.executeUpdate(incidentAlertUpdate, { args: [{ alert: alert('firing', await ctx.now()), autoResolve: false, actor: monitoringBot }] });
      await ctx.sleep('5 minutes');
      await h.executeUpdate(incidentAlertUpdate, { args: [{ alert: alert('resolved', await ctx.now()), autoResolve: true, actor: monitoringBot }] });
      await h.executeUpdate(incidentUpdates.close, { args: [{ action: 'close', body: {}, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    name: 'monitoring-notice-sent',
    async run(ctx) {
      const h = await ctx.client.workflow.start(monitoringNoticeWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: 'monitoring-notice-replay-1',
        args: [
          {
            key: 'alert:replay-1',
            about: 'TrunkUtilizationHigh:0f1e2d3c4b5a6979',
            kind: 'monitoring-warning',
            subject: '[경고] 트렁크 223 (LN-000123) 사용률 82% (80% 이상)',
            text: '[경고] 트렁크 223 (LN-000123) 사용률 82% (80% 이상)',
            data: { trunk: '223' },
            center: '상담 1센터',
          },
        ],
      });
      await h.result();
      return h;
    },
  },
];
