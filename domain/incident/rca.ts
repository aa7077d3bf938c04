import { InvalidTransitionError, parseOrThrow } from '../errors';
import { PublishReportRequest, RcaRequest, type IncidentState, type PublishedReport, type TimelineEvent } from './contracts';
import type { Actor } from '../actor';
import { isTerminal, record } from './lifecycle';

/**
 * The root-cause analysis and the incident report (장애 보고서). An RCA may be
 * written (and revised) while the incident is open or resolved; the report
 * is published to the customer once the incident is resolved and has an RCA.
 */

export const PUBLISHABLE_FROM = ['RESOLVED'] as const;

/** An RCA can be recorded or revised until the incident is closed or cancelled. */
export function rcaAllowed(state: Pick<IncidentState, 'status'>): boolean {
  return !isTerminal(state.status);
}

/** The report can be published once the incident is resolved and has its RCA. */
export function publishAllowed(state: Pick<IncidentState, 'status' | 'rca'>): boolean {
  return (PUBLISHABLE_FROM as readonly string[]).includes(state.status) && !!state.rca;
}

export function checkRca(state: IncidentState, body: unknown): RcaRequest {
  if (!rcaAllowed(state)) {
    throw new InvalidTransitionError(`an RCA cannot be recorded on a ${state.status} incident`, { action: 'rca', status: state.status });
  }
  return parseOrThrow(RcaRequest, body);
}

export function recordRca(state: IncidentState, body: RcaRequest, actor: Actor, at: string): TimelineEvent {
  const revision = (state.rca?.revision ?? 0) + 1;
  state.rca = { ...body, recordedBy: actor, recordedAt: at, revision };
  return record(state, 'rca-recorded', actor, at, { details: { revision, preventionItems: body.prevention.length } });
}

export function checkPublish(state: IncidentState, body: unknown): PublishReportRequest {
  if (!(PUBLISHABLE_FROM as readonly string[]).includes(state.status)) {
    throw new InvalidTransitionError(`the incident report is published once the incident is RESOLVED; it is ${state.status}`, {
      action: 'publish-report',
      status: state.status,
      allowedFrom: PUBLISHABLE_FROM,
    });
  }
  if (!state.rca) {
    throw new InvalidTransitionError('record the RCA (POST …/rca) before publishing the report', { action: 'publish-report', status: state.status });
  }
  return parseOrThrow(PublishReportRequest, body);
}

export function nextReportVersion(state: IncidentState): number {
  return (state.reports?.length ?? 0) + 1;
}

export function recordPublication(state: IncidentState, report: PublishedReport): TimelineEvent {
  // Two publications at once may finish in either order; the list stays oldest version first.
  const reports = (state.reports ??= []);
  const at = reports.findIndex((r) => r.version > report.version);
  reports.splice(at < 0 ? reports.length : at, 0, report);
  return record(state, 'report-published', report.publishedBy, report.publishedAt, {
    details: { reportId: report.reportId, version: report.version, sha256: report.sha256, locale: report.locale },
  });
}
