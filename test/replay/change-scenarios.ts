import type { ChangeRequest, ChangeTiming } from '../../domain/change/contracts';
import type { Actor } from '../../domain/actor';
import type { LineWorkflowInput } from '../../domain/line/contracts';
import { lineWorkflowId, recordContractUpdate } from '../../workflows/line/messages';
import { lineProvisioningWorkflow } from '../../workflows/line/provisioning';
import { changeUpdates, changeWorkflowId } from '../../workflows/change/messages';
import { changeRequestWorkflow } from '../../workflows/change/workflow';
import type { Scenario, ScenarioContext } from './scenario';

/** Change requests whose histories every release must still replay. */

const engineer: Actor = { id: 'choi-eng', role: 'engineer' };
const spm: Actor = { id: 'park-spm', role: 'spm' };
const HOUR = 3_600_000;
const timing: ChangeTiming = { approvalDeadlineMs: 48 * HOUR, approvalReminderMs: 24 * HOUR };

async function submit(
  ctx: ScenarioContext,
  id: string,
  change: Omit<ChangeRequest, 'window'>,
  startsInMs: number,
  extra: { timing?: ChangeTiming; handoverEvents?: number } = {},
) {
  const now = Date.parse(await ctx.now());
  const window = { start: new Date(now + startsInMs).toISOString(), end: new Date(now + startsInMs + 2 * HOUR).toISOString() };
  return ctx.client.workflow.start(changeRequestWorkflow, {
    taskQueue: ctx.taskQueue,
    workflowId: changeWorkflowId(id),
    args: [{ ...(change as ChangeRequest), window, id, requestedBy: engineer, requestedAt: new Date(now).toISOString(), timing, ...extra }],
  });
}

/** A line taken to ACTIVE (its contract recorded at once), for a change to act on. */
async function provisioned(ctx: ScenarioContext, line: LineWorkflowInput, contractNo: string): Promise<void> {
  const l = await ctx.client.workflow.start(lineProvisioningWorkflow, { taskQueue: ctx.taskQueue, workflowId: lineWorkflowId(line.id), args: [line] });
  const contract = { contractNo, carrier: 'KT', monthlyFee: 33_000, termMonths: 36, signedAt: '2026-01-15' };
  await l.executeUpdate(recordContractUpdate, { args: [{ body: contract, actor: spm }] });
  await l.result();
}

