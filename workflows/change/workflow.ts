import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  type ChangeActionRequest,
  type ChangeRequest,
  type ChangeState,
  type ChangeWorkflowInput,
} from '../../domain/change/contracts';
import {
  RETRO_APPROVAL_DEADLINE_MS,
  RETRO_APPROVAL_REMINDER_MS,
  approvalRefusal,
  awaitRetroApproval,
  decideRetroApproval,
  markRetroApprovalMissing,
  pendingApprovers,
  submitChange,
} from '../../domain/change/lifecycle';
import { moveTo, record } from '../../domain/event-log';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { READ_MODEL, untilDone, vendorCall } from '../activity-options';
import { lineKeyOf } from '../../domain/line/follow-change';
import { PATCHES } from '../patches';
import { readModel } from '../projection';
import { historyIsLong } from '../handover';
import { describeFailure } from '../failures';
import { rejectUnless } from '../validators';
import { changeStateQuery, changeSubmittedUpdate, changeUpdates } from './messages';
import { createChangeNotices } from './notices';
import { waitFor } from '../wait';

const projectChange = readModel('projectChange');
const holdChangeWindow = readModel('holdChangeWindow');
const releaseChangeWindow = readModel('releaseChangeWindow');

const vendor = proxyActivities<Activities>(vendorCall('2 minutes'));

// A rollback must land even through a vendor outage.
const { restoreChange } = proxyActivities<Activities>(untilDone('2 minutes'));

// The inventory must catch up with what the PBX/CTI now hold: PostgreSQL being down delays it, it does not fail the change.
const { recordLineChange } = proxyActivities<Activities>(READ_MODEL);

/**
 * A change request (변경 관리, domain.md process 4): approvals (the customer's,
 * and the carrier's when a line changes; each may reject; they expire) → wait
 * for the agreed window (Asia/Seoul) → snapshot the target → apply → verify by
 * reading back (and over SIP for a line) → COMPLETED, or restore the snapshot
 * and end ROLLED_BACK; a run that fails before it touched anything (the
 * snapshot step: the target is gone) ends FAILED. Approval takes the window on the target: a second
 * approved change overlapping it on the same target is refused.
 *
 * An emergency change (긴급 변경, behind PATCHES.emergencyChanges) needs the SPM's approval alone, may wait
 * until its window's end for it, and once it has ended COMPLETED or ROLLED_BACK waits up to 24 h for the
 * customer's approval (reminders); without it the change is flagged and the SPM told.
 */
