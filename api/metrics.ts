import type { KeyObject } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { verifyAuditChain } from '../db/audit.repo';
import { listTrunkCapacities } from '../db/trunks.repo';
import type { TrunkCapacityView } from '../domain/line/trunk-capacity';
import { archiverLastPass, deadLetterCount, openIncidentCounts, restoreDurations, slaEventCounts, unnotifiedBreaches } from '../db/metrics.repo';
import { ARCHIVER_WATERMARK_KEY } from '../db/histories.repo';
import { withinDeadline } from './temporal-calls';

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
/** How long a scrape waits for Temporal to describe a Schedule. */
const SCHEDULE_DESCRIBE_MS = 2_000;
/** Restore times in seconds: 15 min … 8 h, around the 4-hour target. */
const RESTORE_BUCKETS = [900, 1800, 3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 8 * 3600];

export interface MetricsDeps {
  pool: Pool;
  /** The audit key's public half: the chain's seals are checked against it. */
  auditKey: KeyObject;
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
      const counts = await openIncidentCounts(pool);
      this.reset();
      for (const r of counts) this.set({ severity: r.severity, status: r.status, level: r.level }, r.n);
    },
  });

  // prom-client runs every collect() of a scrape at once: metrics filled from one query share one reading.
  const slaEvents = sharedReading(() => slaEventCounts(pool));
  for (const [type, name, help] of [
    ['sla-warning', 'butler_sla_warnings_total', 'SLA warnings (50/75/90 % of a target) recorded on incidents, by clock and severity'],
    ['sla-breached', 'butler_sla_breaches_total', 'SLA breaches recorded on incidents, by clock and severity'],
  ] as const) {
    // Totals the read model keeps: prom-client counters have no set(), so each scrape resets and adds them.
    new Counter({
      name,
      help,
      labelNames: ['clock', 'severity'] as const,
      registers: [registry],
      async collect() {
        const events = await slaEvents();
        this.reset();
        for (const e of events) if (e.type === type) this.inc({ clock: e.clock, severity: e.severity }, e.n);
      },
    });
  }
  new Gauge({
    name: 'butler_sla_breaches_unnotified',
    help: `SLA breaches older than ${BREACH_NOTICE_GRACE_SECONDS} s whose notification has not been delivered on any channel`,
    registers: [registry],
    async collect() {
      this.set(await unnotifiedBreaches(pool, BREACH_NOTICE_GRACE_SECONDS));
    },
  });

  new Histogram({
    name: 'butler_incident_restore_seconds',
    help: 'Wall-clock time from opened to resolved of resolved incidents, by severity',
    labelNames: ['severity'] as const,
    buckets: RESTORE_BUCKETS,
    registers: [registry],
    async collect() {
      const durations = await restoreDurations(pool);
      this.reset();
      for (const r of durations) this.observe({ severity: r.severity }, r.seconds);
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

  let chain: Promise<{ intact: boolean; checkedAt: Date }> | undefined;
  let chainCheckedAt = 0;
  const chainCheck = () => {
    if (!chain || now().getTime() - chainCheckedAt >= CHAIN_CHECK_EVERY_MS) {
      chainCheckedAt = now().getTime();
      chain = verifyAuditChain(pool, deps.auditKey).then((v) => ({ intact: v.ok, checkedAt: now() }));
      // A failed check is tried again at the next scrape, not cached.
      chain.catch(() => (chainCheckedAt = 0));
    }
    return chain;
  };
  new Gauge({
    name: 'butler_audit_chain_intact',
    help: `1 when the hash-chained audit log verified intact at its last check (every ${CHAIN_CHECK_EVERY_MS / 60_000} min), 0 when broken`,
    registers: [registry],
    async collect() {
      this.set((await chainCheck()).intact ? 1 : 0);
    },
  });
  new Gauge({
    name: 'butler_audit_chain_verified_timestamp_seconds',
    help: 'When the audit chain was last verified for /metrics (Unix time)',
    registers: [registry],
    async collect() {
      this.set((await chainCheck()).checkedAt.getTime() / 1000);
    },
  });

  new Gauge({
    name: 'butler_schedule_last_run_timestamp_seconds',
    help: 'When each Temporal Schedule last started a run (Unix time; 0 when it never has)',
    labelNames: ['schedule'] as const,
    registers: [registry],
    async collect() {
      // Each asked with a deadline: a Temporal that does not answer must not fail the whole scrape.
      const last = await Promise.all(
        deps.scheduleIds.map(async (id) => {
          const described = await withinDeadline({ client: deps.client, requestDeadlineMs: SCHEDULE_DESCRIBE_MS }, () =>
            deps.client.schedule.getHandle(id).describe(),
          ).catch(() => undefined);
          return { id, described, at: described?.info.recentActions.at(-1)?.takenAt };
        }),
      );
      this.reset();
      for (const { id, described, at } of last) if (described) this.set({ schedule: id }, at ? at.getTime() / 1000 : 0);
    },
  });

  // Trunk capacity and thresholds: Prometheus divides Kamailio's kamailio_trunk_active_calls by these (pbx.rules.yml).
  const trunks = sharedReading(() => listTrunkCapacities(pool));
  new Gauge({
    name: 'butler_trunk_capacity_channels',
    help: 'Channels of each trunk (its PBX dispatcher set), with the PRI line and center it serves',
    labelNames: ['trunk', 'line', 'center'] as const,
    registers: [registry],
    async collect() {
      const list = await trunks();
      this.reset();
      for (const t of list) this.set({ trunk: t.trunk, line: t.lineId ?? '', center: t.center ?? '' }, t.channels);
    },
  });
  for (const [name, help, percent] of [
    ['butler_trunk_warning_ratio', 'Utilization at which a trunk warns the SPM (0–1)', (t: TrunkCapacityView) => t.warnAtPercent],
    ['butler_trunk_critical_ratio', 'Utilization at which a trunk opens an incident (0–1)', (t: TrunkCapacityView) => t.criticalAtPercent],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ['trunk'] as const,
      registers: [registry],
      async collect() {
        const list = await trunks();
        this.reset();
        for (const t of list) this.set({ trunk: t.trunk }, percent(t) / 100);
      },
    });
  }

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

/**
 * One reading shared by the metrics of a scrape: prom-client runs every collect() at once, so
 * metrics filled from one query read it once, and all see the same figures.
 */
function sharedReading<T>(read: () => Promise<T>, ttlMs = 1_000): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const at = Date.now();
    if (!last || at - last.at > ttlMs) last = { at, value: read() };
    return last.value;
  };
}
