import type { Client } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { verifyAuditChain } from '../db/audit.repo';
import { archiverLastPass, deadLetterCount, openIncidentCounts, restoreDurations, slaEventCounts, unnotifiedBreaches } from '../db/metrics.repo';
import { ARCHIVER_WATERMARK_KEY } from '../db/histories.repo';

/**
 * Butler's own metrics in Prometheus's text format (prom-client), served at GET /metrics to a
 * bearer token of role automation or admin (Prometheus's `authorization` in its scrape config).
 * What the read model knows is read at scrape time, so every API process answers the same and a
 * restart loses nothing; request rate and latency are this process's own. The worker's Temporal
 * SDK metrics are served by the worker itself (BUTLER_WORKER_METRICS_ADDRESS).
 */

/** Breaches whose notification has not gone out this long after them count as "breach without notification". */
const BREACH_NOTICE_GRACE_SECONDS = 300;
/** The audit chain is re-walked at most this often for /metrics (it reads the whole log). */
const CHAIN_CHECK_EVERY_MS = 10 * 60_000;
/** Restore times in seconds: 15 min … 8 h, around the 4-hour target. */
const RESTORE_BUCKETS = [900, 1800, 3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 8 * 3600];

export interface MetricsDeps {
  pool: Pool;
  client: Client;
  /** Schedule ids whose last run is reported. */
  scheduleIds: readonly string[];
  now?: () => Date;
}

export interface ButlerMetrics {
  registry: Registry;
  /** Express middleware counting every request by route template, method and status. */
  observeRequests(req: Request, res: Response, next: NextFunction): void;
}

export function createMetrics(deps: MetricsDeps): ButlerMetrics {
  const { pool } = deps;
  const now = () => (deps.now ?? (() => new Date()))();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'butler_api_' });

  new Gauge({
    name: 'butler_incidents_open',
    help: 'Open incidents (not resolved, closed or cancelled) by severity, status and support level',
    labelNames: ['severity', 'status', 'level'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await openIncidentCounts(pool)) this.set({ severity: r.severity, status: r.status, level: r.level }, r.n);
    },
  });

  const slaCounters = {
    'sla-warning': new Counter({
      name: 'butler_sla_warnings_total',
      help: 'SLA warnings (50/75/90 % of a target) recorded on incidents, by clock and severity',
      labelNames: ['clock', 'severity'] as const,
      registers: [registry],
    }),
    'sla-breached': new Counter({
      name: 'butler_sla_breaches_total',
      help: 'SLA breaches recorded on incidents, by clock and severity',
      labelNames: ['clock', 'severity'] as const,
      registers: [registry],
    }),
  };
  // One query fills both counters (they are totals the read model keeps; prom-client counters have no set()).
  new Gauge({
    name: 'butler_sla_breaches_unnotified',
    help: `SLA breaches older than ${BREACH_NOTICE_GRACE_SECONDS} s whose notification has not been delivered on any channel`,
    registers: [registry],
    async collect() {
      const [events, unnotified] = await Promise.all([slaEventCounts(pool), unnotifiedBreaches(pool, BREACH_NOTICE_GRACE_SECONDS)]);
      for (const c of Object.values(slaCounters)) c.reset();
      for (const e of events) slaCounters[e.type].inc({ clock: e.clock, severity: e.severity }, e.n);
      this.set(unnotified);
    },
  });

  new Histogram({
    name: 'butler_incident_restore_seconds',
    help: 'Wall-clock time from opened to resolved of resolved incidents, by severity',
    labelNames: ['severity'] as const,
    buckets: RESTORE_BUCKETS,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await restoreDurations(pool)) this.observe({ severity: r.severity }, r.seconds);
    },
  });

  new Gauge({
    name: 'butler_notification_dead_letters',
    help: 'Notifications that could not be delivered after every retry (GET /api/v1/notifications?status=dead)',
    registers: [registry],
    async collect() {
      this.set(await deadLetterCount(pool));
    },
  });

  new Gauge({
    name: 'butler_history_archive_last_pass_timestamp_seconds',
    help: 'When the history archiver last finished a pass (Unix time); its lag is time() minus this',
    registers: [registry],
    async collect() {
      const at = await archiverLastPass(pool, ARCHIVER_WATERMARK_KEY);
      this.set(at ? at.getTime() / 1000 : 0);
    },
  });

  let chain: { intact: boolean; checkedAt: Date } | undefined;
  new Gauge({
    name: 'butler_audit_chain_intact',
    help: `1 when the hash-chained audit log verified intact at its last check (every ${CHAIN_CHECK_EVERY_MS / 60_000} min), 0 when broken`,
    registers: [registry],
    async collect() {
      if (!chain || now().getTime() - chain.checkedAt.getTime() >= CHAIN_CHECK_EVERY_MS) {
        chain = { intact: (await verifyAuditChain(pool)).ok, checkedAt: now() };
      }
      this.set(chain.intact ? 1 : 0);
      chainCheckedAt.set(chain.checkedAt.getTime() / 1000);
    },
  });
  // Registered after the gauge above, whose collect() sets it: a scrape reads it after the check.
  const chainCheckedAt = new Gauge({
    name: 'butler_audit_chain_verified_timestamp_seconds',
    help: 'When the audit chain was last verified for /metrics (Unix time)',
    registers: [registry],
  });

  new Gauge({
    name: 'butler_schedule_last_run_timestamp_seconds',
    help: 'When each Temporal Schedule last started a run (Unix time; 0 when it never has)',
    labelNames: ['schedule'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const id of deps.scheduleIds) {
        const described = await deps.client.schedule
          .getHandle(id)
          .describe()
          .catch(() => undefined);
        if (!described) continue;
        const last = described.info.recentActions.at(-1)?.takenAt;
        this.set({ schedule: id }, last ? last.getTime() / 1000 : 0);
      }
    },
  });

  const requests = new Counter({
    name: 'butler_http_requests_total',
    help: 'API requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'butler_http_request_duration_seconds',
    help: 'API request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });

  return {
    registry,
    observeRequests(req, res, next) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        // The route template, not the path: ids would make a series per incident.
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        const labels = { method: req.method, route, status: String(res.statusCode) };
        requests.inc(labels);
        latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    },
  };
}
