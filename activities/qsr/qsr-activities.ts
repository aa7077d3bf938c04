import type { AuditSigner } from '../../domain/audit/seal';
import type { Pool } from 'pg';
import { callVolumeBetween, saveCallVolume, simulatedCallVolumeBetween } from '../../db/call-volume.repo';
import { dataSource, STAND_IN_NAMES } from '../../domain/data-source';
import { incidentsOpenedBetween } from '../../db/incidents.repo';
import { emergencyChangesBetween } from '../../db/changes.repo';
import { simulatedReadingsIn, trendPoints } from '../../db/inspections.repo';
import { nextQsrId, qsrIdOfWorkflow, saveQsr } from '../../db/qsrs.repo';
import { detectAnomalies } from '../../domain/qsr/anomalies';
import type { QsrState } from '../../domain/qsr/contracts';
import { quarterBounds, quarterDates } from '../../domain/report/periods';
import { computeKpis } from '../../domain/qsr/kpis';
import type { ReportLocale, StoredReportRef } from '../../domain/report/contracts';
import type { CtiClient } from '../../adapters/cti/cti-client';
import { asActivity } from '../../adapters/vendor-errors';
import { qsrReportInput } from '../../reports/qsr-report';
import type { RenderAndStore } from '../../reports/report-store';
import { citeWorkflowHistory } from '../reports/history-citation';
import { anchorForReport } from '../reports/report-anchor';
import { SEOUL_TIME_ZONE } from '../../domain/calendar/seoul';
import type { PbxClient } from '../../adapters/pbx/pbx-client';
import { trunkDailyUsage } from '../../domain/line/trunk-usage';
import { saveTrunkUsage, trunkUsageBetween } from '../../db/trunk-usage.repo';
import { importLineUsage } from '../line-usage-import';
import { savingsAsOf } from '../../db/savings.repo';
import { carrierDisplayNames } from '../../db/billing-config.repo';
import { dayOfIsoDate, isoDateOfDay } from '../../domain/calendar/local-time';
import { listTrunkCapacities } from '../../db/trunks.repo';

