import { callVolumeBetween, saveCallVolume } from '../db/call-volume.repo';
import { idForRequest } from '../db/idempotency.repo';
import { incidentsOpenedBetween } from '../db/incidents.repo';
import { findQsr, listQsrs, nextQsrId, qsrsInFlight } from '../db/qsrs.repo';
import type { Actor } from '../domain/actor';
import { ValidationError } from '../domain/errors';
import { parseCallVolumeCsv } from '../domain/qsr/call-volume-csv';
import type { QsrRequest, QsrState, QsrWorkflowInput } from '../domain/qsr/contracts';
import { computeKpis } from '../domain/qsr/kpis';
import { qsrStartedUpdate, qsrWorkflowId } from '../workflows/qsr/messages';
import { refuseInFlight, startReviewed, type ReviewedKind, type ReviewServiceDeps } from './review-service';

/** The quarterly service review, its indicators and call volume uploads, between HTTP and Temporal: what the routes call. */

export const QSR: ReviewedKind<QsrState> = {
  noun: 'QSR',
  workflowType: 'qsrWorkflow',
  workflowId: qsrWorkflowId,
  started: qsrStartedUpdate,
  read: findQsr,
};

/** Prepares the review of a quarter now; an Idempotency-Key makes a retry return the same run. */
export async function startQsr(deps: ReviewServiceDeps, body: QsrRequest, actor: Actor, idempotencyKey: string | undefined) {
  // Refused before the Idempotency-Key is stored: a 409 keeps nothing (a retry is judged afresh).
  const { id } = await idForRequest(deps.pool, 'qsr', body, idempotencyKey, async () => {
    refuseInFlight('QSR', body.quarter, await qsrsInFlight(deps.pool, body.quarter));
    return nextQsrId(deps.pool);
  });
  const input: QsrWorkflowInput = { id, quarter: body.quarter, requestedBy: actor };
  return startReviewed(deps, QSR, id, input);
}

/** QSRs newest first, each with its indicators, anomalies and proposals counted instead of listed. */
export async function listQsrSummaries(deps: ReviewServiceDeps, query: Parameters<typeof listQsrs>[1]) {
  const { items, total } = await listQsrs(deps.pool, query);
  return {
    items: items.map(({ kpis, anomalies, proposals, ...rest }) => ({
      ...rest,
      incidents: kpis?.incidents.total ?? null,
      breaches: kpis?.breaches.length ?? null,
      anomalies: anomalies.length,
      proposals: proposals.length,
    })),
    total,
  };
}

/** SLA indicators of the incidents opened in [from, to), as of `now`. */
export async function kpisBetween(deps: ReviewServiceDeps, range: { from: string; to: string }, now: string) {
  return computeKpis(await incidentsOpenedBetween(deps.pool, range.from, range.to), range, now);
}

/** Stores uploaded daily call volume (replacing what the CTI statistics said for those days). */
export async function uploadCallVolume(deps: ReviewServiceDeps, csv: string, actor: Actor) {
  const days = parseCallVolumeCsv(csv);
  if (days.length === 0) throw new ValidationError([{ path: '(body)', message: 'the CSV has no data rows' }]);
  const stored = await saveCallVolume(deps.pool, days, actor.id);
  const dates = days.map((d) => d.date).sort();
  const next = new Date(Date.parse(`${dates.at(-1)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { stored, from: dates[0], to: dates.at(-1), days: (await callVolumeBetween(deps.pool, dates[0]!, next)).length };
}
