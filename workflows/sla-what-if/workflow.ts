import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { StoredReportRef } from '../../domain/report/contracts';
import type { WhatIfReportRequest } from '../../domain/sla/what-if';
import { REPORT_RENDERING } from '../activity-options';

const { renderSlaWhatIfReport } = proxyActivities<Activities>(REPORT_RENDERING);

/** Renders the SLA what-if PDF on the worker, which owns the browser; the API starts it and serves the PDF. */
export async function slaWhatIfReportWorkflow(request: WhatIfReportRequest): Promise<StoredReportRef> {
  return renderSlaWhatIfReport(request);
}
