import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { billHeader, billLinesOf, findingSummary, markDisputed, replaceFindings, saveBill, usageHistory } from '../db/bills.repo';
import { carrierNames, currentBillProfile, currentReconciliationRules } from '../db/billing-config.repo';
import { linesOfCarrier } from '../db/lines.repo';
import type { BillState, FindingSummary } from '../domain/billing/contracts';
import { inventoryLineOf } from '../domain/billing/inventory';
import { reconcileBill, USAGE_HISTORY_MONTHS } from '../domain/billing/reconcile';
import { monthsEndingWith } from '../domain/report/periods';

/**
 * The bill workflow's work in PostgreSQL. The bill's lines stay in the database: the workflow
 * passes the bill's id and gets back a summary, never 20,000 lines through its history.
 */
export function createBillingActivities({ pool }: { pool: Pool }) {
  return {
    async projectBill({ state, version }: { state: BillState; version: number; workflowId: string }): Promise<void> {
      await saveBill(pool, state, version);
    },

    /** Checks every line of the bill against the carrier's inventory and contracts; idempotent (a retry replaces the undisputed findings). */
    async reconcileBill({ billId }: { billId: string }): Promise<{ findings: FindingSummary; rulesVersion: number }> {
      const header = await billHeader(pool, billId);
      if (!header) throw ApplicationFailure.create({ type: 'NotFound', message: `bill ${billId} is not stored`, nonRetryable: true });
      const profile = await currentBillProfile(pool, header.carrier);
      const names = profile ? carrierNames(profile) : [header.carrier];
      const previousMonths = monthsEndingWith(header.month, USAGE_HISTORY_MONTHS + 1).slice(0, USAGE_HISTORY_MONTHS);
      const [rules, lines, inventory, history] = await Promise.all([
        currentReconciliationRules(pool),
        billLinesOf(pool, billId),
        linesOfCarrier(pool, names),
        usageHistory(pool, header.carrier, previousMonths),
      ]);
      const drafts = reconcileBill({ month: header.month, lines, inventory: inventory.map(inventoryLineOf), usageHistory: history, rules });
      await replaceFindings(pool, billId, drafts);
      return { findings: await findingSummary(pool, billId), rulesVersion: rules.version };
    },

    async markFindingsDisputed({ billId, disputeId, findingIds }: { billId: string; disputeId: string; findingIds: number[] }): Promise<void> {
      await markDisputed(pool, billId, disputeId, findingIds);
    },
  };
}
