import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { BackupJob } from '../../adapters/telemetry/protocol';
import type { Faults, FaultSubject } from './faults';
import { sendError } from './http-errors';
import type { Pins } from './pins';
import type { RequestLog } from './request-log';
import { syntheticBackups, syntheticMetrics } from './synthetic';

/**
 * Telemetry protocol v1 (README.md): `GET /v1/devices/:id/metrics` and
 * `GET /v1/backups`. Every request is logged, then meets the fault rules,
 * then is answered from pins or from synthetic values.
 */

export interface V1Deps {
  pins: Pins;
  faults: Faults;
  requests: RequestLog;
  now(): Date;
}

export const SOURCE = 'telemetry-simulator';

const metricsQuery = z.object({ center: z.string().min(1).optional(), system: z.string().min(1).optional() });
const backupsQuery = z.object({
  center: z.string().min(1),
  devices: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
});

export function v1Routes(deps: V1Deps): Router {
  const router = Router();
  router.use(logAndInjectFaults(deps));

  router.get('/devices/:id/metrics', (req, res) => {
    const { system } = metricsQuery.parse(req.query);
    const id = req.params.id;
    const now = deps.now();
    const metrics = deps.pins.metrics.get(id) ?? syntheticMetrics(id, system, now);
    res.json({ deviceId: id, collectedAt: now.toISOString(), source: SOURCE, simulated: true, metrics });
  });

  router.get('/backups', (req, res) => {
    const { center, devices } = backupsQuery.parse(req.query);
    const now = deps.now();
    const jobs: BackupJob[] = devices.flatMap((deviceId) => {
      const pinned = deps.pins.backups.get(deviceId);
      return pinned ? pinned.map((job) => ({ deviceId, ...job })) : syntheticBackups(deviceId, now);
    });
    res.json({ center, collectedAt: now.toISOString(), source: SOURCE, simulated: true, jobs });
  });

  router.use((req, res) => sendError(res, 404, 'not-found', `no such route: ${req.method} ${req.originalUrl.split('?')[0]} (telemetry protocol v1)`));
  return router;
}

function logAndInjectFaults(deps: V1Deps): RequestHandler {
  return async (req, res, next) => {
    const [path = '', query = ''] = req.originalUrl.split('?');
    const subject = subjectOf(path, req.query);
    const logged = deps.requests.start({ method: req.method, path, query, center: subject.center, deviceIds: [...subject.deviceIds] });
    res.on('finish', () => {
      logged.status = res.statusCode;
    });
    for (const rule of deps.faults.take(subject)) {
      logged.faults.push(rule.kind);
      if (rule.kind === 'hang') return; // never answered: the client's timeout ends it, or stop() does
      if (rule.kind === 'latency') await sleep(rule.ms);
      if (rule.kind === 'error') return sendError(res, rule.status, 'injected-fault', `injected failure (TELEMETRY SIMULATOR fault rule ${rule.id})`);
    }
    if (!res.destroyed) next();
  };
}

function subjectOf(path: string, query: Record<string, unknown>): FaultSubject {
  const center = typeof query.center === 'string' ? query.center : undefined;
  const device = /^\/v1\/devices\/([^/]+)/.exec(path)?.[1];
  if (device !== undefined) return { path, center, deviceIds: [safeDecode(device)] };
  const devices = typeof query.devices === 'string' ? query.devices.split(',').map((d) => d.trim()) : [];
  return { path, center, deviceIds: devices };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
