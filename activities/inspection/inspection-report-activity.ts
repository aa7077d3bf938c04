import type { Pool } from 'pg';
import { listDevices } from '../../db/devices.repo';
import { readingsOf, trendPoints } from '../../db/inspections.repo';
import type { InspectionState } from '../../domain/inspection/contracts';
import type { ReportLocale, StoredReportRef } from '../../domain/report/contracts';
import { monthBounds, monthsEndingWith } from '../../domain/report/periods';
import { emergencyChangesBetween } from '../../db/changes.repo';
import { inspectionReportInput } from '../../reports/inspection-report';
import type { RenderAndStore } from '../../reports/report-store';
import { citeWorkflowHistory } from '../reports/history-citation';

/** Months of history the trend charts show, this one included. */
const TREND_MONTHS = 6;

export function createInspectionReportActivities({ pool, renderAndStore }: { pool: Pool; renderAndStore: RenderAndStore }) {
  return {
    async renderInspectionReport(req: { state: InspectionState; version: number; locale: ReportLocale; documentDate: string }): Promise<StoredReportRef> {
      const { state } = req;
      const month = monthBounds(state.period);
      const [devices, readings, trends, emergencyChanges] = await Promise.all([
        listDevices(pool, { centers: state.centers }),
        readingsOf(pool, state.id),
        trendPoints(pool, monthsEndingWith(state.period, TREND_MONTHS), { inspectionId: state.id, period: state.period }, state.centers),
        emergencyChangesBetween(pool, month.from, month.to),
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
        },
        { locale: req.locale, documentDate: new Date(req.documentDate) },
      );
      const reason = `inspection report ${state.id} version ${req.version}`;
      return renderAndStore('inspection', state.id, req.version, async () => ({ ...input, sourceHistory: await citeWorkflowHistory(pool, reason) }));
    },
  };
}
