import type { AuditSigner } from '../../domain/audit/seal';
import type { Pool } from 'pg';
import { listDevices } from '../../db/devices.repo';
import { findInspection, readingsOf, trendPoints } from '../../db/inspections.repo';
import { ApplicationFailure } from '@temporalio/common';
import type { InspectionState } from '../../domain/inspection/contracts';
import type { ReportLocale, StoredReportRef } from '../../domain/report/contracts';
import { monthBounds, monthDates, monthsEndingWith } from '../../domain/report/periods';
import { emergencyChangesBetween } from '../../db/changes.repo';
import { inspectionReportInput } from '../../reports/inspection-report';
import type { RenderAndStore } from '../../reports/report-store';
import { citeWorkflowHistory } from '../reports/history-citation';
import { anchorForReport } from '../reports/report-anchor';
import { trunkUsageBetween } from '../../db/trunk-usage.repo';
import { listTrunkCapacities } from '../../db/trunks.repo';

/** Months of history the trend charts show, this one included. */
const TREND_MONTHS = 6;

export function createInspectionReportActivities({
  pool,
  auditSigner,
  renderAndStore,
}: {
  pool: Pool;
  auditSigner: AuditSigner;
  renderAndStore: RenderAndStore;
}) {
  return {
    /**
     * Renders and stores the report of an inspection: given by its id, it is read from the read model
     * (inspections since issue 18, whose findings are in the database), else the workflow's state.
     */
    async renderInspectionReport(
      req: ({ inspectionId: string } | { state: InspectionState }) & { version: number; locale: ReportLocale; documentDate: string },
    ): Promise<StoredReportRef> {
      const state = 'state' in req ? req.state : await projectedInspection(pool, req.inspectionId);
      const month = monthBounds(state.period);
      const [devices, readings, trends, emergencyChanges, trunkDays, trunks] = await Promise.all([
        listDevices(pool, { centers: state.centers }),
        readingsOf(pool, state.id),
        trendPoints(pool, monthsEndingWith(state.period, TREND_MONTHS), { inspectionId: state.id, period: state.period }, state.centers),
        emergencyChangesBetween(pool, month.from, month.to),
        trunkUsageBetween(pool, monthDates(state.period).fromDate, monthDates(state.period).toDate),
        listTrunkCapacities(pool),
      ]);
      const input = inspectionReportInput(
        {
          inspection: { id: state.id, period: state.period, centers: state.centers, startedAt: state.startedAt, review: state.review },
          collectors: state.collectors,
          findings: state.findings,
          incidents: state.incidents,
          devices,
          readings,
          trends,
          asOf: req.documentDate,
          emergencyChanges,
          // The centers inspected: their trunks' days.
          trunkUsage: { days: trunkDays, trunks: trunks.filter((t) => t.center !== null && state.centers.includes(t.center)) },
        },
        { locale: req.locale, documentDate: new Date(req.documentDate) },
      );
      const reason = `inspection report ${state.id} version ${req.version}`;
      return renderAndStore('inspection', state.id, req.version, async () => {
        const sourceHistory = await citeWorkflowHistory({ pool, auditSigner }, reason);
        return { ...input, sourceHistory, auditAnchor: await anchorForReport({ pool, auditSigner }, reason) };
      });
    },
  };
}

async function projectedInspection(pool: Pool, id: string): Promise<InspectionState> {
  const found = await findInspection(pool, id);
  // The workflow projects before it renders: a missing row is a defect, not something a retry mends.
  if (!found) throw ApplicationFailure.create({ type: 'NotFound', message: `inspection ${id} is not in the read model`, nonRetryable: true });
  return found.state;
}
