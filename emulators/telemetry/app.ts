import express from 'express';
import { adminRoutes } from './admin-routes';
import { createFaults } from './faults';
import { errorHandler, sendError } from './http-errors';
import { createPins } from './pins';
import { createRequestLog } from './request-log';
import { v1Routes } from './v1-routes';

/** The TELEMETRY SIMULATOR's HTTP app: protocol v1, the control surface, one error shape. */
export function createTelemetrySimulatorApp(now: () => Date): express.Express {
  const pins = createPins();
  const faults = createFaults();
  const requests = createRequestLog();
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    // Nobody should mistake these numbers for a real system's.
    res.set('X-Butler-Simulator', 'telemetry');
    next();
  });
  app.use('/__simulator', express.json({ limit: '1mb' }), adminRoutes({ pins, faults, requests }));
  app.use('/v1', v1Routes({ pins, faults, requests, now }));
  app.use((req, res) => sendError(res, 404, 'not-found', `no such route: ${req.method} ${req.path} (TELEMETRY SIMULATOR)`));
  app.use(errorHandler);
  return app;
}
