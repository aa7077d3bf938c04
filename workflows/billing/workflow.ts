import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { BILL_ACTIONS, type BillAction, type BillActionRequest, type BillState, type BillWorkflowInput, type Dispute } from '../../domain/billing/contracts';
import {
  approveBill,
  billSettled,
  disputeFollowedUp,
  disputeRefusal,
  openDispute,
  paymentDone,
  receiveBill,
  reconciled,
  recordPayment,
  remindersToSend,
  settleDispute,
  settleRefusal,
  undoDispute,
  withdrawBill,
  withdrawRefusal,
} from '../../domain/billing/lifecycle';
import { moveTo } from '../../domain/event-log';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { DATABASE_STEP, READ_MODEL } from '../activity-options';
import { describeFailure } from '../failures';
import { rejectUnless } from '../validators';
import { waitFor } from '../wait';
import { billStateQuery, billUpdates } from './messages';
import { createBillNotices } from './notices';

const { projectBill } = proxyActivities<Activities>(READ_MODEL);
const { reconcileBill, markFindingsDisputed } = proxyActivities<Activities>(DATABASE_STEP);

/**
 * A carrier's monthly bill (domain.md process 8): every line checked against the inventory
 * and the contracts; the SPM reviews the findings, approves the bill for payment and disputes
 * what should not be paid; reminded of the payment at D-7 and D-1 (and once overdue) until it
 * is marked paid, and of each dispute every few days until the carrier settles it.
 * The run ends when the bill is paid (or withdrawn) and no dispute is open.
 */
export async function billWorkflow(input: BillWorkflowInput): Promise<BillState> {
  const now = () => new Date().toISOString();
  const state = receiveBill(input);
  const notices = createBillNotices(state);
  let version = 0;
  const project = async () => {
    await projectBill({ state, version: ++version, workflowId: workflowInfo().workflowId });
  };

  setHandler(billStateQuery, () => state);
  setActionHandlers();

  try {
    await project();
    const result = await reconcileBill({ billId: state.id });
    reconciled(state, result.findings, result.rulesVersion, now());
    await project();
    notices.reviewRequested();
  } catch (err) {
    const failure = describeFailure('reconcile', err);
    state.failure = failure;
    moveTo(state, 'FAILED', 'reconciliation failed', SYSTEM_ACTOR, now(), { cause: failure.cause });
    await project();
    throw ApplicationFailure.create({ type: 'BillFailed', message: failure.cause, nonRetryable: true, cause: err instanceof Error ? err : undefined });
  }

  await Promise.all([remindOfPayment(), followUpDisputes()]);
  await waitFor(() => billSettled(state));
  await notices.settled();
  return state;

  /** D-7, D-1 and overdue reminders while the bill is not paid. */
  async function remindOfPayment(): Promise<void> {
    for (const reminder of remindersToSend(state.dueDate, Date.now())) {
      const wait = Date.parse(reminder.at) - Date.now();
      if (wait > 0 && (await waitFor(() => paymentDone(state), wait))) return;
      if (paymentDone(state)) return;
      state.reminders.push({ kind: reminder.kind, at: now() });
      notices.paymentDue(reminder.kind);
      await project();
    }
  }

  /** Each dispute's follow-ups, started as disputes are opened, until every one is settled and nothing else can open one. */
  async function followUpDisputes(): Promise<void> {
    const following = new Map<string, Promise<void>>();
    for (;;) {
      await waitFor(() => billSettled(state) || state.disputes.some((d) => !following.has(d.id)));
      for (const d of state.disputes) if (!following.has(d.id)) following.set(d.id, followUp(d));
      if (billSettled(state)) break;
    }
    await Promise.all(following.values());
  }

  async function followUp(dispute: Dispute): Promise<void> {
    while (dispute.status === 'OPEN') {
      const wait = Math.max(1, Date.parse(dispute.followUpAt!) - Date.now());
      if (await waitFor(() => dispute.status !== 'OPEN', wait)) return;
      disputeFollowedUp(state, dispute, now());
      notices.disputeFollowUp(dispute);
      await project();
    }
  }

  function setActionHandlers(): void {
    const invalid = (action: BillAction, message: string) =>
      ApplicationFailure.create({ type: 'InvalidTransition', message, nonRetryable: true, details: [{ action, status: state.status }] });
    const validator = (action: BillAction) => (req: BillActionRequest) => {
      rejectUnless(state, action, BILL_ACTIONS[action].from, BILL_ACTIONS[action].body, req.body);
      const refusal =
        action === 'dispute'
          ? disputeRefusal(state, BILL_ACTIONS.dispute.body.parse(req.body).findingIds)
          : action === 'settle'
            ? settleRefusal(state, BILL_ACTIONS.settle.body.parse(req.body).disputeId)
            : action === 'withdraw'
              ? withdrawRefusal(state)
              : null;
      if (refusal !== null) throw invalid(action, refusal);
      if (action === 'dispute' && typeof req.amountKrw !== 'number') throw invalid(action, 'a dispute needs the amount the API read for its findings');
    };
    const handle = <A extends BillAction>(action: A, apply: (req: BillActionRequest<A>) => Promise<void> | void) =>
      setHandler(
        billUpdates[action] as (typeof billUpdates)['approve'],
        async (req) => {
          await apply({ ...req, body: BILL_ACTIONS[action].body.parse(req.body) } as BillActionRequest<A>);
          await project();
          return state;
        },
        { validator: validator(action) },
      );

    handle('approve', ({ body, actor }) => approveBill(state, body, actor, now()));
    handle('dispute', async ({ body, actor, amountKrw }) => {
      // Recorded before the await, so a second dispute of the same findings meanwhile is refused.
      const dispute = openDispute(state, body, amountKrw!, actor, now());
      try {
        await markFindingsDisputed({ billId: state.id, disputeId: dispute.id, findingIds: dispute.findingIds });
      } catch (err) {
        // The findings could not be marked: the dispute is not opened (the Update fails, a retry is judged afresh).
        undoDispute(state, dispute, now());
        await project();
        throw err;
      }
    });
    handle('settle', ({ body, actor }) => {
      settleDispute(state, body, actor, now());
    });
    handle('pay', ({ body, actor }) => recordPayment(state, body, actor, now()));
    handle('withdraw', ({ body, actor }) => withdrawBill(state, body, actor, now()));
  }
}
