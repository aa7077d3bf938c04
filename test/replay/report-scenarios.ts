import { testAuditSigner } from '../../runtime/embedded-worker';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { recordExport } from '../../db/histories.repo';
import { canonicalJson } from '../../domain/audit/chain';
import { auditTrailWorkflowId } from '../../workflows/audit-trail/messages';
import { sha256Hex } from '../../adapters/temporal/history-capture';
import { auditTrailWorkflow } from '../../workflows/audit-trail/workflow';
import { auditAnchorWorkflow } from '../../workflows/audit-anchor/workflow';
import { slaWhatIfReportWorkflow } from '../../workflows/sla-what-if/workflow';
import { upsertDevices } from '../../db/devices.repo';
import { demoDevices } from '../../db/device-seed';
import type { Actor } from '../../domain/actor';
import type { InspectionState } from '../../domain/inspection/contracts';
import type { QsrState } from '../../domain/qsr/contracts';
import { incidentPublishReportUpdate, incidentRcaUpdate, incidentUpdates, incidentWorkflowId } from '../../workflows/incident/messages';
import { incidentWorkflow } from '../../workflows/incident/workflow';
import { inspectionApproveUpdate, inspectionStateQuery, inspectionWorkflowId } from '../../workflows/inspection/messages';
import { inspectionWorkflow } from '../../workflows/inspection/workflow';
import { qsrApproveUpdate, qsrProposalsUpdate, qsrReturnUpdate, qsrStateQuery, qsrWorkflowId } from '../../workflows/qsr/messages';
import { qsrWorkflow } from '../../workflows/qsr/workflow';
import { until, type Scenario, type ScenarioContext } from './scenario';

/** The incident report, the monthly inspection, the QSR and the audit trail: histories every release must still replay. */

const spm: Actor = { id: 'park-spm', role: 'spm' };
const engineer: Actor = { id: 'choi-eng', role: 'engineer' };

/** A QSR started and waited for until its report awaits the SPM's review. */
async function qsrAwaitingReview(ctx: ScenarioContext, id: string, quarter: string): Promise<WorkflowHandle> {
  const h = await ctx.client.workflow.start(qsrWorkflow, {
    taskQueue: ctx.taskQueue,
    workflowId: qsrWorkflowId(id),
    args: [{ id, quarter, requestedBy: spm }],
  });
  await until(
    h,
    () => h.query(qsrStateQuery),
    (s: QsrState) => s.status !== 'RUNNING',
  );
  return h;
}