/** The quarterly service review's steps: naming the run, call volume from the CTI, the indicators, the report. */
export function createQsrActivities({
  pool,
  auditSigner,
  cti,
  ctiSimulated,
  pbx,
  pbxSimulated,
  renderAndStore,
}: {
  pool: Pool;
  auditSigner: AuditSigner;
  cti: CtiClient;
  ctiSimulated: boolean;
  pbx: PbxClient;
  pbxSimulated: boolean;
  renderAndStore: RenderAndStore;
}) {
  return {
    async projectQsr({ state, version, workflowId }: { state: QsrState; version: number; workflowId: string }): Promise<void> {
      await saveQsr(pool, workflowId, state, version);
    },

    async beginQsr(req: { workflowId: string; id?: string }): Promise<{ id: string }> {
      return { id: req.id ?? (await qsrIdOfWorkflow(pool, req.workflowId)) ?? (await nextQsrId(pool)) };
    },

    /** The quarter's daily volume per center from the CTI statistics; days corrected by CSV upload keep the upload. */
    async importCallVolume({ quarter }: { quarter: string }): Promise<{ days: number }> {
      const { from, to } = quarterBounds(quarter);
      // Typed vendor failures: a rate limit waits its Retry-After, a bad request is not retried.
      const rows = await asActivity(() => cti.callVolume({ from, to, timeZone: SEOUL_TIME_ZONE }));
      // The CTI emulator's statistics are simulated, and the QSR built on them will say so.
      await saveCallVolume(
        pool,
        rows.map((r) => ({ ...r, source: 'cti' as const })),
        'cti-statistics',
        dataSource(ctiSimulated),
      );
      return { days: rows.length };
    },

    /** The quarter's days of each trunk (calls, minutes, the most carried at once) from the PBX's call records, and of each line (line-usage-import), stored for the report and GET /api/v1/lines/usage. */
    async importTrunkUsage({ quarter }: { quarter: string }): Promise<{ days: number }> {
      const { from, to } = quarterBounds(quarter);
      const { fromDate, toDate } = quarterDates(quarter);
      const records = await asActivity(() => pbx.callRecords({ from, to }));
      const days = trunkDailyUsage(records);
      await saveTrunkUsage(pool, fromDate, toDate, days, dataSource(pbxSimulated));
      // Typed vendor failures of the CTI's statistics too: a rate limit waits its Retry-After, a bad request is not retried.
      await asActivity(() =>
        importLineUsage({ pool, cti, pbxSource: dataSource(pbxSimulated), ctiSource: dataSource(ctiSimulated) }, { fromDate, toDate }, records),
      );
      return { days: days.length };
    },

    /** The quarter's SLA indicators from the incident read model, and the anomalies of its stored call volume. */
    async computeQsrIndicators({ quarter, asOf }: { quarter: string; asOf: string }) {
      const { from, to } = quarterBounds(quarter);
      const { fromDate, toDate } = quarterDates(quarter);
      const [incidents, callVolume] = await Promise.all([incidentsOpenedBetween(pool, from, to), callVolumeBetween(pool, fromDate, toDate)]);
      return { kpis: computeKpis(incidents, { from, to }, asOf), anomalies: detectAnomalies(callVolume) };
    },

    async renderQsrReport(req: { state: QsrState; version: number; locale: ReportLocale; documentDate: string }): Promise<StoredReportRef> {
      const { state } = req;
      const { from, to, months } = quarterBounds(state.quarter);
      const { fromDate, toDate } = quarterDates(state.quarter);
      const [callVolume, trends, simulatedVolume, simulatedReadings, emergencyChanges, trunkUsage, trunks, savings, carrierNames] = await Promise.all([
        callVolumeBetween(pool, fromDate, toDate),
        trendPoints(pool, months, null, []),
        simulatedCallVolumeBetween(pool, fromDate, toDate),
        simulatedReadingsIn(pool, months),
        emergencyChangesBetween(pool, from, to),
        trunkUsageBetween(pool, fromDate, toDate),
        listTrunkCapacities(pool),
        // As of the quarter's last day; the review goes on without them, and its notes say why.
        savingsAsOf(pool, isoDateOfDay(dayOfIsoDate(toDate) - 1)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
        carrierDisplayNames(pool),
      ]);
      if (!state.kpis) throw new Error(`QSR ${state.id} has no indicators to report yet`);
      const savingsMissing = savings instanceof Error ? `the savings proposals were not available (${savings.message})` : null;
      const input = qsrReportInput(
        {
          qsr: { id: state.id, quarter: state.quarter, from, to },
          kpis: state.kpis,
          trends,
          callVolume,
          anomalies: state.anomalies,
          proposals: state.proposals,
          notes: savingsMissing ? [...state.notes, savingsMissing] : state.notes,
          simulatedInputs: [
            ...(simulatedVolume ? [STAND_IN_NAMES.cti] : []),
            ...(trunkUsage.some((d) => d.source === 'simulated') || (!(savings instanceof Error) && savings.simulatedUsage) ? [STAND_IN_NAMES.pbx] : []),
            ...simulatedReadings,
          ],
          emergencyChanges,
          trunkUsage: { days: trunkUsage, trunks },
          savings: savings instanceof Error ? null : savings,
          carrierNames,
        },
        { locale: req.locale, documentDate: new Date(req.documentDate) },
      );
      const reason = `QSR report ${state.id} version ${req.version}`;
      return renderAndStore('qsr', state.id, req.version, async () => {
        const sourceHistory = await citeWorkflowHistory({ pool, auditSigner }, reason);
        return { ...input, sourceHistory, auditAnchor: await anchorForReport({ pool, auditSigner }, reason) };
      });
    },
  };
}
