import type { WorkflowHandle } from '@temporalio/client';
import type { Actor } from '../../domain/actor';
import type { LineState, LineTiming, LineWorkflowInput, ProvisionLineRequest } from '../../domain/line/contracts';
import { seoulDateOf } from '../../domain/calendar/seoul';
import {
  cancelProvisioningUpdate,
  cancelTerminationUpdate,
  equipmentReturnedUpdate,
  lineBatchRequestedUpdate,
  lineBatchWorkflowId,
  lineStateQuery,
  lineTerminationWorkflowId,
  recordBatchContractUpdate,
  lineWorkflowId,
  recordContractUpdate,
  retryTerminationUpdate,
  terminationRequestedUpdate,
} from '../../workflows/line/messages';
import { lineProvisioningWorkflow } from '../../workflows/line/provisioning';
import { lineTerminationWorkflow } from '../../workflows/line/termination';
import { lineProvisioningBatchWorkflow } from '../../workflows/line/batch';
import { preflightWorkflow } from '../../workflows/preflight/workflow';
import type { Scenario, ScenarioContext } from './scenario';

/** Line provisioning and termination runs whose histories every release must still replay. */

const spm: Actor = { id: 'park-spm', role: 'spm' };
const engineer: Actor = { id: 'choi-eng', role: 'engineer' };
const DAY = 86_400_000;
const timing: LineTiming = { contractDeadlineMs: 3 * DAY, contractReminderMs: DAY, equipmentDeadlineMs: 2 * DAY, equipmentReminderMs: DAY };
const contract = { contractNo: 'KT-2026-0900', carrier: 'KT', monthlyFee: 33_000, termMonths: 36, signedAt: '2026-01-15' };

async function request(ctx: ScenarioContext, id: string, req: ProvisionLineRequest, extra: Partial<LineWorkflowInput> = {}) {
  const input: LineWorkflowInput = { ...req, id, requestedBy: spm, requestedAt: await ctx.now(), timing, ...extra };
  return ctx.client.workflow.start(lineProvisioningWorkflow, { taskQueue: ctx.taskQueue, workflowId: lineWorkflowId(id), args: [input] });
}

const agentLine = (dn: string, loginId: string, team: string): ProvisionLineRequest => ({
  center: '상담 1센터',
  dn,
  displayName: `상담원 ${dn}`,
  lineType: 'extension',
  phone: { ip: '10.9.0.10', model: 'IP-450S' },
  agent: { loginId, name: '재현 상담원', team, skills: [{ name: '상담', proficiency: 4 }] },
});

/**
 * A contract awaited for days, the run handing over every 25 events: `which` picks the
 * first run (the hand-over) or the last (the continued line installed and accepted).
 */
async function contractWaitContinued(ctx: ScenarioContext, id: string, dn: string, which: 'first' | 'last'): Promise<WorkflowHandle> {
  const h = await request(ctx, id, agentLine(dn, `replay.wait${dn}@center1.example`, '상담1팀'), {
    timing: { ...timing, contractDeadlineMs: 14 * DAY },
    handoverEvents: 25,
  });
  await ctx.sleep('5 days');
  await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
  await h.result();
  return which === 'first' ? ctx.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId) : h;
}

/**
 * An agent's line taken to ACTIVE, then its termination started for the Seoul day `aheadDays` after the
 * recorder's clock, read once the line is ACTIVE (awaiting the provisioning can skip the clock far ahead).
 */
async function terminating(ctx: ScenarioContext, id: string, dn: string, loginId: string, aheadDays = 0) {
  const p = await request(ctx, id, agentLine(dn, loginId, '상담2팀'));
  await p.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
  const line: LineState = await p.result();
  const now = await ctx.now();
  const h: WorkflowHandle<typeof lineTerminationWorkflow> = await ctx.client.workflow.start(lineTerminationWorkflow, {
    taskQueue: ctx.taskQueue,
    workflowId: lineTerminationWorkflowId(line.id),
    args: [
      { line, request: { reason: '센터 이전' }, effectiveDate: seoulDateOf(Date.parse(now) + aheadDays * DAY), requestedBy: spm, requestedAt: now, timing },
    ],
  });
  await h.executeUpdate(terminationRequestedUpdate);
  return h;
}