export async function changeRequestWorkflow(input: ChangeWorkflowInput): Promise<ChangeState> {
  // Histories recorded before the patch never carry `emergency: true`, so they never reach the marker.
  const emergency = input.emergency === true && patched(PATCHES.emergencyChanges);
  const change = input.continued?.state ?? submitChange(input, emergency);
  const now = () => new Date().toISOString();
  const project = () => projectChange(change);
  const notices = createChangeNotices(change);
  const windowStart = Date.parse(input.window.start);
  const windowEnd = Date.parse(input.window.end);
  let windowHeld = false;
  // The final approval takes the window before it is recorded; until then no other approval or rejection is taken.
  let finalApprovalBy: string | null = null;

  let projected = false;
  setHandler(changeStateQuery, () => change);
  setHandler(changeSubmittedUpdate, async () => {
    await condition(() => projected);
    return change;
  });
  const validator = (action: ChangeAction) => (req: ChangeActionRequest) => {
    rejectUnless(change, action, CHANGE_ACTIONS[action].from, CHANGE_ACTIONS[action].body, req.body);
    if (action !== 'cancel' && finalApprovalBy !== null) {
      throw invalid(action, `the approval by ${finalApprovalBy} is being recorded`);
    }
    if (action === 'approve' && change.approvals.some((a) => a.approver === CHANGE_ACTIONS.approve.body.parse(req.body).approver)) {
      throw invalid(action, 'this party has already approved');
    }
    if (action !== 'cancel') {
      const refusal = approvalRefusal(change, CHANGE_ACTIONS[action].body.parse(req.body).approver, req.actor);
      if (refusal !== null) throw invalid(action, refusal);
    }
  };
  const invalid = (action: ChangeAction, message: string) =>
    ApplicationFailure.create({ type: 'InvalidTransition', message, nonRetryable: true, details: [{ action, status: change.status }] });
  setHandler(
    changeUpdates.approve,
    async ({ body, actor }) => {
      const { approver, comment } = CHANGE_ACTIONS.approve.body.parse(body);
      if (change.retroApproval?.status === 'pending') {
        decideRetroApproval(change, 'given', actor, now(), comment);
        await project();
        return change;
      }
      const missing = pendingApprovers(change).filter((a) => a !== approver);
      if (missing.length === 0) {
        finalApprovalBy = approver;
        try {
          // Another approved change holding an overlapping window fails this Update with Conflict; nothing is recorded then.
          await holdChangeWindow({ changeId: change.id, target: change.target, window: change.window }).catch((err: unknown) => {
            const conflict = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'Conflict';
            throw conflict ? err.cause : err;
          });
        } finally {
          finalApprovalBy = null;
        }
        windowHeld = true;
      }
      if (change.status !== 'PENDING_APPROVAL') {
        if (!patched(PATCHES.decideBeforeAwait)) return change;
        // Cancelled while the window was being taken: the approval comes too late and must not keep the window.
        await releaseChangeWindow({ changeId: change.id });
        windowHeld = false;
        throw invalid('approve', `the change was ${change.status.toLowerCase()} while the approval was being recorded`);
      }
      change.approvals.push({ approver, actor, at: now(), ...(comment ? { comment } : {}) });
      record(change, 'approved', actor, now(), { approver, comment });
      if (missing.length === 0) moveTo(change, 'SCHEDULED', `scheduled for ${change.window.start}`, actor, now());
      else change.step = `waiting for approval by ${missing.join(' and ')}`;
      await project();
      return change;
    },
    { validator: validator('approve') },
  );
  setHandler(
    changeUpdates.reject,
    async ({ body, actor }) => {
      const { approver, comment } = CHANGE_ACTIONS.reject.body.parse(body);
      if (change.retroApproval?.status === 'pending') {
        // Recorded and flagged; what was applied stays (a rollback is a change of its own).
        decideRetroApproval(change, 'rejected', actor, now(), comment);
        notices.retroApprovalFlagged();
        await project();
        return change;
      }
      moveTo(change, 'REJECTED', `rejected by ${approver}`, actor, now(), { approver, comment });
      await project();
      return change;
    },
    { validator: validator('reject') },
  );
  setHandler(
    changeUpdates.cancel,
    async ({ body, actor }) => {
      moveTo(change, 'CANCELLED', 'cancelled', actor, now(), { reason: body.reason });
      // Freed before the answer, so the caller may approve another change for the same window at once.
      if (windowHeld) {
        await releaseChangeWindow({ changeId: change.id });
        windowHeld = false;
      }
      await project();
      return change;
    },
    { validator: validator('cancel') },
  );

  await project();
  projected = true;

  // ---- approvals, until they expire (never later than the window's start) ------------
  // An emergency change's window usually starts now: the SPM may approve until it ends.
  const approvalDeadline = Math.min(Date.parse(input.requestedAt) + input.timing.approvalDeadlineMs, emergency ? windowEnd : windowStart);
  while (change.status === 'PENDING_APPROVAL' && Date.now() < approvalDeadline) {
    if (historyIsLong(PATCHES.waitsContinueAsNew, input.handoverEvents)) {
      // A long wait for approvals: the next run goes on waiting with the change as it stands.
      await condition(allHandlersFinished);
      await notices.settled();
      if (change.status === 'PENDING_APPROVAL') await continueAsNew<typeof changeRequestWorkflow>({ ...input, continued: { state: change } });
      continue;
    }
    const wait = Math.min(approvalDeadline - Date.now(), input.timing.approvalReminderMs);
    if (await waitFor(() => change.status !== 'PENDING_APPROVAL', wait)) break;
    if (Date.now() < approvalDeadline) {
      const reminder = record(change, 'approval-reminder', SYSTEM_ACTOR, now(), { waitingFor: pendingApprovers(change) });
      notices.approvalReminder(reminder.seq, pendingApprovers(change));
      await project();
    }
  }
  if (change.status === 'PENDING_APPROVAL') {
    moveTo(change, 'EXPIRED', 'approval expired', SYSTEM_ACTOR, now(), { waitingFor: pendingApprovers(change) });
  }

  // ---- the agreed window ---------------------------------------------------------------
  if (change.status === 'SCHEDULED' && (!emergency || windowStart > Date.now())) {
    await waitFor(() => change.status !== 'SCHEDULED', Math.max(0, windowStart - Date.now()));
    // The window passed while nothing ran (a long outage): applying now would be outside what was agreed.
    if (change.status === 'SCHEDULED' && Date.now() >= windowEnd) {
      moveTo(change, 'EXPIRED', 'the window passed before the change could start', SYSTEM_ACTOR, now());
    }
  }
  if (change.status === 'SCHEDULED') await carryOut();

  if (windowHeld && change.status !== 'COMPLETED') await releaseChangeWindow({ changeId: change.id });
  const retro = emergency && (change.status === 'COMPLETED' || change.status === 'ROLLED_BACK');
  const retroAsked = retro ? awaitRetroApproval(change, now(), input.timing.retroApprovalDeadlineMs ?? RETRO_APPROVAL_DEADLINE_MS) : null;
  await project();
  notices.ended();
  if (retroAsked) await collectRetroApproval(retroAsked.seq);
  await condition(allHandlersFinished);
  await notices.settled();
  return change;

  async function carryOut(): Promise<void> {
    const req = { changeId: change.id, change: input };
    moveTo(change, 'APPLYING', 'taking a snapshot', SYSTEM_ACTOR, now());
    await project();
    let step = 'snapshot';
    try {
      change.snapshot = await vendor.snapshotChange(req);
      record(change, 'snapshot-taken', SYSTEM_ACTOR, now(), { snapshot: change.snapshot });
      change.step = 'applying';
      await project();
      step = 'apply';
      await vendor.applyChange({ ...req, snapshot: change.snapshot });
      record(change, 'applied', SYSTEM_ACTOR, now());
      moveTo(change, 'VERIFYING', 'verifying', SYSTEM_ACTOR, now());
      await project();
      step = 'verify';
      const verification = await vendor.verifyChange(req);
      change.verification = verification;
      record(change, verification.ok ? 'verified' : 'verification-failed', SYSTEM_ACTOR, now(), { ...verification });
      if (verification.ok) {
        moveTo(change, 'COMPLETED', 'completed', SYSTEM_ACTOR, now());
        if (followsInventory()) await followInventory();
        return;
      }
      const failed = verification.checks.filter((check) => !check.ok).map((check) => check.what);
      change.failure = { step, type: 'VerificationFailed', cause: `verification failed: ${failed.join(', ')}` };
    } catch (err) {
      change.failure = describeFailure(step, err);
      record(change, 'step-failed', SYSTEM_ACTOR, now(), { ...change.failure });
      // Nothing was touched before the snapshot exists, so there is nothing to roll back.
      if (change.snapshot === undefined) {
        if (patched(PATCHES.changeFailedBeforeTouching)) {
          moveTo(change, 'FAILED', `failed at ${step}; nothing was changed`, SYSTEM_ACTOR, now(), { ...change.failure });
          return;
        }
        moveTo(change, 'ROLLED_BACK', `failed at ${step}; nothing was changed`, SYSTEM_ACTOR, now(), { ...change.failure });
        return;
      }
    }
    change.step = 'rolling back to the snapshot';
    await project();
    await CancellationScope.nonCancellable(() => restoreChange({ ...req, snapshot: change.snapshot }));
    record(change, 'restored', SYSTEM_ACTOR, now());
    moveTo(change, 'ROLLED_BACK', `rolled back: ${change.failure.cause}`, SYSTEM_ACTOR, now(), { ...change.failure });
  }

  /** The customer's approval of the emergency change, after the fact: reminders until it comes or the deadline passes. */
  async function collectRetroApproval(askedSeq: number): Promise<void> {
    const due = Date.parse(change.retroApproval!.dueBy);
    const reminderMs = input.timing.retroApprovalReminderMs ?? RETRO_APPROVAL_REMINDER_MS;
    const awaited = () => change.retroApproval?.status === 'pending';
    if (awaited()) notices.retroApprovalReminder(askedSeq, change.retroApproval!.dueBy);
    while (awaited() && Date.now() < due) {
      if (await waitFor(() => !awaited(), Math.min(due - Date.now(), reminderMs))) break;
      if (Date.now() < due) {
        const reminder = record(change, 'retro-approval-reminder', SYSTEM_ACTOR, now(), { dueBy: change.retroApproval!.dueBy });
        notices.retroApprovalReminder(reminder.seq, change.retroApproval!.dueBy);
        await project();
      }
    }
    if (awaited()) {
      markRetroApprovalMissing(change, now());
      notices.retroApprovalFlagged();
      await project();
    }
  }

  /** Whether a completed change of this type updates line records; team changes do since their own patch. */
  function followsInventory(): boolean {
    const key = lineKeyOf(change.type);
    if (!key) return false;
    return patched(key === 'loginIds' ? PATCHES.teamChangesFollowed : PATCHES.inventoryFollowsChanges);
  }

  /** The line record follows the completed change (only then: a rolled-back change leaves it as it was). */
  async function followInventory(): Promise<void> {
    const request = { type: input.type, target: input.target, params: input.params, window: input.window, reason: input.reason } as ChangeRequest;
    const followed = await recordLineChange({ changeId: change.id, change: request, snapshot: change.snapshot });
    for (const u of followed.updated)
      record(change, 'line-updated', SYSTEM_ACTOR, now(), { lineId: u.lineId, lineSeq: u.seq, before: u.before, after: u.after });
    if (followed.updated.length === 0) record(change, 'line-unchanged', SYSTEM_ACTOR, now(), { reason: followed.unchanged ?? 'no line record changed' });
  }
}
