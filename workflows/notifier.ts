import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationRequest } from '../domain/notification/contracts';
import { NOTIFY_RETRY } from './activity-options';

const { notify } = proxyActivities<Activities>(NOTIFY_RETRY);

export type Notice = Omit<NotificationRequest, 'about' | 'duringBusinessHours' | 'center'>;

/**
 * Sends notices about one line or change without holding up the process: a
 * notice that cannot be delivered is logged, never the process's failure.
 * `settled()` waits for those still in flight before the workflow ends.
 * Line and change notices go to the working-hours roster: they are planned
 * work, not emergencies.
 */
export function createNotifier(about: string, center?: string) {
  const inFlight = new Set<Promise<void>>();
  return {
    send(notice: Notice): void {
      const sending = notify({ ...notice, about, center, duringBusinessHours: true }).then(
        () => undefined,
        (err: unknown) => log.warn('notification not delivered', { key: notice.key, error: String(err) }),
      );
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    },
    async settled(): Promise<void> {
      await Promise.all(inFlight);
    },
  };
}
