import { findingsOf, insertBill } from '../../db/bills.repo';
import { seedLines } from '../../db/line-seed';
import type { Actor } from '../../domain/actor';
import type { BillState, BillWorkflowInput } from '../../domain/billing/contracts';
import type { BillingReportState } from '../../domain/billing/billing-report';
import { receiveBill } from '../../domain/billing/lifecycle';
import { dayOfIsoDate, isoDateOfDay } from '../../domain/calendar/local-time';
import { seoulDateOf } from '../../domain/calendar/seoul';
import { billStateQuery, billUpdates, billWorkflowId } from '../../workflows/billing/messages';
import { billWorkflow } from '../../workflows/billing/workflow';
import { billingReportApproveUpdate, billingReportStateQuery, billingReportWorkflowId } from '../../workflows/billing-report/messages';
import { billingReportWorkflow } from '../../workflows/billing-report/workflow';
import { until, type Scenario } from './scenario';

/** Issue 16: a carrier's bill disputed, approved, reminded of and paid, the dispute settled; the month's cost report delivered. */

const spm: Actor = { id: 'park-spm', role: 'spm' };

export const BILLING_SCENARIOS: Scenario[] = [
  {
    // One line billed over its contract: disputed, the rest approved, D-7 reminded, paid, followed up once, settled.
    name: 'bill-disputed-paid',
    async run(ctx) {
      await seedLines(ctx.pool, [{ id: 'LN-900801', dn: '0290080001', carrier: 'KT', monthlyFee: 30_000, activatedAt: '2025-01-02T09:00:00+09:00' }]);
      const today = seoulDateOf(Date.parse(await ctx.now()));
      const input: BillWorkflowInput = {
        id: 'BILL-900801',
        carrier: 'KT',
        month: '2026-10',
        dueDate: isoDateOfDay(dayOfIsoDate(today) + 10),
        fileName: 'KT-2026-10.csv',
        sha256: 'replay-bill-900801',
        lines: 1,
        totalKrw: 34_200,
        profileVersion: 1,
        requestedBy: spm,
        requestedAt: await ctx.now(),
      };
      await insertBill(ctx.pool, receiveBill(input), [
        { row: 4, number: '0290080001', baseFee: 33_000, usageFee: 1_200, addOnFee: 0, discount: 0, total: 34_200 },
      ]);
      const h = await ctx.client.workflow.start(billWorkflow, { taskQueue: ctx.taskQueue, workflowId: billWorkflowId(input.id), args: [input] });
      await until(
        h,
        () => h.query(billStateQuery),
        (s: BillState) => s.status === 'AWAITING_REVIEW',
      );
      const [finding] = (await findingsOf(ctx.pool, input.id, { limit: 10, offset: 0 })).items;
      await h.executeUpdate(billUpdates.dispute, {
        args: [{ body: { findingIds: [finding!.id], carrierReference: 'KT-CLAIM-REPLAY', followUpDays: 7 }, actor: spm, amountKrw: finding!.amountAtStake }],
      });
      await h.executeUpdate(billUpdates.approve, { args: [{ body: { comment: '차액 제외 지급' }, actor: spm }] });
      await ctx.sleep('4 days');
      await h.executeUpdate(billUpdates.pay, { args: [{ body: { paidOn: today, amountKrw: 31_200, reference: '이체' }, actor: spm }] });
      await ctx.sleep('4 days');
      await h.executeUpdate(billUpdates.settle, { args: [{ body: { disputeId: `${input.id}-D1`, creditKrw: 3_000 }, actor: spm }] });
      await h.result();
      return h;
    },
  },
  {
    // The month's line cost analysis, rendered and approved for the customer.
    name: 'billing-report-delivered',
    async run(ctx) {
      const id = 'BR-900801';
      const h = await ctx.client.workflow.start(billingReportWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: billingReportWorkflowId(id),
        args: [{ id, month: '2026-10', requestedBy: spm }],
      });
      await until(
        h,
        () => h.query(billingReportStateQuery),
        (s: BillingReportState) => s.status !== 'RUNNING',
      );
      await h.executeUpdate(billingReportApproveUpdate, { args: [{ body: { comments: '고객 전달' }, actor: spm }] });
      await h.result();
      return h;
    },
  },
];
