import { isBusinessInstant } from '../../domain/calendar/business-time';
import type { IncidentState, TimelineEvent } from '../../domain/incident/contracts';
import type { StoredReportRef } from '../../domain/report/contracts';
import { createNotifier } from '../notifier';

/**
 * What the incident workflow tells people, and whom. Incident notices reach the roster
 * of the moment: on duty in business hours, or after hours.
 */
export function createIncidentNotices(incident: IncidentState, now: () => string) {
  const notifier = createNotifier(incident.id, incident.center, () => isBusinessInstant(incident.sla.calendar, now()));
  const send = notifier.send;
  return {
    opened(): void {
      send({
        key: `${incident.id}:opened`,
        kind: 'opened',
        audience: ['spm', 'oncall'],
        subject: `[${incident.severity}] 장애 접수: ${incident.title}`,
        text: `${incident.id} opened on ${incident.system}${incident.center ? ` (${incident.center})` : ''}: ${incident.description}`,
        data: { severity: incident.severity, system: incident.system, sla: incident.sla.clock },
      });
    },
    resolved(event: TimelineEvent, by: string): void {
      send({
        key: `${incident.id}:resolved:${event.seq}`,
        kind: 'resolved',
        audience: ['customer', 'spm'],
        subject: `[${incident.severity}] 장애 복구: ${incident.title}`,
        text: `${incident.id} was resolved by ${by}.`,
        data: { status: incident.status, resolution: event.details?.resolution },
      });
    },
    reportPublished(report: StoredReportRef, by: string, event: TimelineEvent): void {
      send({
        key: `${incident.id}:report:${report.version}`,
        kind: 'incident-report',
        audience: ['customer', 'spm'],
        subject: `[${incident.severity}] 장애 보고서: ${incident.title}`,
        text: `${incident.id}: the incident report (version ${report.version}) is attached. Published by ${by}.`,
        data: { reportId: report.reportId, version: report.version, sha256: report.sha256, seq: event.seq },
        attachments: [report.reportId],
      });
    },
    slaWarning(clock: string, percent: number, dueAt: string | null, warning: TimelineEvent): void {
      send({
        key: `${incident.id}:sla:${clock}:${percent}:${warning.seq}`,
        kind: 'sla-warning',
        audience: ['spm'],
        subject: `[${incident.severity}] SLA ${percent}% (${clock}): ${incident.title}`,
        text: `${incident.id}: ${percent}% of the ${clock} target used; due ${dueAt}.`,
        data: { clock, percent, dueAt },
      });
    },
    slaBreached(clock: string, dueAt: string | null): void {
      send({
        key: `${incident.id}:sla:${clock}:breached`,
        kind: 'sla-breached',
        audience: ['spm', 'oncall'],
        subject: `[${incident.severity}] SLA 위반 (${clock}): ${incident.title}`,
        text: `${incident.id}: the ${clock} target was breached at ${dueAt}.`,
        data: { clock, dueAt, level: incident.level },
      });
    },
    /** `note`: the SPM's own words on where things stand since the last report, when there are any. */
    statusReport(report: TimelineEvent, note: string | undefined): void {
      send({
        key: `${incident.id}:status-report:${report.seq}`,
        kind: 'status-report',
        audience: ['customer'],
        subject: `[${incident.severity}] 장애 상황 보고: ${incident.title}`,
        text: `${incident.id} is ${incident.status} at ${incident.level}${incident.assignee ? `, handled by ${incident.assignee}` : ''}.${note ? `\n\n${note}` : ''}`,
        data: { status: incident.status, level: incident.level, assignee: incident.assignee, ...(note ? { note } : {}) },
      });
    },
    escalated(event: TimelineEvent): void {
      const details = event.details;
      send({
        key: `${incident.id}:escalated:${event.seq}`,
        kind: 'escalated',
        audience: ['spm', 'oncall'],
        subject: `[${incident.severity}] 장애 에스컬레이션 ${String(details?.fromLevel)}→${String(details?.toLevel)}: ${incident.title}`,
        text: `${incident.id} escalated to ${incident.level}: ${String(details?.reason ?? '')}`,
        data: { level: incident.level, ...details },
      });
    },
    /** How many notices are still being sent. */
    get pending(): number {
      return notifier.pending;
    },
    settled: () => notifier.settled(),
  };
}
