import type { Pool } from 'pg';
import { saveIncident } from '../db/incidents.repo';
import type { IncidentState } from '../domain/incident/contracts';

/** Projects the incident workflow's state into PostgreSQL; idempotent, so retries are safe. */
export function createIncidentProjectionActivities({ pool }: { pool: Pool }) {
  return {
    async projectIncident(state: IncidentState): Promise<void> {
      await saveIncident(pool, state);
    },
  };
}
