import { Router } from 'express';
import { z } from 'zod';
import type { Faults } from './faults';
import { pinnedBackupsSchema, pinnedMetricsSchema, type Pins } from './pins';
import type { RequestLog } from './request-log';

/**
 * The TELEMETRY SIMULATOR's own control surface, never part of the protocol
 * (no authentication: bind the simulator to loopback):
 * - `PUT|DELETE /__simulator/devices/:id/metrics` — pin (`{metrics}`) or unpin a device's metrics;
 * - `PUT|DELETE /__simulator/backups/:deviceId` — pin (`{jobs}`) or unpin a device's backup jobs;
 * - `POST /__simulator/faults` one rule (faults.ts) → 201 the rule with its id; `GET` lists; `DELETE` clears;
 * - `GET /__simulator/requests?path=&deviceId=` → `{total, requests}`; `DELETE` clears the log;
 * - `POST /__simulator/reset` — no pins, no faults, empty log.
 */

export interface AdminDeps {
  pins: Pins;
  faults: Faults;
  requests: RequestLog;
}

const requestFilter = z.object({ path: z.string().optional(), deviceId: z.string().optional() });

export function adminRoutes({ pins, faults, requests }: AdminDeps): Router {
  const router = Router();
  router.put('/devices/:id/metrics', (req, res) => {
    const { metrics } = pinnedMetricsSchema.parse(req.body);
    pins.metrics.set(req.params.id, metrics);
    res.json({ deviceId: req.params.id, metrics });
  });
  router.delete('/devices/:id/metrics', (req, res) => {
    pins.metrics.delete(req.params.id);
    res.status(204).end();
  });
  router.put('/backups/:deviceId', (req, res) => {
    const { jobs } = pinnedBackupsSchema.parse(req.body);
    pins.backups.set(req.params.deviceId, jobs);
    res.json({ deviceId: req.params.deviceId, jobs });
  });
  router.delete('/backups/:deviceId', (req, res) => {
    pins.backups.delete(req.params.deviceId);
    res.status(204).end();
  });
  router.post('/faults', (req, res) => {
    res.status(201).json(faults.add(req.body));
  });
  router.get('/faults', (_req, res) => {
    res.json({ rules: faults.list() });
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.get('/requests', (req, res) => {
    const list = requests.list(requestFilter.parse(req.query));
    res.json({ total: list.length, requests: list });
  });
  router.delete('/requests', (_req, res) => {
    requests.clear();
    res.status(204).end();
  });
  router.post('/reset', (_req, res) => {
    pins.metrics.clear();
    pins.backups.clear();
    faults.clear();
    requests.clear();
    res.status(204).end();
  });
  return router;
}
