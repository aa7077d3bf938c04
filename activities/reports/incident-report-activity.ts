import type { IncidentState } from '../../domain/incident/contracts';
import { incidentView } from '../../domain/incident/view';
import type { StoredReportRef } from '../../domain/report/contracts';
import { incidentReportInput } from './incident-report';
import type { RenderAndStore } from './report-store';

export interface RenderIncidentReportRequest {
  incident: IncidentState;
  version: number;
  locale: 'ko' | 'en';
  /** The publication instant: the SLA is judged as of it and it is the PDF's date. */
  documentDate: string;
}

/** The incident report (장애 보고서): the incident as the workflow holds it, its SLA with the explanation, the RCA. */
export function createIncidentReportActivities({ renderAndStore }: { renderAndStore: RenderAndStore }) {
  return {
    async renderIncidentReport(req: RenderIncidentReportRequest): Promise<StoredReportRef> {
      const view = incidentView(req.incident, req.documentDate, { explain: true });
      const input = incidentReportInput({ incident: view, rca: req.incident.rca ?? null }, { locale: req.locale, documentDate: new Date(req.documentDate) });
      return renderAndStore('incident', req.incident.id, req.version, input);
    },
  };
}
