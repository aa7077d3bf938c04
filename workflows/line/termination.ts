import { allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type Actor, SYSTEM_ACTOR } from '../../domain/actor';
import {
  EquipmentReturnedRequest,
  type InstalledItem,
  installedItemKey,
  type LineFailure,
  type LineState,
  type LineTiming,
  TerminationCancelRequest,
  type TerminationRequest,
  TerminationRetryRequest,
} from '../../domain/line/contracts';
import { moveTo, record } from '../../domain/event-log';
import { settle } from '../../domain/line/settlement';
import { seoulMidnightOf } from '../../domain/calendar/seoul';
import { rejectUnless } from '../validators';
import { DEPROVISIONING, untilDone } from '../activity-options';
import { PATCHES } from '../patches';
import { readModel } from '../projection';
import { describeFailure } from '../failures';
import { cancelTerminationUpdate, equipmentReturnedUpdate, lineStateQuery, retryTerminationUpdate, terminationRequestedUpdate } from './messages';
import { createLineNotices } from './notices';
import { waitFor } from '../wait';

const projectLine = readModel('projectLine');

// Deprovisioning must finish: a vendor outage delays it, it does not cancel the termination.
// (Histories from before PATCHES.terminationReconciles; the reconciling path uses the bounded policy below.)
const { removeInstalledItem } = proxyActivities<Activities>(untilDone('30 seconds'));
const deprovisioning = proxyActivities<Activities>(DEPROVISIONING);

export interface LineTerminationInput {
  /** The line as the inventory held it when termination was requested. */
  line: LineState;
  request: TerminationRequest;
  /** The day service ends, Asia/Seoul (the request's, or the day it was made). */
  effectiveDate: string;
  requestedBy: Actor;
  requestedAt: string;
  timing: LineTiming;
}

/**
 * Line termination (해지, domain.md process 3): TERMINATION_SCHEDULED until 00:00
 * Asia/Seoul of the effective date (in service; a cancel returns it to ACTIVE) →
 * settlement with the early-termination fee for that date → equipment retrieval
 * (a person confirms it; reminders; past the deadline the SPM is told and
 * deprovisioning goes ahead) → deprovisioning of what the PBX and the CTI hold
 * (reconciled before and after), the CTI first → completion notice → TERMINATED;
 * or TERMINATION_FAILED with what is left, until a retry removes it.
 */