export const REPORT_SCENARIOS: Scenario[] = [
  {
    // Resolved, the RCA recorded and revised, the report published to the customer, then the auto-close.
    name: 'incident-p2-rca-report-published',
    async run(ctx) {
      const id = 'INC-900101';
      const h = await ctx.client.workflow.start(incidentWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: incidentWorkflowId(id),
        args: [
          {
            id,
            title: '녹취 서버 저장 실패',
            description: '녹취 파일 저장 실패 — 재현용 시나리오',
            severity: 'P2',
            complexity: 'complex',
            system: 'REC',
            center: '상담 2센터',
            source: 'monitoring',
            openedBy: spm,
            openedAt: await ctx.now(),
            sla: await ctx.sla('P2', 'complex'),
          },
        ],
      });
      const act = (action: 'assign' | 'start' | 'resolve', body: Record<string, unknown>) =>
        h.executeUpdate(incidentUpdates[action], { args: [{ action, body: body as never, actor: engineer }] });
      await act('assign', { assignee: 'choi' });
      await act('start', {});
      await ctx.sleep('2 hours');
      await act('resolve', { resolution: '스토리지 볼륨 확장' });
      const rca = {
        cause: '녹취 스토리지 볼륨 사용률 100% 도달',
        actions: '볼륨 확장 및 오래된 녹취 아카이브',
        prevention: [{ item: '스토리지 사용률 80% 경보 추가', owner: '인프라 운영', dueDate: '2026-12-31' }],
      };
      await h.executeUpdate(incidentRcaUpdate, { args: [{ body: rca, actor: engineer }] });
      await h.executeUpdate(incidentRcaUpdate, { args: [{ body: { ...rca, actions: `${rca.actions}, 백업 정책 점검` }, actor: engineer }] });
      await h.executeUpdate(incidentPublishReportUpdate, { args: [{ body: { locale: 'ko' }, actor: spm }] });
      await ctx.sleep('5 days');
      await h.result();
      return h;
    },
  },
  {
    // One center inspected (its collectors, findings, maybe incidents opened), reviewed and delivered.
    name: 'inspection-center-delivered',
    async run(ctx) {
      await upsertDevices(ctx.pool, [
        ...demoDevices().filter((d) => d.center === '상담1센터'),
        // Past its end of life: a critical finding, so the history opens a child incident.
        { id: 'C1-NET-99', center: '상담1센터', system: 'NET', name: '구형 L2 스위치', model: 'Catalyst 2960', eosDate: '2019-10-31', eolDate: '2022-10-31' },
      ]);
      const id = 'INS-900001';
      const h = await ctx.client.workflow.start(inspectionWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: inspectionWorkflowId(id),
        args: [{ id, period: '2026-10', centers: ['상담1센터'], requestedBy: spm }],
      });
      await until(
        h,
        () => h.query(inspectionStateQuery),
        (s: InspectionState) => s.status !== 'RUNNING',
      );
      await h.executeUpdate(inspectionApproveUpdate, { args: [{ body: { comments: '확인했습니다' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // A quarter reviewed: proposals entered (the report rendered again), approved and delivered.
    name: 'qsr-proposals-delivered',
    async run(ctx) {
      const h = await qsrAwaitingReview(ctx, 'QSR-900001', '2026-Q3');
      await h.executeUpdate(qsrProposalsUpdate, {
        args: [{ body: { proposals: [{ title: 'PRI 이중화', detail: '2센터 PRI 회선 이중화 검토' }] }, actor: spm }],
      });
      await h.executeUpdate(qsrApproveUpdate, { args: [{ body: {}, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // The SPM sends the review back.
    name: 'qsr-returned',
    async run(ctx) {
      const h = await qsrAwaitingReview(ctx, 'QSR-900002', '2026-Q2');
      await h.executeUpdate(qsrReturnUpdate, { args: [{ body: { comments: '통화량 자료 보완 필요' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // An auditor's trail of a stored history (a committed incident history, exported into the recorder's database).
    name: 'audit-trail-rendered',
    async run(ctx) {
      const fixture = JSON.parse(readFileSync(path.join(__dirname, 'histories', 'incident-p2-cancelled.json'), 'utf8'));
      const started = fixture.events[0].workflowExecutionStartedEventAttributes;
      const input = JSON.parse(Buffer.from(started.input.payloads[0].data, 'base64').toString('utf8'));
      const history = canonicalJson(fixture);
      const workflowId = incidentWorkflowId(input.id);
      const sha256 = sha256Hex(history);
      await recordExport(
        ctx.pool,
        testAuditSigner(),
        {
          runId: started.originalExecutionRunId,
          workflowId,
          workflowType: 'incidentWorkflow',
          businessKey: input.id,
          status: 'COMPLETED',
          startedAt: fixture.events[0].eventTime,
          events: fixture.events.length,
          history,
          sha256,
        },
        { actor: 'audit-lee', actorRole: 'auditor', reason: 'replay scenario' },
      );
      const request = { workflowId, sha256, locale: 'ko' as const };
      const h = await ctx.client.workflow.start(auditTrailWorkflow, { taskQueue: ctx.taskQueue, workflowId: auditTrailWorkflowId(request), args: [request] });
      await h.result();
      return h;
    },
  },
  {
    // Issue 17: the SLA what-if as a PDF (the recorder's database has no closed incident: an empty period).
    name: 'sla-what-if-rendered',
    run: async (ctx) => {
      const request = { id: 'SLA-WHATIF-REPLAY1', request: { from: '2026-07-01', to: '2026-10-01', policies: [] }, locale: 'ko' as const };
      const h = await ctx.client.workflow.start(slaWhatIfReportWorkflow, { taskQueue: ctx.taskQueue, workflowId: 'sla-what-if-replay', args: [request] });
      await h.result();
      return h;
    },
  },
  {
    // Issue 17: the audit chain's anchor, signed and mailed to the auditors.
    name: 'audit-anchor-signed',
    run: async (ctx) => {
      const h = await ctx.client.workflow.start(auditAnchorWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: 'audit-anchor-replay',
        args: [{ reason: 'replay scenario', requestedBy: 'audit-lee' }],
      });
      await h.result();
      return h;
    },
  },
];