export const CHANGE_SCENARIOS: Scenario[] = [
  {
    // A line provisioned, then its DN changed (customer and carrier approve): applied, verified over SIP, COMPLETED,
    // and the line record follows (recordLineChange, behind PATCHES.inventoryFollowsChanges).
    name: 'change-dn-change-completed',
    async run(ctx) {
      const line: LineWorkflowInput = {
        center: '상담 1센터',
        dn: '39010',
        displayName: '재현 번호변경',
        lineType: 'extension',
        phone: { ip: '10.9.0.20', model: 'IP-450S' },
        id: 'LN-900010',
        requestedBy: spm,
        requestedAt: await ctx.now(),
        timing: { contractDeadlineMs: 72 * HOUR, contractReminderMs: 24 * HOUR, equipmentDeadlineMs: 48 * HOUR, equipmentReminderMs: 24 * HOUR },
      };
      await provisioned(ctx, line, 'KT-2026-0910');
      const h = await submit(ctx, 'CHG-900010', { type: 'dn-change', target: '39010', params: { newDn: '39011' }, reason: '번호 변경' }, 6 * HOUR);
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '승인' }, actor: spm }] });
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'carrier', comment: '승인' }, actor: spm }] });
      const done = await h.result();
      if (done.history.at(-1)?.type !== 'line-updated') throw new Error(`the line record did not follow: ${done.history.at(-1)?.type}`);
      return h;
    },
  },
  {
    // An agent's line, then the agent taken out of its team (cti-team-remove, the customer approves): COMPLETED, and
    // the line record follows: agent.team null, the membership gone (PATCHES.teamChangesFollowed).
    name: 'change-team-remove-followed',
    async run(ctx) {
      const loginId = 'replay.teamout@center1.example';
      const line: LineWorkflowInput = {
        center: '상담 1센터',
        dn: '39030',
        displayName: '재현 팀 제외',
        lineType: 'extension',
        agent: { loginId, name: '재현 상담원', team: '상담1팀', skills: [] },
        id: 'LN-900030',
        requestedBy: spm,
        requestedAt: await ctx.now(),
        timing: { contractDeadlineMs: 72 * HOUR, contractReminderMs: 24 * HOUR, equipmentDeadlineMs: 48 * HOUR, equipmentReminderMs: 24 * HOUR },
      };
      await provisioned(ctx, line, 'KT-2026-0930');
      const h = await submit(ctx, 'CHG-900030', { type: 'cti-team-remove', target: '상담1팀', params: { loginIds: [loginId] }, reason: '팀 재편' }, 6 * HOUR);
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '승인' }, actor: spm }] });
      const done = await h.result();
      if (done.history.at(-1)?.type !== 'line-updated') throw new Error(`the line record did not follow: ${done.history.at(-1)?.type}`);
      return h;
    },
  },
  {
    // Approvals awaited with hourly reminders, the run handing over every 25 events; the first run is kept.
    name: 'change-approval-wait-continued-first-run',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900004',
        { type: 'skillset', target: 'replay.wait@center1.example', params: { skills: [] }, reason: '장기 승인 대기' },
        3 * 24 * HOUR,
        {
          timing: { approvalDeadlineMs: 12 * HOUR, approvalReminderMs: HOUR },
          handoverEvents: 25,
        },
      );
      await ctx.sleep('6 hours');
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '승인' }, actor: spm }] });
      await h.result();
      return ctx.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId);
    },
  },
  {
    // Butler's holiday calendar pushed to the IVR: approved, the window waited for, applied, verified.
    name: 'change-ivr-holidays-completed',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900001',
        { type: 'ivr-holidays', target: '재현 휴일', params: { from: '2026-01-01', to: '2026-12-31' }, reason: '공휴일 반영' },
        6 * HOUR,
      );
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '승인' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // Nobody approves: a reminder, then EXPIRED.
    name: 'change-approval-expired',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900002',
        { type: 'rec-account', target: 'replay.rec@center1.example', params: { enabled: true }, reason: '녹취 권한' },
        72 * HOUR,
      );
      await h.result();
      return h;
    },
  },
  {
    // The customer rejects the change.
    name: 'change-rejected',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900003',
        { type: 'skillset', target: 'replay.skill@center1.example', params: { skills: [] }, reason: '스킬 정리' },
        6 * HOUR,
      );
      await h.executeUpdate(changeUpdates.reject, { args: [{ body: { approver: 'customer', comment: '보류' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // Approved, but the agent it targets does not exist when the window opens: FAILED at the snapshot, nothing changed.
    name: 'change-failed-target-missing',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900005',
        { type: 'skillset', target: 'replay.gone@center1.example', params: { skills: [] }, reason: '없는 상담원' },
        HOUR,
      );
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '승인' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // An emergency change (PATCHES.emergencyChanges): the SPM alone approves, it applies at once; a reminder
    // for the customer's approval afterwards, which then comes (the retro-approval wait and its Update).
    name: 'change-emergency-retro-approved',
    async run(ctx) {
      const h = await submit(
        ctx,
        'CHG-900020',
        { type: 'ivr-holidays', target: '재현 긴급 휴일', params: { from: '2026-01-01', to: '2026-12-31' }, reason: '긴급 휴일 반영', emergency: true },
        0,
      );
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'spm', comment: '긴급 승인' }, actor: spm }] });
      await ctx.sleep('7 hours');
      await h.executeUpdate(changeUpdates.approve, { args: [{ body: { approver: 'customer', comment: '사후 승인' }, actor: spm }] });
      const done = await h.result();
      if (done.retroApproval?.status !== 'given' || !done.history.some((e) => e.type === 'retro-approval-reminder')) {
        throw new Error(`the emergency change did not take its retro approval after a reminder: ${JSON.stringify(done.retroApproval)}`);
      }
      return h;
    },
  },
];
