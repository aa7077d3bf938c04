import type { AuditSigner } from '../../domain/audit/seal';
import { emergencyChangesBetween } from '../../db/changes.repo';
import type { IncidentState } from '../../domain/incident/contracts';
import { incidentView } from '../../domain/incident/view';
import type { ReportLocale, StoredReportRef } from '../../domain/report/contracts';
import { incidentReportInput } from '../../reports/incident-report';
import { citeWorkflowHistory } from './history-citation';
import type { RenderAndStore } from '../../reports/report-store';
import type { Pool } from 'pg';

export interface RenderIncidentReportRequest {
  incident: IncidentState;
  version: number;
  locale: ReportLocale;
  /** The publication instant: the SLA is judged as of it and it is the PDF's date. */
  documentDate: string;
}

/** The incident report (장애 보고서): the incident as the workflow holds it, its SLA with the explanation, the RCA, the emergency changes of its time, and the history hash it was built from. */
export function createIncidentReportActivities({
  pool,
  auditSigner,
  renderAndStore,
}: {
  pool: Pool;
  auditSigner: AuditSigner;
  renderAndStore: RenderAndStore;
}) {
  return {
    async renderIncidentReport(req: RenderIncidentReportRequest): Promise<StoredReportRef> {
      const view = incidentView(req.incident, req.documentDate, { explain: true });
      // Changes applied at once on the SPM's word while the incident was open belong in its report.
      const emergencyChanges = await emergencyChangesBetween(pool, req.incident.openedAt, req.incident.closedAt ?? req.documentDate);
      const input = incidentReportInput(
        { incident: view, rca: req.incident.rca ?? null, emergencyChanges },
        { locale: req.locale, documentDate: new Date(req.documentDate) },
      );
      const reason = `incident report ${req.incident.id} version ${req.version}`;
      return renderAndStore('incident', req.incident.id, req.version, async () => ({
        ...input,
        sourceHistory: await citeWorkflowHistory({ pool, auditSigner }, reason),
      }));
    },
  };
}
