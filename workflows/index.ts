// Every workflow type the worker hosts; the bundler starts from this file.
export { incidentWorkflow } from './incident/workflow';
export { lineProvisioningWorkflow } from './line/provisioning';
export { lineTerminationWorkflow } from './line/termination';
export { changeRequestWorkflow } from './change/workflow';
export { inspectionWorkflow } from './inspection/workflow';
export { qsrWorkflow } from './qsr/workflow';
export { auditTrailWorkflow } from './audit-trail/workflow';
export { lineProvisioningBatchWorkflow } from './line/batch';
export { preflightWorkflow } from './preflight/workflow';
export { monitoringNoticeWorkflow } from './monitoring/notice';
export { billWorkflow } from './billing/workflow';
export { billingReportWorkflow } from './billing-report/workflow';
export { auditAnchorWorkflow } from './audit-anchor/workflow';
export { slaWhatIfReportWorkflow } from './sla-what-if/workflow';
