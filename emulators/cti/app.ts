import express from 'express';
import type { FaultInjector } from './faults';
import { correlationId, GenesysError, genesysErrorHandler, notImplemented, sendGenesysError } from './genesys-errors';
import type { IdempotencyStore } from './idempotency';
import { requireBearer, tokenEndpoint, type OAuthClient, type TokenStore } from './oauth';
import type { RequestLog } from './request-log';
import { analyticsRoutes } from './routes/analytics';
import { authorizationRoutes } from './routes/authorization';
import { callVolumeControlRoutes } from './routes/call-volume-control';
import { controlRoutes } from './routes/control';
import { divisionsRoutes } from './routes/divisions';
import { licensingRoutes } from './routes/licensing';
import { queuesRoutes } from './routes/queues';
import { routingSkillsRoutes } from './routes/routing-skills';
import { scheduleGroupsRoutes } from './routes/schedule-groups';
import { schedulesRoutes } from './routes/schedules';
import { teamsRoutes } from './routes/teams';
import { userRoutingSkillsRoutes } from './routes/user-routing-skills';
import { usersRoutes } from './routes/users';
import { usersSearchRoutes } from './routes/users-search';
import type { StateHolder } from './state';

export interface EmulatorLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CtiEmulatorAppDeps {
  holder: StateHolder;
  clients: readonly OAuthClient[];
  tokens: TokenStore;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  requests: RequestLog;
  reset(): void;
  log: EmulatorLog;
}

/**
 * The order matters: every request is logged first; a token is checked before
 * anything else under /api/v2; the Idempotency-Key is registered before
 * injected latency and faults, so a retry of a slow request is recognised.
 */
export function createCtiEmulatorApp(deps: CtiEmulatorAppDeps): express.Express {
  const { holder, faults, tokens } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.set('X-Butler-Emulator', 'cti');
    correlationId(req, res);
    next();
  });
  app.use(deps.requests.middleware);

  app.use(
    '/__emulator',
    express.json({ limit: '5mb' }),
    controlRoutes({ faults, requests: deps.requests, reset: deps.reset, revokeTokens: tokens.revokeAll }),
    callVolumeControlRoutes(holder),
  );
  app.post('/oauth/token', faults.middleware, express.urlencoded({ extended: false }), tokenEndpoint(deps.clients, tokens));

  app.use(
    '/api/v2',
    requireBearer(tokens),
    express.json({ limit: '1mb' }),
    deps.idempotency.middleware,
    faults.middleware,
    usersSearchRoutes(holder),
    usersRoutes(holder),
    userRoutingSkillsRoutes(holder),
    routingSkillsRoutes(holder),
    teamsRoutes(holder),
    queuesRoutes(holder),
    schedulesRoutes(holder),
    scheduleGroupsRoutes(holder),
    authorizationRoutes(holder),
    divisionsRoutes(holder),
    licensingRoutes(holder),
    analyticsRoutes(holder),
    notImplemented,
  );
  app.use((req, res) => sendGenesysError(req, res, new GenesysError(404, `No such resource: ${req.method} ${req.path} (CTI emulator)`)));
  app.use(genesysErrorHandler((obj, msg) => deps.log.error(obj, msg)));
  return app;
}
