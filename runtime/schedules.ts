import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Actor } from '../domain/actor';
import type { InspectionWorkflowInput } from '../domain/inspection/contracts';
import type { QsrWorkflowInput } from '../domain/qsr/contracts';
import type { BillingReportWorkflowInput } from '../domain/billing/billing-report';
import type { AuditAnchorRequest } from '../domain/audit/anchor-notice';
import type { Config } from './config';

/**
 * Butler's Temporal Schedules, made to match the configuration at every
 * start-up: created when missing, updated when present (so a changed
 * setting takes effect and a second start changes nothing).
 * A scheduled run carries no period: the workflow reviews the period before
 * the instant it was scheduled for, so a late catch-up run still inspects
 * the right month.
 */

export const INSPECTION_SCHEDULE_ID = 'butler-monthly-inspection';
export const QSR_SCHEDULE_ID = 'butler-quarterly-service-review';
export const BILLING_REPORT_SCHEDULE_ID = 'butler-monthly-line-cost-analysis';
export const AUDIT_ANCHOR_SCHEDULE_ID = 'butler-daily-audit-anchor';
/** Every schedule butlerSchedules makes, in its order (/metrics reports each one's last run). */
export const SCHEDULE_IDS = [INSPECTION_SCHEDULE_ID, QSR_SCHEDULE_ID, BILLING_REPORT_SCHEDULE_ID, AUDIT_ANCHOR_SCHEDULE_ID] as const;

const SCHEDULER: Actor = { id: 'schedule', role: 'system' };

export function butlerSchedules(config: Pick<Config, 'schedules' | 'temporal'>): ScheduleOptions[] {
  const { schedules, temporal } = config;
  const policies = {
    catchupWindow: `${schedules.catchupDays} days`,
    // A run waits for its review for days; the next month's must not wait for it.
    overlap: ScheduleOverlapPolicy.ALLOW_ALL,
  } as const;
  const inspection: InspectionWorkflowInput = { requestedBy: SCHEDULER };
  const qsr: QsrWorkflowInput = { requestedBy: SCHEDULER };
  const billingReport: BillingReportWorkflowInput = { requestedBy: SCHEDULER };
  const anchor: AuditAnchorRequest = { reason: 'daily anchor', requestedBy: SCHEDULER.id };
  return [
    {
      scheduleId: INSPECTION_SCHEDULE_ID,
      spec: { calendars: [{ ...schedules.inspection, comment: 'monthly inspection of the previous month' }], timezone: schedules.timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: 'inspectionWorkflow',
        taskQueue: temporal.taskQueue,
        workflowId: 'inspection-scheduled',
        args: [inspection],
      },
      policies,
    },
    {
      scheduleId: QSR_SCHEDULE_ID,
      spec: {
        calendars: [{ ...schedules.qsr, month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], comment: 'QSR of the previous quarter' }],
        timezone: schedules.timeZone,
      },
      action: { type: 'startWorkflow', workflowType: 'qsrWorkflow', taskQueue: temporal.taskQueue, workflowId: 'qsr-scheduled', args: [qsr] },
      policies,
    },
    {
      scheduleId: BILLING_REPORT_SCHEDULE_ID,
      spec: { calendars: [{ ...schedules.billingReport, comment: 'line cost analysis of the previous month' }], timezone: schedules.timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: 'billingReportWorkflow',
        taskQueue: temporal.taskQueue,
        workflowId: 'billing-report-scheduled',
        args: [billingReport],
      },
      policies,
    },
    {
      scheduleId: AUDIT_ANCHOR_SCHEDULE_ID,
      spec: { calendars: [{ ...schedules.auditAnchor, comment: "the audit chain's daily anchor, mailed to the auditors" }], timezone: schedules.timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: 'auditAnchorWorkflow',
        taskQueue: temporal.taskQueue,
        workflowId: 'audit-anchor-scheduled',
        args: [anchor],
      },
      // A day missed is signed late, once: the head then covers it too.
      policies: { ...policies, catchupWindow: '1 day' },
    },
  ];
}

export interface ScheduleOutcome {
  scheduleId: string;
  outcome: 'created' | 'updated';
  describe: string;
}

export async function ensureSchedules(client: Client, config: Pick<Config, 'schedules' | 'temporal'>): Promise<ScheduleOutcome[]> {
  const outcomes: ScheduleOutcome[] = [];
  for (const options of butlerSchedules(config)) {
    const describe = JSON.stringify(options.spec.calendars?.[0]) + ` ${options.spec.timezone}`;
    try {
      await client.schedule.create(options);
      outcomes.push({ scheduleId: options.scheduleId, outcome: 'created', describe });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      outcomes.push({ scheduleId: options.scheduleId, outcome: 'updated', describe });
    }
  }
  return outcomes;
}