export async function lineTerminationWorkflow(input: LineTerminationInput): Promise<LineState> {
  const line: LineState = { ...input.line, history: [...input.line.history], installed: [...input.line.installed] };
  const now = () => new Date().toISOString();
  const project = () => projectLine(line);
  const notices = createLineNotices(line);

  const honoursEffectiveDate = patched(PATCHES.terminationEffectiveDate);
  const startsAt = seoulMidnightOf(input.effectiveDate);
  const scheduled = honoursEffectiveDate && Date.now() < startsAt;
  line.termination = {
    reason: input.request.reason,
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    ...(honoursEffectiveDate ? { effectiveDate: input.effectiveDate } : {}),
  };
  if (scheduled) {
    // The fee is that of the effective date; it is shown from now on and recorded when the day comes.
    line.settlement = settle(line.contract, input.effectiveDate);
    moveTo(line, 'TERMINATION_SCHEDULED', `scheduled for ${input.effectiveDate} (00:00 Asia/Seoul)`, input.requestedBy, input.requestedAt, {
      reason: input.request.reason,
      effectiveDate: input.effectiveDate,
      earlyTerminationFee: line.settlement.earlyTerminationFee,
    });
  } else {
    moveTo(line, 'TERMINATING', 'settling the contract', input.requestedBy, input.requestedAt, { reason: input.request.reason });
  }

  let projected = false;
  let cancel: { reason: string; actor: Actor; at: string } | undefined;
  let cancelDone = false;
  let retry: { note?: string; actor: Actor; at: string } | undefined;
  let retriesAsked = 0;
  let retriesStarted = 0;
  setHandler(lineStateQuery, () => line);
  setHandler(terminationRequestedUpdate, async () => {
    await condition(() => projected);
    return line;
  });
  setHandler(
    equipmentReturnedUpdate,
    async ({ body, actor }) => {
      line.termination!.equipmentReturnedAt = now();
      line.termination!.equipmentNote = body.note;
      record(line, 'equipment-returned', actor, now(), body.note ? { note: body.note } : undefined);
      await project();
      return line;
    },
    {
      validator: ({ body }) => rejectUnless(line, 'equipmentReturned', ['TERMINATING'], EquipmentReturnedRequest, body, !line.termination?.equipmentReturnedAt),
    },
  );
  setHandler(
    cancelTerminationUpdate,
    async ({ body, actor }) => {
      cancel = { reason: body.reason, actor, at: now() };
      await condition(() => cancelDone);
      return line;
    },
    { validator: ({ body }) => rejectUnless(line, 'cancelTermination', ['TERMINATION_SCHEDULED'], TerminationCancelRequest, body, cancel === undefined) },
  );
  setHandler(
    retryTerminationUpdate,
    async ({ body, actor }) => {
      retry = { note: body.note, actor, at: now() };
      const mine = ++retriesAsked;
      await condition(() => retriesStarted >= mine);
      return line;
    },
    { validator: ({ body }) => rejectUnless(line, 'retryTermination', ['TERMINATION_FAILED'], TerminationRetryRequest, body, retry === undefined) },
  );

  // ---- the effective date (해지 예정일): in service until 00:00 Asia/Seoul of it ------------
  if (scheduled) {
    await project();
    projected = true;
    notices.terminationScheduled(input.effectiveDate);
    if (await condition(() => cancel !== undefined, startsAt - Date.now())) {
      const { reason, actor, at } = cancel!;
      delete line.termination;
      delete line.settlement;
      moveTo(line, 'ACTIVE', 'in service', actor, at, { cancelled: 'termination', reason, effectiveDate: input.effectiveDate });
      await project();
      cancelDone = true;
      notices.terminationCancelled(reason, at);
      await condition(allHandlersFinished);
      await notices.settled();
      return line;
    }
    moveTo(line, 'TERMINATING', 'settling the contract', SYSTEM_ACTOR, now(), { effectiveDate: input.effectiveDate });
  }

  // ---- settlement (정산 및 요금 확인) ------------------------------------------------
  line.settlement = settle(line.contract, input.effectiveDate);
  record(line, 'settled', SYSTEM_ACTOR, now(), { ...line.settlement });
  line.step = 'waiting for the equipment to be returned';
  await project();
  projected = true;

  // ---- equipment retrieval (장비 회수), a human step with a deadline ------------------
  // A scheduled termination asks for the equipment from its effective date on.
  const from = honoursEffectiveDate ? Math.max(Date.parse(input.requestedAt), Date.now()) : Date.parse(input.requestedAt);
  const deadline = from + input.timing.equipmentDeadlineMs;
  const deadlineIso = new Date(deadline).toISOString();
  const returned = () => line.termination?.equipmentReturnedAt !== undefined;
  while (!returned() && Date.now() < deadline) {
    if (await waitFor(returned, Math.min(deadline - Date.now(), input.timing.equipmentReminderMs))) break;
    if (Date.now() < deadline) {
      const reminder = record(line, 'equipment-reminder', SYSTEM_ACTOR, now(), { deadline: deadlineIso });
      notices.equipmentReminder(reminder.seq, deadlineIso);
      await project();
    }
  }
  if (!returned()) {
    record(line, 'equipment-overdue', SYSTEM_ACTOR, now(), { deadline: deadlineIso });
    notices.equipmentOverdue(deadlineIso);
  }

  // ---- deprovisioning: the CTI first (agents stop taking calls), then the PBX ----------
  line.step = 'deprovisioning';
  await project();
  const order = (kind: string) => (kind.startsWith('cti') ? 0 : 1);
  if (patched(PATCHES.terminationReconciles)) {
    for (let round = 1; ; round++) {
      const outcome = await removeWhatExists(round);
      if (!outcome) break;
      // Something is left, or could not be removed or verified: the line keeps its DN until a retry clears it.
      line.installed = outcome.leftovers;
      line.failure = outcome.failure;
      moveTo(line, 'TERMINATION_FAILED', 'waiting for a retry of the removal', SYSTEM_ACTOR, now(), {
        round,
        leftovers: outcome.leftovers,
        failures: outcome.failures,
      });
      await project();
      notices.terminationFailed(round, outcome.leftovers, outcome.failure);
      await condition(() => retry !== undefined);
      const asked = retry!;
      delete line.failure;
      moveTo(line, 'TERMINATING', 'deprovisioning', asked.actor, asked.at, { retry: round + 1, ...(asked.note ? { note: asked.note } : {}) });
      await project();
      retry = undefined;
      retriesStarted += 1;
    }
  } else {
    const items = [...line.installed].reverse().sort((a, b) => order(a.kind) - order(b.kind));
    for (const item of items) {
      try {
        await removeInstalledItem({ lineId: line.id, item, purpose: 'deprovision' });
        line.installed = line.installed.filter((i) => i !== item);
        record(line, `removed:${item.kind}`, SYSTEM_ACTOR, now(), { ...item });
      } catch (err) {
        // Only reached if the retry policy gives up (it does not by default); recorded for a person to finish.
        record(line, 'remove-failed', SYSTEM_ACTOR, now(), { ...item, ...describeFailure(`remove ${item.kind}`, err) });
      }
      await project();
    }
  }

  moveTo(line, 'TERMINATED', 'terminated', SYSTEM_ACTOR, now(), { earlyTerminationFee: line.settlement.earlyTerminationFee });
  await project();
  notices.terminated();
  await condition(allHandlersFinished);
  await notices.settled();
  return line;

  /**
   * One round of removal: what the line lists and what the PBX and the CTI hold of it
   * (reconcileLine), removed the CTI first; then reconciled again. Undefined when
   * nothing is left; otherwise what is left and why.
   */
  async function removeWhatExists(round: number): Promise<{ leftovers: InstalledItem[]; failures: LineFailure[]; failure: LineFailure } | undefined> {
    const failures: LineFailure[] = [];
    const reconcile = (installed: InstalledItem[]) =>
      deprovisioning.reconcileLine({
        lineId: line.id,
        dn: line.dn,
        loginId: line.agent?.loginId,
        team: line.agent?.team ?? undefined,
        queues: line.agent?.queues,
        installed,
      });
    try {
      const found = await reconcile(line.installed);
      const listed = new Set(line.installed.map(installedItemKey));
      const unlisted = found.filter((i) => !listed.has(installedItemKey(i)));
      for (const item of unlisted) {
        // On the vendor but not in the line's list (installed by hand, or by a step whose result was lost): it goes too.
        line.installed.push(item);
        record(line, `found:${item.kind}`, SYSTEM_ACTOR, now(), { ...item });
      }
      if (unlisted.length) await project();
    } catch (err) {
      failures.push(describeFailure('reconcile before removal', err));
    }
    const attempted = [...line.installed];
    const items = [...line.installed].reverse().sort((a, b) => order(a.kind) - order(b.kind));
    for (const item of items) {
      try {
        await deprovisioning.removeInstalledItem({ lineId: line.id, item, purpose: 'deprovision', round });
        line.installed = line.installed.filter((i) => i !== item);
        record(line, `removed:${item.kind}`, SYSTEM_ACTOR, now(), { ...item });
      } catch (err) {
        const failure = describeFailure(`remove ${item.kind}`, err);
        failures.push(failure);
        record(line, 'remove-failed', SYSTEM_ACTOR, now(), { ...item, ...failure });
      }
      await project();
    }
    let leftovers: InstalledItem[];
    try {
      leftovers = await reconcile(attempted);
      if (leftovers.length) record(line, 'left-after-removal', SYSTEM_ACTOR, now(), { items: leftovers });
    } catch (err) {
      failures.push(describeFailure('reconcile after removal', err));
      leftovers = line.installed;
    }
    if (!leftovers.length && !failures.length) return undefined;
    const cause = leftovers.length
      ? `${leftovers.length} item(s) left on the PBX/CTI: ${leftovers.map(installedItemKey).join(', ')}`
      : `removal could not be completed or verified: ${failures.map((f) => f.cause).join('; ')}`;
    return { leftovers, failures, failure: { step: 'deprovisioning', type: 'TerminationIncomplete', cause } };
  }
}
