import type { Pool } from 'pg';
import { closedIncidentCases } from '../db/sla-cases.repo';
import { seoulMidnightOf } from '../domain/calendar/seoul';
import { evaluateWhatIf, type WhatIfRequest, type WhatIfResult } from '../domain/sla/what-if';

/** The SLA what-if over the incidents closed in the request's Seoul days, read from their archived histories. */
export async function slaWhatIf(pool: Pool, request: WhatIfRequest): Promise<WhatIfResult> {
  const { cases, skipped } = await closedIncidentCases(
    pool,
    new Date(seoulMidnightOf(request.from)).toISOString(),
    new Date(seoulMidnightOf(request.to)).toISOString(),
  );
  return evaluateWhatIf(request, cases, skipped);
}
