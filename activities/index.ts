import type { Pool } from 'pg';
import { createChangeActivities } from './changes';
import { createChangeRecordActivities } from './change-records';
import type { CtiClient } from './cti/cti-client';
import { createIncidentProjectionActivities } from './incident-projection';
import { createLineActivities } from './line-installation';
import { createNotificationActivities } from './notifications';
import type { LineAcceptance } from './pbx/line-acceptance';
import type { AcceptancePlan } from './pbx/line-routing';
import type { PbxClient } from './pbx/pbx-client';

export interface ActivityDeps {
  pool: Pool;
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
  pbx: PbxClient;
  cti: CtiClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
}

/** Every activity the worker hosts, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIncidentProjectionActivities(deps),
    ...createNotificationActivities(deps),
    ...createLineActivities(deps),
    ...createChangeRecordActivities(deps),
    ...createChangeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
