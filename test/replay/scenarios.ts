import type { WorkflowHandle } from '@temporalio/client';
import type { HistoryLimits, IncidentAction, TransitionRequest } from '../../domain/incident/contracts';
import type { Actor } from '../../domain/actor';
import type { Complexity, Severity } from '../../domain/sla/model';
import { incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { CHANGE_SCENARIOS } from './change-scenarios';
import { LINE_SCENARIOS } from './line-scenarios';
import { REPORT_SCENARIOS } from './report-scenarios';
import { MONITORING_SCENARIOS } from './monitoring-scenarios';
import { BILLING_SCENARIOS } from './billing-scenarios';
import type { Scenario, ScenarioContext } from './scenario';

/** The lifecycles whose recorded histories every release must still replay. */

const spm: Actor = { id: 'park-spm', role: 'spm' };
const engineer: Actor = { id: 'choi-eng', role: 'engineer' };

async function open(ctx: ScenarioContext, id: string, severity: Severity, complexity: Complexity, title: string, limits?: HistoryLimits) {
  return ctx.client.workflow.start(incidentWorkflow, {
    taskQueue: ctx.taskQueue,
    workflowId: incidentWorkflowId(id),
    args: [
      {
        id,
        title,
        description: `${title} — 재현용 시나리오`,
        severity,
        complexity,
        system: 'PBX',
        center: '상담 1센터',
        source: 'customer',
        openedBy: spm,
        openedAt: await ctx.now(),
        sla: await ctx.sla(severity, complexity),
        ...(limits ? { limits } : {}),
      },
    ],
  });
}

/**
 * An incident handed over to a new run after every second Update: a pause, a breach with
 * escalation, a retried Idempotency-Key, the close. `which` picks the run whose history is kept.
 */
async function continuedAsNew(ctx: ScenarioContext, id: string, which: 'first' | 'last'): Promise<WorkflowHandle> {
  const h = await open(ctx, id, 'P1', 'complex', '상담 2센터 CTI 장애 (장기)', { events: 40, updates: 2 });
  await act(h, 'assign', { assignee: 'choi' }, spm);
  await act(h, 'start', {});
  await ctx.sleep('20 minutes');
  await act(h, 'pend', { reason: 'customer' });
  await ctx.sleep('1 hour');
  await act(h, 'notes', { text: '고객사 회신 수신' }, spm);
  await act(h, 'resume', {});
  const escalate = () =>
    h.executeUpdate(incidentUpdates.escalate, { args: [{ action: 'escalate', body: { reason: '벤더 지원' }, actor: spm }], updateId: `idem:${id}` });
  await escalate();
  await act(h, 'notes', { text: '벤더 엔지니어 배정' }, spm);
  await act(h, 'notes', { text: '부품 발송' }, spm);
  await escalate();
  await ctx.sleep('5 hours');
  await act(h, 'resolve', { resolution: 'CTI 서버 교체' });
  await act(h, 'close', {}, spm);
  await h.result();
  return which === 'first' ? ctx.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId) : h;
}

function act<A extends IncidentAction>(handle: WorkflowHandle, action: A, body: TransitionRequest<A>['body'], actor: Actor = engineer) {
  return handle.executeUpdate(incidentUpdates[action], { args: [{ action, body, actor }] });
}

export const SCENARIOS: Scenario[] = [
  {
    // Warnings, a customer pause, a breach with escalation, reopen, and the 5-day auto-close.
    name: 'incident-p1-breach-reopen-autoclose',
    async run(ctx) {
      const h = await open(ctx, 'INC-900001', 'P1', 'complex', '상담 1센터 교환기 장애');
      await act(h, 'assign', { assignee: 'choi' }, spm);
      await act(h, 'start', {});
      await ctx.sleep('90 minutes');
      await act(h, 'pend', { reason: 'customer' });
      await ctx.sleep('1 hour');
      await act(h, 'resume', {});
      await ctx.sleep('3 hours');
      await act(h, 'notes', { text: '벤더 로그 분석 요청' });
      await act(h, 'resolve', { resolution: 'PRI 카드 교체' });
      await ctx.sleep('1 day');
      await act(h, 'reopen', { reason: '동일 증상 재발' }, spm);
      await act(h, 'resolve', { resolution: '펌웨어 업데이트' });
      await ctx.sleep('5 days');
      await h.result();
      return h;
    },
  },
  {
    // A business-hours incident moved by hand: vendor pend, manual escalations, manual close.
    name: 'incident-p3-escalated-closed',
    async run(ctx) {
      const h = await open(ctx, 'INC-900002', 'P3', 'simple', '녹취 서버 디스크 사용률 경고');
      await act(h, 'assign', { assignee: 'lee' }, spm);
      await act(h, 'start', {});
      await act(h, 'escalate', { reason: '원격 조치 불가' }, spm);
      await act(h, 'pend', { reason: 'vendor' });
      await act(h, 'escalate', { reason: '제조사 분석 필요' }, spm);
      await ctx.sleep('2 hours');
      await act(h, 'resume', {});
      await act(h, 'resolve', { resolution: '디스크 증설' });
      await act(h, 'close', {}, spm);
      await h.result();
      return h;
    },
  },
  {
    // A false alarm cancelled before anyone was assigned.
    name: 'incident-p2-cancelled',
    async run(ctx) {
      const h = await open(ctx, 'INC-900003', 'P2', 'simple', 'IVR 시나리오 응답 지연 (오탐)');
      await ctx.sleep('20 minutes');
      await act(h, 'cancel', { reason: '모니터링 오탐' }, spm);
      await h.result();
      return h;
    },
  },
  { name: 'incident-continued-as-new-first-run', run: (ctx) => continuedAsNew(ctx, 'INC-900004', 'first') },
  { name: 'incident-continued-as-new-last-run', run: (ctx) => continuedAsNew(ctx, 'INC-900005', 'last') },
  ...LINE_SCENARIOS,
  ...CHANGE_SCENARIOS,
  ...REPORT_SCENARIOS,
  ...MONITORING_SCENARIOS,
  ...BILLING_SCENARIOS,
];
