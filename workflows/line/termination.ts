import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type Actor, SYSTEM_ACTOR } from '../../domain/actor';
import { EquipmentReturnedRequest, type LineState, type LineTiming, type TerminationRequest } from '../../domain/line/contracts';
import { moveTo, record } from '../../domain/event-log';
import { settle } from '../../domain/line/settlement';
import { rejectUnless } from '../validators';
import { untilDone } from '../activity-options';
import { readModel } from '../projection';
import { describeFailure } from '../failures';
import { equipmentReturnedUpdate, lineStateQuery, terminationRequestedUpdate } from './messages';
import { createLineNotices } from './notices';
import { waitFor } from '../wait';

const projectLine = readModel('projectLine');

// Deprovisioning must finish: a vendor outage delays it, it does not cancel the termination.
const { removeInstalledItem } = proxyActivities<Activities>(untilDone('30 seconds'));

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
 * Line termination (해지, domain.md process 3): settlement with the
 * early-termination fee → equipment retrieval (a person confirms it; reminders;
 * past the deadline the SPM is told and deprovisioning goes ahead) →
 * deprovisioning on the CTI, then the PBX → completion notice → TERMINATED.
 */
export async function lineTerminationWorkflow(input: LineTerminationInput): Promise<LineState> {
  const line: LineState = { ...input.line, history: [...input.line.history], installed: [...input.line.installed] };
  const now = () => new Date().toISOString();
  const project = () => projectLine(line);
  const notices = createLineNotices(line);

  line.termination = { reason: input.request.reason, requestedBy: input.requestedBy, requestedAt: input.requestedAt };
  moveTo(line, 'TERMINATING', 'settling the contract', input.requestedBy, input.requestedAt, { reason: input.request.reason });

  let projected = false;
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

  // ---- settlement (정산 및 요금 확인) ------------------------------------------------
  line.settlement = settle(line.contract, input.effectiveDate);
  record(line, 'settled', SYSTEM_ACTOR, now(), { ...line.settlement });
  line.step = 'waiting for the equipment to be returned';
  await project();
  projected = true;

  // ---- equipment retrieval (장비 회수), a human step with a deadline ------------------
  const deadline = Date.parse(input.requestedAt) + input.timing.equipmentDeadlineMs;
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

  moveTo(line, 'TERMINATED', 'terminated', SYSTEM_ACTOR, now(), { earlyTerminationFee: line.settlement.earlyTerminationFee });
  await project();
  notices.terminated();
  await condition(allHandlersFinished);
  await notices.settled();
  return line;
}
