import {
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
import { SYSTEM_ACTOR } from '../../domain/actor';
import {
  CancelProvisioningRequest,
  ContractRequest,
  type InstalledItem,
  type LineFailure,
  type LineState,
  type LineWorkflowInput,
} from '../../domain/line/contracts';
import { requestLine } from '../../domain/line/lifecycle';
import { describeProblems } from '../../domain/preflight';
import { moveTo, record } from '../../domain/event-log';
import { ACCEPTANCE_TEST, PROVISIONING_UNDO, vendorCall } from '../activity-options';
import { readModel } from '../projection';
import { historyIsLong } from '../handover';
import { PATCHES } from '../patches';
import { describeFailure } from '../failures';
import { cancelProvisioningUpdate, lineRequestedUpdate, lineStateQuery, recordContractUpdate } from './messages';
import { rejectUnless } from '../validators';
import { createLineNotices } from './notices';
import { waitFor } from '../wait';

const projectLine = readModel('projectLine');

// A permanent vendor failure fails the step at once, and the saga compensates.
const install = proxyActivities<Activities>(vendorCall('30 seconds'));

const { acceptLine } = proxyActivities<Activities>(ACCEPTANCE_TEST);

const { removeInstalledItem } = proxyActivities<Activities>(PROVISIONING_UNDO);

/**
 * Line provisioning (개통, domain.md process 2): request → carrier contract (a
 * person records it; reminders while it waits; it expires) → installation on
 * the PBX and, for an agent's line, the CTI → acceptance over SIP → ACTIVE.
 * A failure after partial installation undoes every step done, in reverse,
 * and the workflow fails with the cause; the line is FAILED in the inventory.
 */
export async function lineProvisioningWorkflow(input: LineWorkflowInput): Promise<LineState> {
  const line = input.continued?.state ?? requestLine(input);
  const now = () => new Date().toISOString();
  const project = () => projectLine(line);
  const notices = createLineNotices(line);

  let projected = false;
  setHandler(lineStateQuery, () => line);
  setHandler(lineRequestedUpdate, async () => {
    await condition(() => projected);
    return line;
  });
  setHandler(
    recordContractUpdate,
    async ({ body, actor }) => {
      const contract = ContractRequest.parse(body);
      line.contract = { ...contract, recordedBy: actor, recordedAt: now() };
      record(line, 'contract-recorded', actor, now(), { contractNo: contract.contractNo, carrier: contract.carrier, termMonths: contract.termMonths });
      await project();
      return line;
    },
    { validator: ({ body }) => rejectUnless(line, 'recordContract', ['PENDING_CONTRACT'], ContractRequest, body, !line.contract) },
  );

  setHandler(
    cancelProvisioningUpdate,
    async ({ body, actor }) => {
      // Marks the runs that took the cancel path (patches.ts); no earlier history holds a cancel Update.
      patched(PATCHES.provisioningCancel);
      const { reason } = CancelProvisioningRequest.parse(body);
      line.cancellation = { reason, cancelledBy: actor, cancelledAt: now() };
      moveTo(line, 'CANCELLED', line.installed.length ? 'cancelled; undoing what was installed' : 'cancelled before the contract', actor, now(), { reason });
      await project();
      return line;
    },
    { validator: ({ body }) => rejectUnless(line, 'cancel', ['PENDING_CONTRACT'], CancelProvisioningRequest, body, !line.contract) },
  );

  try {
    await project();
  } catch (err) {
    // Started late, after the API had given its DN back and another line had taken it (db/lines.repo.ts
    // saveLine): nothing is installed, and the line's own record says why (its query; it has no row).
    const failure = describeFailure('request', err);
    if (failure.type !== 'Conflict') throw err;
    line.failure = failure;
    moveTo(line, 'FAILED', 'failed at request: its DN is held by another line', SYSTEM_ACTOR, now(), { ...failure });
    throw ApplicationFailure.create({
      type: 'LineProvisioningFailed',
      message: `${line.id}: ${failure.cause}`,
      nonRetryable: true,
      details: [failure],
      cause: err as Error,
    });
  }
  projected = true;

  // ---- the request's checks, when the API accepted it before they answered ------------
  if (input.checks === 'deferred' && !input.continued) {
    // Only requests accepted unchecked carry the flag (patches.ts); the marker tells their runs apart.
    patched(PATCHES.deferredChecks);
    const refused = await recheck();
    if (refused) return fail(refused);
    record(line, 'checked', SYSTEM_ACTOR, now());
    await project();
  }

  // ---- carrier order and contract (a human step) --------------------------------
  const contractDeadline = Date.parse(input.requestedAt) + input.timing.contractDeadlineMs;
  const decided = () => line.contract !== undefined || line.cancellation !== undefined;
  while (!decided() && Date.now() < contractDeadline) {
    if (historyIsLong(PATCHES.waitsContinueAsNew, input.handoverEvents)) {
      // Weeks of reminders: the next run goes on waiting with the line as it stands.
      await condition(allHandlersFinished);
      await notices.settled();
      if (!decided()) await continueAsNew<typeof lineProvisioningWorkflow>({ ...input, continued: { state: line } });
      break;
    }
    const wait = Math.min(contractDeadline - Date.now(), input.timing.contractReminderMs);
    if (await waitFor(decided, wait)) break;
    if (Date.now() < contractDeadline) {
      const reminder = record(line, 'contract-reminder', SYSTEM_ACTOR, now(), { deadline: new Date(contractDeadline).toISOString() });
      notices.contractReminder(reminder.seq, contractDeadline);
      await project();
    }
  }
  if (line.cancellation) return cancelled();
  if (!line.contract) {
    return fail({
      step: 'contract',
      type: 'ContractExpired',
      cause: `no carrier contract was recorded by ${new Date(contractDeadline).toISOString()}`,
    });
  }

  // ---- the request's checks again: the PBX and the CTI may have changed while the contract was awaited
  if (patched(PATCHES.preflightAtInstall)) {
    const refused = await recheck();
    if (refused) return fail(refused);
  }

  // ---- installation, then acceptance; undo on failure ----------------------------
  moveTo(line, 'INSTALLING', 'installing on the PBX', SYSTEM_ACTOR, now());
  await project();
  let step = 'installation';
  const done = async (item: InstalledItem) => {
    line.installed.push(item);
    record(line, `installed:${item.kind}`, SYSTEM_ACTOR, now(), { ...item });
    await project();
  };
  try {
    const { id: lineId, dn } = line;
    if (line.lineType === 'pri') {
      step = 'pbx-trunk';
      await done(await install.installTrunk({ lineId, dn, trunk: line.trunk! }));
    } else if (line.lineType === 'extension' || !line.routeTo) {
      step = 'pbx-extension';
      await done(await install.installExtension({ lineId, dn, displayName: line.displayName }));
    }
    if (line.phone) {
      step = 'pbx-phone';
      await done(await install.installPhone({ lineId, dn, phone: line.phone }));
    }
    step = 'pbx-dialplan';
    const trunk = line.installed.find((i) => i.kind === 'pbx-trunk');
    await done(
      await install.installDialplanRule({
        lineId,
        lineType: line.lineType,
        dn,
        routeTo: line.routeTo,
        trunkId: trunk?.kind === 'pbx-trunk' ? trunk.trunkId : undefined,
      }),
    );

    if (line.agent) {
      line.step = 'installing on the CTI';
      step = 'cti-agent';
      const agent = await install.createCtiAgent({ lineId, agent: line.agent });
      await done(agent);
      const agentId = agent.kind === 'cti-agent' ? agent.agentId : '';
      step = 'cti-team';
      // A line being provisioned has the team it was requested with; only a later change can take it away.
      await done(await install.joinCtiTeam({ lineId, agentId, team: line.agent.team! }));
      if (line.agent.skills.length > 0) {
        step = 'cti-skills';
        await done(await install.assignCtiSkills({ lineId, agentId, skills: line.agent.skills }));
      }
      // Only a request naming queues takes this path (none could before); the marker tells those runs apart.
      if (line.agent.queues?.length && patched(PATCHES.agentQueues)) {
        step = 'cti-queues';
        for (const queue of line.agent.queues) await done(await install.joinCtiQueue({ lineId, agentId, queue }));
      }
    }

    step = 'acceptance';
    moveTo(line, 'ACCEPTANCE', 'acceptance test over SIP', SYSTEM_ACTOR, now());
    await project();
    const result = await acceptLine({ lineId, lineType: line.lineType, dn, routeTo: line.routeTo });
    line.acceptance = { calledNumber: result.calledNumber, register: result.register.detail, call: result.call.detail, at: now() };
    // A simulated acceptance says so in the line's record (and its history entry), not only in the detail text.
    if (patched(PATCHES.acceptanceSource) && result.source) line.acceptance.source = result.source;
    record(line, result.accepted ? 'accepted' : 'acceptance-failed', SYSTEM_ACTOR, now(), { ...line.acceptance });
    if (!result.accepted) {
      const failed = !result.register.ok ? `registration failed: ${result.register.detail}` : `test call failed: ${result.call.detail}`;
      throw ApplicationFailure.nonRetryable(`acceptance failed, ${failed}`, 'AcceptanceFailed');
    }
  } catch (err) {
    const failure = describeFailure(step, err);
    record(line, 'step-failed', SYSTEM_ACTOR, now(), { ...failure });
    line.step = 'undoing the installation';
    await project();
    await CancellationScope.nonCancellable(undoInstallation);
    return fail(failure, err);
  }

  moveTo(line, 'ACTIVE', 'in service', SYSTEM_ACTOR, now());
  await project();
  notices.active();
  await condition(allHandlersFinished);
  await notices.settled();
  return line;

  /**
   * The submission's checks (activities/preflight.ts) before anything is installed: a DN or IP taken
   * on the PBX meanwhile, a team or skill gone from the CTI, fails the line naming the field, with
   * nothing to undo. A vendor that cannot be asked fails it the same way, at this step.
   */
  async function recheck(): Promise<LineFailure | undefined> {
    const { id: _id, requestedBy: _by, requestedAt: _at, timing: _timing, handoverEvents: _events, continued: _continued, checks: _checks, ...request } = input;
    try {
      const problems = await install.preflight({ kind: 'line', request });
      if (problems.length === 0) return undefined;
      record(line, 'preflight-failed', SYSTEM_ACTOR, now(), { problems });
      return { step: 'preflight', type: 'PreflightFailed', cause: describeProblems(problems) };
    } catch (err) {
      return describeFailure('preflight', err);
    }
  }

  /** Undoes every installed item, newest first; an item that cannot be undone stays listed on the line. */
  async function undoInstallation(): Promise<void> {
    for (const item of [...line.installed].reverse()) {
      try {
        await removeInstalledItem({ lineId: line.id, item, purpose: 'undo' });
        line.installed = line.installed.filter((i) => i !== item);
        record(line, `undone:${item.kind}`, SYSTEM_ACTOR, now(), { ...item });
      } catch (err) {
        record(line, 'undo-failed', SYSTEM_ACTOR, now(), { ...item, ...describeFailure(`undo ${item.kind}`, err) });
      }
      await project();
    }
  }

  /** Cancelled before the contract: whatever was installed is undone (today nothing is before it), the SPM is told. */
  async function cancelled(): Promise<LineState> {
    if (line.installed.length > 0) {
      await CancellationScope.nonCancellable(undoInstallation);
      line.step = 'cancelled before the contract';
      await project();
    }
    notices.cancelled();
    await condition(allHandlersFinished);
    await notices.settled();
    return line;
  }

  async function fail(failure: LineFailure, cause?: unknown): Promise<never> {
    line.failure = failure;
    moveTo(line, 'FAILED', `failed at ${failure.step}`, SYSTEM_ACTOR, now(), { ...failure });
    await project();
    notices.failed(failure);
    await condition(allHandlersFinished);
    await notices.settled();
    throw ApplicationFailure.create({
      type: failure.type === 'ContractExpired' ? 'ContractExpired' : 'LineProvisioningFailed',
      message: `${line.id}: ${failure.cause}`,
      nonRetryable: true,
      details: [failure],
      cause: cause instanceof Error ? cause : undefined,
    });
  }
}