export const LINE_SCENARIOS: Scenario[] = [
  {
    // A batch of two lines (issue 13): one child provisioning each; the batch's contract 20 hours later, handed to both;
    // one line ACTIVE, the other's CTI team missing (undone, FAILED): the batch ends PARTIAL, the SPM told.
    name: 'line-batch-partial',
    async run(ctx) {
      const requestedAt = await ctx.now();
      const lines = [
        { ...agentLine('39011', 'replay.batch1@center1.example', '상담1팀'), id: 'LN-900011' },
        { ...agentLine('39012', 'replay.batch2@center1.example', '없는팀'), id: 'LN-900012' },
      ];
      const h = await ctx.client.workflow.start(lineProvisioningBatchWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: lineBatchWorkflowId('LB-900001'),
        args: [{ id: 'LB-900001', center: '상담 1센터', team: '상담1팀', lines, requestedBy: spm, requestedAt, timing }],
      });
      await h.executeUpdate(lineBatchRequestedUpdate);
      await ctx.sleep('20 hours');
      await h.executeUpdate(recordBatchContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result();
      return h;
    },
  },
  { name: 'line-contract-wait-continued-first-run', run: (ctx) => contractWaitContinued(ctx, 'LN-900004', '39004', 'first') },
  { name: 'line-contract-wait-continued-last-run', run: (ctx) => contractWaitContinued(ctx, 'LN-900005', '39005', 'last') },
  {
    // A reminder while the contract is awaited, then installation on PBX and CTI, SIP acceptance, ACTIVE.
    name: 'line-provisioning-agent-active',
    async run(ctx) {
      const h = await request(ctx, 'LN-900001', agentLine('39001', 'replay.active@center1.example', '상담1팀'));
      await ctx.sleep('30 hours');
      await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // A team the CTI does not have: everything installed so far is undone, newest first; the workflow fails.
    // (Recorded before PATCHES.preflightAtInstall; recorded today, the check after the contract refuses it first.)
    name: 'line-provisioning-undone',
    async run(ctx) {
      const h = await request(ctx, 'LN-900002', agentLine('39002', 'replay.undone@center1.example', '없는팀'));
      await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result().catch(() => undefined);
      return h;
    },
  },
  {
    // An agent's line naming two CTI queues (PATCHES.agentQueues): the agent joins each after its team, ACTIVE.
    name: 'line-provisioning-agent-queues',
    async run(ctx) {
      const h = await request(ctx, 'LN-900021', {
        ...agentLine('39021', 'replay.queues@center1.example', '상담1팀'),
        agent: { loginId: 'replay.queues@center1.example', name: '재현 상담원', team: '상담1팀', skills: [], queues: ['대표번호', 'VIP 상담'] },
      });
      await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // The request's checks again after the contract (PATCHES.preflightAtInstall): the team is not on the CTI,
    // so the line fails at `preflight` naming agent.team, nothing installed, the SPM told.
    name: 'line-provisioning-preflight-refused',
    async run(ctx) {
      const h = await request(ctx, 'LN-900011', { ...agentLine('39011', 'replay.refused@center1.example', '없는팀'), phone: { ip: '10.9.0.11' } });
      await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result().catch(() => undefined);
      return h;
    },
  },
  {
    // Accepted before its checks answered (PATCHES.deferredChecks): checked first (`checked`), then the contract, installation, ACTIVE.
    name: 'line-provisioning-checks-deferred-active',
    async run(ctx) {
      const h = await request(
        ctx,
        'LN-900014',
        { ...agentLine('39014', 'replay.deferred.ok@center1.example', '상담1팀'), phone: { ip: '10.9.0.14' } },
        { checks: 'deferred' },
      );
      await h.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // A request the API accepted before its checks answered (PATCHES.deferredChecks): the run checks it
    // first, the team is not on the CTI, and it fails at `preflight` before any contract, nothing installed.
    name: 'line-provisioning-checks-deferred-refused',
    async run(ctx) {
      const h = await request(
        ctx,
        'LN-900013',
        { ...agentLine('39013', 'replay.deferred@center1.example', '없는팀'), phone: { ip: '10.9.0.13' } },
        { checks: 'deferred' },
      );
      await h.result().catch(() => undefined);
      return h;
    },
  },
  {
    // The checks of a request before it is accepted (workflows/preflight): a DN free, a team missing.
    name: 'preflight-line-team-missing',
    async run(ctx) {
      const h = await ctx.client.workflow.start(preflightWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: 'preflight-line-replay',
        args: [{ kind: 'line', request: agentLine('39012', 'replay.preflight@center1.example', '없는팀') }],
      });
      await h.result();
      return h;
    },
  },
  {
    // A reminder while the contract is awaited, then the provisioning is cancelled: CANCELLED, the SPM told.
    name: 'line-provisioning-cancelled',
    async run(ctx) {
      const h = await request(ctx, 'LN-900006', agentLine('39006', 'replay.cancelled@center1.example', '상담1팀'));
      await ctx.sleep('30 hours');
      await h.executeUpdate(cancelProvisioningUpdate, { args: [{ body: { reason: '고객사 요청' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // An active line terminated: settlement, a reminder, the equipment returned, deprovisioning.
    name: 'line-termination-returned',
    async run(ctx) {
      const p = await request(ctx, 'LN-900003', agentLine('39003', 'replay.leaving@center1.example', '상담2팀'));
      await p.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
      const line: LineState = await p.result();
      const h: WorkflowHandle<typeof lineTerminationWorkflow> = await ctx.client.workflow.start(lineTerminationWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: lineTerminationWorkflowId(line.id),
        args: [{ line, request: { reason: '센터 이전' }, effectiveDate: '2026-11-30', requestedBy: spm, requestedAt: await ctx.now(), timing }],
      });
      await ctx.sleep('30 hours');
      await h.executeUpdate(equipmentReturnedUpdate, { args: [{ body: { note: '전화기 회수' }, actor: engineer }] });
      await h.result();
      return h;
    },
  },
  {
    // A termination for a day two months ahead: TERMINATION_SCHEDULED, then withdrawn a day later → ACTIVE (PATCHES.terminationEffectiveDate).
    name: 'line-termination-scheduled-cancelled',
    async run(ctx) {
      const h = await terminating(ctx, 'LN-900006', '39006', 'replay.scheduled@center1.example', 60);
      await ctx.sleep('1 day');
      await h.executeUpdate(cancelTerminationUpdate, { args: [{ body: { reason: '고객 철회' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // The CTI refuses to delete the agent: removal gives up, TERMINATION_FAILED with the agent left; the
    // fault cleared, a retry reconciles and removes it → TERMINATED (PATCHES.terminationReconciles).
    name: 'line-termination-failed-retried',
    async run(ctx) {
      const h = await terminating(ctx, 'LN-900007', '39007', 'replay.stuck@center1.example');
      ctx.ctiFaults.set({ route: { method: 'DELETE', path: '/api/v2/users/' }, failAlways: { status: 503 } });
      try {
        await h.executeUpdate(equipmentReturnedUpdate, { args: [{ body: { note: '전화기 회수' }, actor: engineer }] });
        for (let i = 0; (await h.query(lineStateQuery)).status !== 'TERMINATION_FAILED'; i++) {
          if (i > 600) throw new Error('the termination did not reach TERMINATION_FAILED');
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        ctx.ctiFaults.reset();
      }
      await h.executeUpdate(retryTerminationUpdate, { args: [{ body: { note: 'CTI 복구' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
];
