import { z } from 'zod';
import { listNotifications } from '../db/notification-list.repo';
import { NotificationListQuery, NotificationView } from '../domain/notification/outbox';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

/** The notifications outbox: what was sent to whom, what is still owed, and the dead letters someone must act on. */
export function notificationRoutes({ pool }: Pick<IncidentServiceDeps, 'pool'>): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/notifications',
      summary: 'Notifications with their per-target deliveries, filtered by status (dead, pending, sent) and what they are about',
      tag: 'notifications',
      roles: ['admin', 'spm', 'auditor'],
      query: NotificationListQuery,
      success: { status: 200, schema: z.object({ items: z.array(NotificationView), total: z.number().int() }) },
      handle: ({ query }) => listNotifications(pool, query),
    }),
  ];
}
