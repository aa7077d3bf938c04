import type { NotificationKind } from '../../domain/notification/contracts';
import { createNotifier } from '../notifier';

export interface MonitoringNoticeInput {
  /** Stable for the delivery it tells of: a retried start joins this workflow, a retried send is not doubled. */
  key: string;
  /** What it is about, e.g. `trunk:KT-SEOUL-01` (no incident exists for it). */
  about: string;
  kind: Extract<NotificationKind, 'monitoring-warning' | 'monitoring-cleared'>;
  subject: string;
  text: string;
  data: Record<string, unknown>;
  center?: string;
}

/**
 * A monitoring alert whose rule only tells the SPM (a trunk at 80 % of its channels): one
 * notice, sent durably (retried by Temporal, kept as a dead letter if it cannot be delivered).
 */
export async function monitoringNoticeWorkflow(input: MonitoringNoticeInput): Promise<void> {
  const notifier = createNotifier(input.about, input.center);
  notifier.send({ key: input.key, kind: input.kind, audience: ['spm'], subject: input.subject, text: input.text, data: input.data });
  await notifier.settled();
}
