import { z } from 'zod';
import { listTrunkCapacities, saveTrunkCapacity } from '../db/trunks.repo';
import { TrunkCapacityRequest, TrunkCapacityView, TrunkParams } from '../domain/line/trunk-capacity';
import type { IncidentServiceDeps } from './incident-service';
import { route, type AnyRoute } from './route';

/** Trunk capacity and the utilization thresholds monitoring alerts on (deploy/prometheus/pbx.rules.yml). */
export function trunkRoutes({ pool }: Pick<IncidentServiceDeps, 'pool'>): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/trunks',
      summary: 'Trunks with their capacity (channels) and the utilization at which monitoring warns (default 80 %) and opens an incident (95 %)',
      tag: 'lines',
      roles: ['admin', 'spm', 'engineer', 'auditor'],
      success: { status: 200, schema: z.object({ items: z.array(TrunkCapacityView) }) },
      handle: async () => ({ items: await listTrunkCapacities(pool) }),
    }),
    route({
      method: 'put',
      path: '/api/v1/trunks/:trunk',
      summary: "Record a trunk's capacity and thresholds (the trunk is its PBX dispatcher set, as Kamailio's metrics label it)",
      tag: 'lines',
      roles: ['admin', 'spm'],
      params: TrunkParams,
      body: TrunkCapacityRequest,
      success: { status: 200, schema: TrunkCapacityView },
      handle: ({ params, body, actor }) => saveTrunkCapacity(pool, params.trunk, body, actor.id),
    }),
  ];
}
