import type { AuditSigner } from '../domain/audit/seal';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { billingMonthData } from '../db/bill-costs.repo';
import {
  billingReportIdOfWorkflow,
  billingReportInputs,
  nextBillingReportId,
  saveBillingReport,
  storeBillingMonth,
  storeBillingSavings,
} from '../db/billing-reports.repo';
import { savingsAsOf } from '../db/savings.repo';
import {
  billingFigures,
  savingsFigures,
  type BillingReportFigures,
  type BillingReportSavings,
  type BillingReportState,
} from '../domain/billing/billing-report';
import type { ReportLocale, StoredReportRef } from '../domain/report/contracts';
import { lastDayOfMonth } from '../domain/report/periods';
import { billingReportInput } from '../reports/billing-report';
import type { RenderAndStore } from '../reports/report-store';
import { citeWorkflowHistory } from './reports/history-citation';

/**
 * The monthly line cost analysis's steps: naming the run, gathering the month's bills and the
 * savings proposals into billing_report_inputs (the workflow carries the report's id and a few
 * figures, never the rows), and rendering the report from what was gathered.
 */
export function createBillingReportActivities({ pool, auditSigner, renderAndStore }: { pool: Pool; auditSigner: AuditSigner; renderAndStore: RenderAndStore }) {
  return {
    async projectBillingReport({ state, version, workflowId }: { state: BillingReportState; version: number; workflowId: string }): Promise<void> {
      await saveBillingReport(pool, workflowId, state, version);
    },

    async beginBillingReport(req: { workflowId: string; id?: string }): Promise<{ id: string }> {
      return { id: req.id ?? (await billingReportIdOfWorkflow(pool, req.workflowId)) ?? (await nextBillingReportId(pool)) };
    },

    /** The month's live bills, their costs by center and carrier, the twelve months' totals, findings and disputes, stored for the report. */
    async gatherBillingReportData({ reportId, month }: { reportId: string; month: string }): Promise<BillingReportFigures> {
      const data = await billingMonthData(pool, month);
      await storeBillingMonth(pool, reportId, data);
      return billingFigures(data);
    },

    /** The savings proposals as of the month's last day, stored beside the month's data. */
    async collectBillingReportSavings({ reportId, month }: { reportId: string; month: string }): Promise<BillingReportSavings> {
      const savings = await savingsAsOf(pool, lastDayOfMonth(month));
      await storeBillingSavings(pool, reportId, savings);
      return savingsFigures(savings.proposals);
    },

    async renderBillingReport(req: { state: BillingReportState; version: number; locale: ReportLocale; documentDate: string }): Promise<StoredReportRef> {
      const { state } = req;
      const inputs = await billingReportInputs(pool, state.id);
      if (!inputs) {
        throw ApplicationFailure.create({ type: 'NotFound', nonRetryable: true, message: `billing report ${state.id} has no gathered data to render` });
      }
      const input = billingReportInput(
        { report: { id: state.id, month: state.month }, bills: inputs.bills, savings: inputs.savings, notes: state.notes },
        { locale: req.locale, documentDate: new Date(req.documentDate) },
      );
      const reason = `billing report ${state.id} version ${req.version}`;
      return renderAndStore('billing', state.id, req.version, async () => ({
        ...input,
        sourceHistory: await citeWorkflowHistory({ pool, auditSigner }, reason),
      }));
    },
  };
}
