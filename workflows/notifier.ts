import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationRequest } from '../domain/notification/contracts';
import { NOTIFY_RETRY } from './activity-options';

const { notify } = proxyActivities<Activities>(NOTIFY_RETRY);

export type Notice = Omit<NotificationRequest, 'about' | 'duringBusinessHours' | 'center'>;

/**
 * The one notifier of every process: sends notices about one incident, line, change or
 * report without holding up the process; a notice that cannot be delivered is logged,
 * never the process's failure. `settled()` waits for those still in flight before the
 * workflow ends (or hands over). By default notices go to the working-hours roster
 * (lines, changes and reports are planned work, not emergencies); the incident passes
 * its business-hours calendar instead.
 */
export function createNotifier(about: string, center?: string, duringBusinessHours: () => boolean = () => true) {
  const inFlight = new Set<Promise<void>>();
  return {
    send(notice: Notice): void {
      const sending = notify({ ...notice, about, center, duringBusinessHours: duringBusinessHours() }).then(
        () => undefined,
        (err: unknown) => log.warn('notification not delivered', { key: notice.key, error: String(err) }),
      );
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    },
    /** How many notices are still being sent. */
    get pending(): number {
      return inFlight.size;
    },
    async settled(): Promise<void> {
      await Promise.all(inFlight);
    },
  };
}
