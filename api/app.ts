import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { issuedTokenLookup } from '../db/tokens.repo';
import type { TokenGrant } from '../domain/actor';
import type { AuditSigner } from '../domain/audit/seal';
import type { ChangeTiming } from '../domain/change/contracts';
import type { LineTiming } from '../domain/line/contracts';
import { auditTrail } from './audit-trail';
import { alertRoutes } from './alerts.routes';
import { BILL_FILE_TYPES, billRoutes } from './bills.routes';
import { billingConfigRoutes } from './billing-config.routes';
import { billingReportRoutes } from './billing-reports.routes';
import { savingsRoutes } from './savings.routes';
import { trunkRoutes } from './trunks.routes';
import { auditRoutes } from './audit.routes';
import { authenticate, perTokenRateLimit, requireRole } from './auth';
import { createMetrics } from './metrics';
import { calendarRoutes } from './calendar.routes';
import { contactRoutes } from './contacts.routes';
import { configHistoryRoutes } from './config-history.routes';
import { errorHandler, HttpError } from './errors';
import { serveConsole } from './console';
import { sessionRoutes } from './session.routes';
import { eventRoutes } from './events.routes';
import { readModelEvents } from './read-model-events';
import { healthRoutes } from './health.routes';
import { incidentRoutes } from './incidents.routes';
import { changeRoutes } from './changes.routes';
import { inspectionRoutes } from './inspections.routes';
import { lineRoutes } from './lines.routes';
import { qsrRoutes } from './qsr.routes';
import { notificationRoutes } from './notifications.routes';
import { openApiDocument } from './openapi';
import { mount, type AnyRoute } from './route';
import { slaRoutes } from './sla.routes';
import { tokenRoutes } from './tokens.routes';

import type { OutboundPolicy } from '../system/outbound-url';

export interface AppDeps {
  pool: Pool;
  /** Seals each audit entry and signs the chain's anchors; its private key is never in the database. */
  auditSigner: AuditSigner;
  client: Client;
  taskQueue: string;
  tokens: TokenGrant[];
  log?: { error(obj: unknown, msg?: string): void };
  now?: () => Date;
  requestDeadlineMs?: number;
  /** How long a request that may be answered 202 waits for the worker (CONFIRM_WITHIN_MS unless set: tests). */
  confirmWithinMs?: number;
  /** Deadlines and reminders the line and change workflows start with. */
  timing: { line: LineTiming; change: ChangeTiming };
  /** The Temporal Schedules whose last run /metrics reports (runtime/schedules.ts). */
  scheduleIds?: readonly string[];
  /** Requests per minute per token; 0 or absent: no limit. */
  rateLimitPerMinute?: number;
  /** Where a saved webhook may point (system/outbound-url.ts); the strictest if absent. */
  outbound?: OutboundPolicy;
}

/** Every authenticated route, in one list: mounted below, documented in /openapi.json, walked by the auth tests. */
export function apiRoutes(deps: AppDeps): AnyRoute[] {
  const routes: AnyRoute[] = [
    ...incidentRoutes(deps),
    ...alertRoutes(deps),
    // Before the lines' routes: /lines/usage is not a line id.
    ...trunkRoutes(deps),
    ...lineRoutes({ ...deps, lineTiming: deps.timing.line }),
    ...changeRoutes({ ...deps, changeTiming: deps.timing.change }),
    ...inspectionRoutes(deps),
    ...qsrRoutes(deps),
    ...billRoutes(deps),
    ...billingConfigRoutes(deps),
    ...billingReportRoutes(deps),
    ...savingsRoutes({ ...deps, lineTiming: deps.timing.line, changeTiming: deps.timing.change }),
    ...slaRoutes(deps),
    ...calendarRoutes(deps),
    ...contactRoutes(deps),
    ...configHistoryRoutes(deps),
    ...tokenRoutes(deps),
    ...notificationRoutes(deps),
    ...auditRoutes(deps),
    ...sessionRoutes(() => routes),
    ...eventRoutes({ events: readModelEvents(deps.pool, deps.log) }),
  ];
  return routes;
}

/** Bills are read as bytes after authentication (see createApp), never as text before it. */
const isBillUpload = (url: string | undefined) => (url ?? '').startsWith('/api/v1/bills');

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Security headers on every answer (no sniffing, no framing, HSTS, a strict CSP for the JSON and PDFs we serve).
  // Helmet's strict defaults, but no upgrade-insecure-requests: served over plain HTTP (compose publishes :3000
  // without TLS), that directive sends the console's own scripts to https and the page stays blank.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.set('query parser', 'simple');
  const metrics = createMetrics({
    pool: deps.pool,
    auditKey: deps.auditSigner.publicKey,
    client: deps.client,
    scheduleIds: deps.scheduleIds ?? [],
    now: deps.now,
  });
  app.use(metrics.observeRequests);
  // Alertmanager sends every alert of a group in one payload (max_alerts 0): up to 1,000 of them.
  app.use('/api/v1/alerts/alertmanager', express.json({ limit: '2mb' }));
  app.use(express.json({ limit: '100kb' }));
  // Call volume arrives as CSV: a quarter of daily rows for a few centers is well under this. (A bill's CSV is read as bytes, below.)
  app.use(express.text({ type: (req) => !isBillUpload(req.url) && /^text\/csv\b/i.test(req.headers['content-type'] ?? ''), limit: '2mb' }));

  const routes = apiRoutes(deps);
  const document = openApiDocument(routes);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  healthRoutes(app, deps);
  // Prometheus scrapes with a token of role automation (or admin); outside /api, so scrapes are not in the audit log.
  const issued = issuedTokenLookup(deps.pool);
  app.get('/metrics', authenticate(deps.tokens, issued), requireRole(['automation', 'admin']), async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).end(await metrics.registry.metrics());
  });

  // Before authentication: a request it refuses (401) is in the audit log too.
  app.use('/api', auditTrail(deps.pool, deps.auditSigner, deps.log));
  app.use('/api', authenticate(deps.tokens, issued));
  // A bill arrives as a file, read as bytes (its encoding is the bill reader's to decide), and only from a caller
  // who has authenticated: a 100,000-line bill is ~10 MB.
  app.use('/api/v1/bills', express.raw({ type: [...BILL_FILE_TYPES], limit: '32mb' }));
  if (deps.rateLimitPerMinute) app.use('/api', perTokenRateLimit(deps.rateLimitPerMinute));
  const api = express.Router();
  mount(api, routes);
  app.use(api);
  serveConsole(app);
  app.use((req, _res, next) => next(new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler((err) => deps.log?.error({ err }, 'request failed')));
  return app;
}
