import type { Pool } from 'pg';
import { createIncidentProjectionActivities } from './incident-projection';
import { createNotificationActivities } from './notifications';

export interface ActivityDeps {
  pool: Pool;
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
}

/** Every activity the worker hosts, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIncidentProjectionActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
